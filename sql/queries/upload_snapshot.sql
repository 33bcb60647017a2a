-- What a board pack is built from, now: the newest upload with data, the uploads undone by now
-- (left out of a rebuild even if the undo is later reversed) and the uploads whose data is current.
SELECT
    coalesce(max(id), 0) AS as_of_upload,
    coalesce(list(id ORDER BY id) FILTER (WHERE outcome = 'undone'), CAST([] AS INTEGER[])) AS undone_uploads,
    coalesce(list(id ORDER BY id) FILTER (WHERE outcome = 'committed'), CAST([] AS INTEGER[])) AS uploads
FROM upload
WHERE outcome IN ('committed', 'undone')

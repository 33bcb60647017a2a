-- Every lock, with the pack that made it and the data it showed (uploads up to as_of_upload, less
-- those then undone), oldest first.
SELECT
    l.board_pack_id, l.period, l.period_start, l.period_end, l.presented_on, l.locked_at, l.locked_by,
    p.board, p.built_at, p.as_of_upload, p.undone_uploads
FROM period_lock AS l
JOIN board_pack AS p ON p.id = l.board_pack_id
ORDER BY l.locked_at, l.board_pack_id

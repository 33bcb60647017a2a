-- latest_upload as it stood when a board pack was built: the newest upload up to $as_of_upload.
SELECT id, file_name, user_name, uploaded_at
FROM upload
WHERE id <= $as_of_upload AND outcome IN ('committed', 'undone')
ORDER BY uploaded_at DESC, id DESC
LIMIT 1

-- The newest upload with data, undone or not (now, or the newest up to $as_of_upload for a pack rebuilt).
SELECT id, file_name, user_name, uploaded_at
FROM upload
WHERE outcome IN ('committed', 'undone')
  AND (CAST($as_of_upload AS INTEGER) IS NULL OR id <= $as_of_upload)
ORDER BY uploaded_at DESC, id DESC
LIMIT 1

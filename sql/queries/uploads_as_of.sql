-- The uploads a board pack rebuilt "as at" shows data from: up to $as_of_upload, less those then undone.
SELECT id, kind, file_name, user_name, uploaded_at
FROM upload
WHERE id <= $as_of_upload
  AND outcome IN ('committed', 'undone')
  AND NOT list_contains(CAST($undone_uploads AS INTEGER[]), id)
ORDER BY id

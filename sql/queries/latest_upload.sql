SELECT id, file_name, user_name, uploaded_at
FROM upload
WHERE outcome IN ('committed', 'undone')
ORDER BY uploaded_at DESC, id DESC
LIMIT 1

SELECT
    id, kind, file_name, sha256, user_name, uploaded_at, rows, inserted, revised, unchanged, outcome,
    undone_at, undone_by, user_key
FROM upload
ORDER BY id DESC

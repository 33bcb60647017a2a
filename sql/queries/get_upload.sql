SELECT
    id, kind, file_name, sha256, user_name, uploaded_at, rows, inserted, revised, unchanged, outcome,
    undone_at, undone_by, report, user_key
FROM upload
WHERE id = $id

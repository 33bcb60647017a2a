SELECT
    id, title, board, presented_on, theme_id, format, built_at, built_by, status_date, as_of_upload,
    undone_uploads, uploads, file_name, sha256, size_bytes
FROM board_pack
WHERE id = $id

INSERT INTO board_pack (
    id, title, board, presented_on, theme_id, format, built_at, built_by, status_date,
    as_of_upload, undone_uploads, uploads, file_name, sha256, size_bytes
) VALUES (
    $id, $title, $board, $presented_on, $theme_id, $format, $built_at, $built_by, $status_date,
    $as_of_upload, CAST($undone_uploads AS INTEGER[]), CAST($uploads AS INTEGER[]), $file_name, $sha256,
    $size_bytes
)

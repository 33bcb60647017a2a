INSERT INTO upload (
    id, kind, file_name, sha256, user_name, uploaded_at,
    rows, inserted, revised, unchanged, outcome, report, user_key
) VALUES (
    $id, $kind, $file_name, $sha256, $user_name, $uploaded_at,
    $rows, $inserted, $revised, $unchanged, $outcome, $report, $user_key
)

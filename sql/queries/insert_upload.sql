INSERT INTO upload (
    id, kind, file_name, sha256, user_name, uploaded_at,
    rows, inserted, revised, unchanged, outcome, report
) VALUES (
    $id, $kind, $file_name, $sha256, $user_name, $uploaded_at,
    $rows, $inserted, $revised, $unchanged, $outcome, $report
)

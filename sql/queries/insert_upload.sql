INSERT INTO upload (
    id, kind, file_name, sha256, user_name, uploaded_at,
    rows, inserted, revised, unchanged, outcome, report, user_key, embargoed_until, illustrative
) VALUES (
    $id, $kind, $file_name, $sha256, $user_name, $uploaded_at,
    $rows, $inserted, $revised, $unchanged, $outcome, $report, $user_key, $embargoed_until, $illustrative
)

-- Every write to the store, newest first: each upload (committed or rejected) and each undo, with who and when.
SELECT event_at, user_name, event, upload_id, kind, file_name, sha256, rows, inserted, revised, unchanged
FROM (
    SELECT
        uploaded_at AS event_at,
        user_name,
        CASE WHEN outcome = 'rejected' THEN 'upload rejected' ELSE 'upload committed' END AS event,
        id AS upload_id, kind, file_name, sha256, rows, inserted, revised, unchanged
    FROM upload
    UNION ALL
    SELECT
        undone_at AS event_at,
        undone_by AS user_name,
        'upload undone' AS event,
        id AS upload_id, kind, file_name, sha256, rows, inserted, revised, unchanged
    FROM upload
    WHERE undone_at IS NOT NULL
)
ORDER BY event_at DESC, upload_id DESC, event DESC

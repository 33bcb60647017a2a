-- Every write to the store and every refused attempt, newest first: each upload (committed or
-- rejected), each undo, and each attempt the write path refused, with who and when.
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
    UNION ALL
    SELECT
        event_at,
        user_name,
        action || ' refused' AS event,
        TRY_CAST(target AS INTEGER) AS upload_id, NULL AS kind, detail AS file_name, NULL AS sha256,
        NULL AS rows, NULL AS inserted, NULL AS revised, NULL AS unchanged
    FROM audit_event
    WHERE outcome = 'refused'
) AS events
ORDER BY event_at DESC, upload_id DESC NULLS LAST, event DESC

-- Every write to the store and every refused attempt, newest first: each upload (committed or
-- rejected), each undo, each attempt the write path refused, and the reporting cycle's records (owner
-- changes, every commentary version and sign-off, period locks, alerts), with who and when.
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
    UNION ALL
    SELECT
        changed_at AS event_at, changed_by AS user_name, 'owner changed' AS event, NULL AS upload_id,
        subject_kind AS kind, subject_id || ': ' || owner AS file_name, NULL AS sha256, NULL AS rows,
        NULL AS inserted, NULL AS revised, NULL AS unchanged
    FROM owner_change
    UNION ALL
    SELECT
        written_at AS event_at, author AS user_name, 'commentary ' || state AS event, NULL AS upload_id,
        subject_kind AS kind, subject_id || ', ' || period || ', version ' || CAST(version AS VARCHAR) AS file_name,
        NULL AS sha256, NULL AS rows, NULL AS inserted, NULL AS revised, NULL AS unchanged
    FROM commentary
    UNION ALL
    SELECT
        locked_at AS event_at, locked_by AS user_name, 'period locked' AS event, NULL AS upload_id,
        'board pack' AS kind, period || ', board pack ' || CAST(board_pack_id AS VARCHAR) AS file_name,
        NULL AS sha256, NULL AS rows, NULL AS inserted, NULL AS revised, NULL AS unchanged
    FROM period_lock
    UNION ALL
    SELECT
        created_at AS event_at, 'dashboard' AS user_name, 'alert ' || delivery AS event, upload_id,
        kind, subject AS file_name, NULL AS sha256, NULL AS rows, NULL AS inserted, NULL AS revised,
        NULL AS unchanged
    FROM alert
) AS events
ORDER BY event_at DESC, upload_id DESC NULLS LAST, event DESC

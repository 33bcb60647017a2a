-- What undoing one action status upload would do to each action and quarter it touched:
-- the status now, and the status that becomes current (NULL: the quarter has no status after).
WITH touched AS (
    SELECT DISTINCT action_id, period_start, period_end
    FROM action_status WHERE upload_id = $id
)
SELECT
    n.action_id, n.period,
    n.status AS status_now, n.upload_id AS upload_now,
    a.status AS status_after, a.upload_id AS upload_after
FROM current_action_status(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS n
JOIN touched AS t USING (action_id, period_start, period_end)
LEFT JOIN current_action_status(CAST(NULL AS INTEGER), [CAST($id AS INTEGER)]) AS a
  USING (action_id, period_start, period_end)
ORDER BY n.action_id, n.period_start

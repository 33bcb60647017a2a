-- Every action's status history: the current status of each quarter, newest quarter first.
SELECT a.action_id, a.period, a.period_start, a.period_end, a.status, a.note, a.upload_id
FROM action_status AS a
JOIN upload AS u ON u.id = a.upload_id
WHERE u.outcome = 'committed'
QUALIFY row_number() OVER (
    PARTITION BY a.action_id, a.period_start, a.period_end ORDER BY a.upload_id DESC
) = 1
ORDER BY a.action_id, a.period_start DESC

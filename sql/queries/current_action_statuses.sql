-- Every action's status history: the current status of each quarter, newest quarter first
-- (now, or as a board pack saw it: see upload_counts).
SELECT a.action_id, a.period, a.period_start, a.period_end, a.status, a.note, a.upload_id
FROM current_action_status(CAST($as_of_upload AS INTEGER), CAST($undone_uploads AS INTEGER[])) AS a
ORDER BY a.action_id, a.period_start DESC

INSERT INTO action_status (upload_id, line, action_id, period, period_start, period_end, status, note)
SELECT $upload_id, line, action_id, period, period_start, period_end, status, note
FROM staged_status
WHERE outcome <> 'unchanged'

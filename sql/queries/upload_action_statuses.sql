SELECT line, action_id, period, status, note
FROM action_status
WHERE upload_id = $id
ORDER BY line

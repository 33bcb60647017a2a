INSERT INTO action_indicator (action_id, indicator_id) VALUES ($action_id, $indicator_id)
ON CONFLICT DO NOTHING

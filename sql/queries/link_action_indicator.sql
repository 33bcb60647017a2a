INSERT OR IGNORE INTO action_indicator (action_id, indicator_id) VALUES ($action_id, $indicator_id)

-- Every row, unchanged ones too: a status an upload repeats is one it still carries, so undoing an
-- earlier upload never withdraws it.
INSERT INTO action_status (upload_id, line, action_id, period, period_start, period_end, status, note)
SELECT $upload_id, line, action_id, period, period_start, period_end, status, note
FROM staged_status

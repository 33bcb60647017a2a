-- The distinct indicator and period texts of an upload's plain rows, so each period is read once
-- (in Python, by metrics/periods.py) however many rows repeat it.
SELECT DISTINCT indicator_id, period_text FROM upload_fields WHERE plain

-- What undoing one upload would do to each key it touched: its value now, and what becomes current
-- (current_observation with the upload left out; NULLs when nothing else holds the key).
WITH touched AS (
    SELECT DISTINCT indicator_id, geography_code, breakdown_dimension, breakdown_value, period_start, period_end
    FROM observation WHERE upload_id = $id
)
SELECT
    n.indicator_id, n.geography_code, n.period, n.breakdown_dimension, n.breakdown_value,
    n.value AS value_now, n.missing AS missing_now, n.upload_id AS upload_now,
    a.value AS value_after, a.missing AS missing_after, a.upload_id AS upload_after
FROM current_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS n
JOIN touched AS t USING (indicator_id, geography_code, breakdown_dimension, breakdown_value, period_start, period_end)
LEFT JOIN current_observation(CAST(NULL AS INTEGER), [CAST($id AS INTEGER)]) AS a
  USING (indicator_id, geography_code, breakdown_dimension, breakdown_value, period_start, period_end)
ORDER BY n.indicator_id, n.geography_code, n.breakdown_dimension, n.breakdown_value, n.period_start

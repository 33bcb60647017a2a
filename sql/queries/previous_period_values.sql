-- The current value of the period before each uploaded row's own period, for the "large change" notice.
-- `wanted` is registered by the upload checks: one row per file line with the previous period's dates.
SELECT
    w.line,
    c.period AS previous_period,
    c.value AS previous_value,
    c.missing AS previous_missing
FROM wanted AS w
JOIN current_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS c
  ON c.indicator_id = w.indicator_id
 AND c.geography_code = w.geography_code
 AND c.breakdown_dimension = w.breakdown_dimension
 AND c.breakdown_value = w.breakdown_value
 AND c.period_start = w.previous_start
 AND c.period_end = w.previous_end
WHERE c.indicator_id IN (SELECT DISTINCT indicator_id FROM wanted)
ORDER BY w.line

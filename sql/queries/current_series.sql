-- The current value of every period of one indicator in the asked places and breakdown
-- (now, or as a board pack saw it: see upload_counts).
SELECT
    o.geography_code, o.period, o.period_start, o.period_end, o.value, o.numerator, o.denominator,
    o.missing, o.status, o.note, o.illustrative, o.source, o.upload_id, o.lower, o.upper, o.confidence
FROM current_observation(CAST($as_of_upload AS INTEGER), CAST($undone_uploads AS INTEGER[])) AS o
WHERE o.indicator_id = $indicator_id
  AND list_contains($geographies, o.geography_code)
  AND o.breakdown_dimension = $dimension
  AND o.breakdown_value = $breakdown_value
ORDER BY o.geography_code, o.period_start

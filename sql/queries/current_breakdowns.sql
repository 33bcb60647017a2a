-- The current values of every breakdown group of one indicator and dimension, for the asked places
-- (and only the period ending on $period_end, when it is given: a status needs only the latest).
SELECT
    o.geography_code, o.breakdown_value, o.period, o.period_start, o.period_end, o.value, o.numerator,
    o.denominator, o.missing, o.status, o.illustrative, o.lower, o.upper, o.confidence
FROM current_observation(CAST($as_of_upload AS INTEGER), CAST($undone_uploads AS INTEGER[])) AS o
WHERE o.indicator_id = $indicator_id
  AND list_contains($geographies, o.geography_code)
  AND o.breakdown_dimension = $dimension
  AND (CAST($period_end AS DATE) IS NULL OR o.period_end = CAST($period_end AS DATE))
ORDER BY o.period_start, o.breakdown_value, o.geography_code

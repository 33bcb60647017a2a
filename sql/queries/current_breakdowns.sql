-- The current values of every breakdown group of one indicator and dimension, for the asked places
-- (and only the period ending on $period_end, when it is given: a status needs only the latest).
SELECT
    o.geography_code, o.breakdown_value, o.period, o.period_start, o.period_end, o.value, o.numerator,
    o.denominator, o.missing, o.status, o.illustrative
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE u.outcome = 'committed'
  AND o.indicator_id = $indicator_id
  AND list_contains($geographies, o.geography_code)
  AND o.breakdown_dimension = $dimension
  AND ($period_end IS NULL OR o.period_end = CAST($period_end AS DATE))
QUALIFY row_number() OVER (
    PARTITION BY o.geography_code, o.breakdown_value, o.period_start, o.period_end
    ORDER BY o.upload_id DESC
) = 1
ORDER BY o.period_start, o.breakdown_value, o.geography_code

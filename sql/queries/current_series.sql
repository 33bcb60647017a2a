-- The current value of every period of one indicator in the asked places and breakdown.
SELECT
    o.geography_code, o.period, o.period_start, o.period_end, o.value, o.numerator, o.denominator,
    o.missing, o.status, o.note, o.illustrative, o.source, o.upload_id
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE u.outcome = 'committed'
  AND o.indicator_id = $indicator_id
  AND list_contains($geographies, o.geography_code)
  AND o.breakdown_dimension = $dimension
  AND o.breakdown_value = $breakdown_value
QUALIFY row_number() OVER (
    PARTITION BY o.geography_code, o.period_start, o.period_end ORDER BY o.upload_id DESC
) = 1
ORDER BY o.geography_code, o.period_start

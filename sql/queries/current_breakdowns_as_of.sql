-- current_breakdowns as it stood when a board pack was built (see current_series_as_of).
SELECT
    o.geography_code, o.breakdown_value, o.period, o.period_start, o.period_end, o.value, o.numerator,
    o.denominator, o.missing, o.status, o.illustrative
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE u.id <= $as_of_upload
  AND u.outcome IN ('committed', 'undone')
  AND NOT list_contains(CAST($undone_uploads AS INTEGER[]), u.id)
  AND o.indicator_id = $indicator_id
  AND list_contains($geographies, o.geography_code)
  AND o.breakdown_dimension = $dimension
  AND ($period_end IS NULL OR o.period_end = CAST($period_end AS DATE))
QUALIFY row_number() OVER (
    PARTITION BY o.geography_code, o.breakdown_value, o.period_start, o.period_end
    ORDER BY o.upload_id DESC
) = 1
ORDER BY o.period_start, o.breakdown_value, o.geography_code

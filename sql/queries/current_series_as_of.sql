-- current_series as it stood when a board pack was built: only uploads up to $as_of_upload count,
-- and an upload undone since then counts again (only those undone by then, $undone_uploads, are left out).
SELECT
    o.geography_code, o.period, o.period_start, o.period_end, o.value, o.numerator, o.denominator,
    o.missing, o.status, o.note, o.illustrative, o.source, o.upload_id
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE u.id <= $as_of_upload
  AND u.outcome IN ('committed', 'undone')
  AND NOT list_contains(CAST($undone_uploads AS INTEGER[]), u.id)
  AND o.indicator_id = $indicator_id
  AND list_contains($geographies, o.geography_code)
  AND o.breakdown_dimension = $dimension
  AND o.breakdown_value = $breakdown_value
QUALIFY row_number() OVER (
    PARTITION BY o.geography_code, o.period_start, o.period_end ORDER BY o.upload_id DESC
) = 1
ORDER BY o.geography_code, o.period_start

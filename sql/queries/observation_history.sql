-- Every value ever uploaded for one series, oldest first, with the upload that brought it.
SELECT
    o.period, o.period_start, o.period_end, o.value, o.numerator, o.denominator, o.missing, o.status,
    o.note, o.upload_id, u.file_name, u.user_name, u.uploaded_at, u.outcome AS upload_outcome,
    coalesce(o.confirms, false) AS confirms, o.lower, o.upper, o.confidence
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE o.indicator_id = $indicator_id
  AND o.geography_code = $geography
  AND o.breakdown_dimension = $dimension
  AND o.breakdown_value = $breakdown_value
ORDER BY o.period_start, o.upload_id

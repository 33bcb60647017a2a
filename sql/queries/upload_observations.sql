-- The values one upload brought, in the order of its file.
SELECT
    line, indicator_id, geography_code, period, breakdown_dimension, breakdown_value, value, numerator,
    denominator, missing, status, note, lower, upper, confidence
FROM observation
WHERE upload_id = $id
ORDER BY line

-- The rows that are new or revise a value; unchanged rows are kept as confirmations (insert_confirmations).
INSERT INTO observation (
    upload_id, line, indicator_id, geography_code, period, period_start, period_end,
    breakdown_dimension, breakdown_value, value, numerator, denominator, missing,
    status, note, illustrative, source
)
SELECT
    $upload_id, line, indicator_id, geography_code, period, period_start, period_end,
    breakdown_dimension, breakdown_value, value, numerator, denominator, missing,
    status, note, $illustrative, $source
FROM staged
WHERE outcome <> 'unchanged'

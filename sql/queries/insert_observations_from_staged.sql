-- The rows that are new or revise a value; unchanged rows are kept as confirmations (insert_confirmations).
-- Each is current from the start: its upload is the newest that counts (the rule of ranked_observation),
-- and retire_replaced_current clears the flag of the row it replaces, in the same transaction.
INSERT INTO observation (
    upload_id, line, indicator_id, geography_code, period, period_start, period_end,
    breakdown_dimension, breakdown_value, value, numerator, denominator, missing,
    status, note, illustrative, source, is_current, lower, upper, confidence
)
SELECT
    $upload_id, line, indicator_id, geography_code, period, period_start, period_end,
    breakdown_dimension, breakdown_value, value, numerator, denominator, missing,
    status, note, $illustrative, $source, true, lower, upper, confidence
FROM staged
WHERE outcome <> 'unchanged'

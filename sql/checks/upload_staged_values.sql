-- An upload's checked rows, ready for the writer: those the set checks passed and those the Python
-- checks passed (upload_rechecked), in no set order (the writer needs none; sorting a million rows
-- costs). Only asked for when no row has a problem.
SELECT line, indicator_id, geography_code, period, period_start, period_end, breakdown_dimension,
       breakdown_value, value, numerator, denominator, missing, status, note, lower, upper, confidence
FROM upload_checked WHERE ok
UNION ALL
SELECT line, indicator_id, geography_code, period, period_start, period_end, breakdown_dimension,
       breakdown_value, value, numerator, denominator, missing, status, note, lower, upper, confidence
FROM upload_rechecked

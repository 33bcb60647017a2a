-- A row an upload repeats unchanged is kept as a confirmation: a copy of the value it confirmed,
-- under the new upload, so undoing an earlier upload never withdraws a value a later one still carries.
-- The copy is the key's current row from now on (see insert_observations_from_staged).
INSERT INTO observation (
    upload_id, line, indicator_id, geography_code, period, period_start, period_end,
    breakdown_dimension, breakdown_value, value, numerator, denominator, missing,
    status, note, illustrative, source, confirms, is_current, lower, upper, confidence
)
SELECT
    $upload_id, s.line, o.indicator_id, o.geography_code, o.period, o.period_start, o.period_end,
    o.breakdown_dimension, o.breakdown_value, o.value, o.numerator, o.denominator, o.missing,
    o.status, o.note, o.illustrative, o.source, true, true, o.lower, o.upper, o.confidence
FROM staged AS s
JOIN observation AS o
  ON o.upload_id = s.old_upload_id
 AND o.indicator_id = s.indicator_id
 AND o.geography_code = s.geography_code
 AND o.breakdown_dimension = s.breakdown_dimension
 AND o.breakdown_value = s.breakdown_value
 AND o.period_start = s.period_start
 AND o.period_end = s.period_end
WHERE s.outcome = 'unchanged'

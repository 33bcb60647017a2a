-- The current value of the period before each uploaded row's own period, for the "large change" notice.
-- `wanted` is registered by metrics/uploads.py: one row per file line with the previous period's dates.
WITH current AS (
    SELECT o.*
    FROM observation AS o
    JOIN upload AS u ON u.id = o.upload_id
    WHERE u.outcome = 'committed'
      AND o.indicator_id IN (SELECT DISTINCT indicator_id FROM wanted)
    QUALIFY row_number() OVER (
        PARTITION BY o.indicator_id, o.geography_code, o.breakdown_dimension, o.breakdown_value,
                     o.period_start, o.period_end
        ORDER BY o.upload_id DESC
    ) = 1
)
SELECT
    w.line,
    c.period AS previous_period,
    c.value AS previous_value,
    c.missing AS previous_missing
FROM wanted AS w
JOIN current AS c
  ON c.indicator_id = w.indicator_id
 AND c.geography_code = w.geography_code
 AND c.breakdown_dimension = w.breakdown_dimension
 AND c.breakdown_value = w.breakdown_value
 AND c.period_start = w.previous_start
 AND c.period_end = w.previous_end
ORDER BY w.line

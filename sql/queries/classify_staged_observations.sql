-- For every checked row of an upload: is it new, a revision of the current value, or unchanged?
-- The current value of a key is its newest value from an upload that is still committed. Only the
-- (indicator, period) pairs the file touches are ranked, so a quarterly file on a large store is quick.
WITH touched AS (
    SELECT DISTINCT indicator_id, period_start FROM staged
),
current AS (
    SELECT o.*
    FROM observation AS o
    JOIN upload AS u ON u.id = o.upload_id
    WHERE u.outcome = 'committed'
      AND (o.indicator_id, o.period_start) IN (SELECT indicator_id, period_start FROM touched)
    QUALIFY row_number() OVER (
        PARTITION BY o.indicator_id, o.geography_code, o.breakdown_dimension, o.breakdown_value,
                     o.period_start, o.period_end
        ORDER BY o.upload_id DESC
    ) = 1
)
SELECT
    s.line,
    CASE
        WHEN c.indicator_id IS NULL THEN 'inserted'
        WHEN s.value IS NOT DISTINCT FROM c.value
         AND s.numerator IS NOT DISTINCT FROM c.numerator
         AND s.denominator IS NOT DISTINCT FROM c.denominator
         AND s.missing IS NOT DISTINCT FROM c.missing
         AND s.status = c.status THEN 'unchanged'
        ELSE 'revised'
    END AS outcome,
    c.value AS old_value,
    c.numerator AS old_numerator,
    c.denominator AS old_denominator,
    c.missing AS old_missing,
    c.status AS old_status,
    c.period AS old_period,
    c.upload_id AS old_upload_id
FROM staged AS s
LEFT JOIN current AS c
  ON c.indicator_id = s.indicator_id
 AND c.geography_code = s.geography_code
 AND c.breakdown_dimension = s.breakdown_dimension
 AND c.breakdown_value = s.breakdown_value
 AND c.period_start = s.period_start
 AND c.period_end = s.period_end
ORDER BY s.line

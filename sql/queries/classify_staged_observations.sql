-- For every checked row of an upload: is it new, a revision of the current value, or unchanged? Each
-- row comes back whole with its outcome and what the store holds for its key, so the writer inserts
-- from this result and the page previews it (in no set order: the preview sorts by line).
-- Only the (indicator, period) pairs the file touches are read, so a quarterly file on a large store
-- is quick. A new confidence interval (lower, upper or confidence) on an unchanged value is a revision:
-- the interval is part of the published estimate (see the README's upload rules).
WITH touched AS (
    SELECT DISTINCT indicator_id, period_start FROM staged
),
current AS (
    SELECT c.*
    FROM current_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS c
    WHERE (c.indicator_id, c.period_start) IN (SELECT indicator_id, period_start FROM touched)
)
SELECT
    s.*,
    CASE
        WHEN c.indicator_id IS NULL THEN 'inserted'
        WHEN s.value IS NOT DISTINCT FROM c.value
         AND s.numerator IS NOT DISTINCT FROM c.numerator
         AND s.denominator IS NOT DISTINCT FROM c.denominator
         AND s.missing IS NOT DISTINCT FROM c.missing
         AND s.status = c.status
         AND s.lower IS NOT DISTINCT FROM c.lower
         AND s.upper IS NOT DISTINCT FROM c.upper
         AND s.confidence IS NOT DISTINCT FROM c.confidence THEN 'unchanged'
        ELSE 'revised'
    END AS outcome,
    c.value AS old_value,
    c.numerator AS old_numerator,
    c.denominator AS old_denominator,
    c.missing AS old_missing,
    c.status AS old_status,
    c.period AS old_period,
    c.upload_id AS old_upload_id,
    c.lower AS old_lower,
    c.upper AS old_upper,
    c.confidence AS old_confidence
FROM staged AS s
LEFT JOIN current AS c
  ON c.indicator_id = s.indicator_id
 AND c.geography_code = s.geography_code
 AND c.breakdown_dimension = s.breakdown_dimension
 AND c.breakdown_value = s.breakdown_value
 AND c.period_start = s.period_start
 AND c.period_end = s.period_end

-- Rows that passed their checks but repeat an earlier passing row's key (indicator, period, place and
-- breakdown): each with the first line of its key, which the contract's message names. Keys are first
-- grouped by their hash alone (cheap for a million rows, and nearly always no group has two), and only
-- rows whose hash is shared are grouped by the key itself.
WITH passed AS (
    SELECT line, indicator_id, period_start, period_end, geography_code, breakdown_dimension, breakdown_value
    FROM upload_checked WHERE ok
    UNION ALL
    SELECT line, indicator_id, period_start, period_end, geography_code, breakdown_dimension, breakdown_value
    FROM upload_rechecked
),
hashed AS (
    SELECT *, hash(indicator_id, period_start, period_end, geography_code, breakdown_dimension, breakdown_value) AS h
    FROM passed
),
shared AS (
    SELECT h FROM hashed GROUP BY h HAVING count(*) > 1
),
suspects AS (
    SELECT * FROM hashed WHERE h IN (SELECT h FROM shared)
),
repeated AS (
    SELECT indicator_id, period_start, period_end, geography_code, breakdown_dimension, breakdown_value,
           min(line) AS first_line
    FROM suspects
    GROUP BY indicator_id, period_start, period_end, geography_code, breakdown_dimension, breakdown_value
    HAVING count(*) > 1
)
SELECT p.line, r.first_line
FROM suspects AS p
JOIN repeated AS r USING (indicator_id, period_start, period_end, geography_code, breakdown_dimension, breakdown_value)
WHERE p.line > r.first_line
ORDER BY p.line

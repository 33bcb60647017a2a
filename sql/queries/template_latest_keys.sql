-- For each asked indicator: its latest period with a value, and every place and breakdown with a value
-- in that period (the rows a pre-filled template lists for the period after it).
WITH live AS (
    SELECT
        o.indicator_id, o.geography_code, o.breakdown_dimension, o.breakdown_value,
        o.period, o.period_start, o.period_end
    FROM current_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS o
    WHERE list_contains($indicators, o.indicator_id)
),
latest AS (
    SELECT indicator_id, max(period_start) AS period_start
    FROM live
    GROUP BY indicator_id
)
SELECT DISTINCT
    l.indicator_id, l.period, l.period_start, l.period_end,
    l.geography_code, l.breakdown_dimension, l.breakdown_value
FROM live AS l
JOIN latest AS m ON m.indicator_id = l.indicator_id AND m.period_start = l.period_start
ORDER BY l.indicator_id, l.geography_code, l.breakdown_dimension, l.breakdown_value

-- What undoing one upload would do to each key it touched: its value now, and what becomes current.
WITH touched AS (
    SELECT DISTINCT indicator_id, geography_code, breakdown_dimension, breakdown_value, period_start, period_end
    FROM observation WHERE upload_id = $id
),
ranked AS (
    SELECT
        o.*,
        row_number() OVER (
            PARTITION BY o.indicator_id, o.geography_code, o.breakdown_dimension, o.breakdown_value,
                         o.period_start, o.period_end
            ORDER BY o.upload_id DESC
        ) AS rank_now,
        row_number() OVER (
            PARTITION BY o.indicator_id, o.geography_code, o.breakdown_dimension, o.breakdown_value,
                         o.period_start, o.period_end
            ORDER BY (o.upload_id = $id), o.upload_id DESC
        ) AS rank_after
    FROM observation AS o
    JOIN upload AS u ON u.id = o.upload_id
    JOIN touched AS t USING (indicator_id, geography_code, breakdown_dimension, breakdown_value, period_start, period_end)
    WHERE u.outcome = 'committed'
)
SELECT
    n.indicator_id, n.geography_code, n.period, n.breakdown_dimension, n.breakdown_value,
    n.value AS value_now, n.missing AS missing_now, n.upload_id AS upload_now,
    CASE WHEN a.upload_id = $id THEN NULL ELSE a.value END AS value_after,
    CASE WHEN a.upload_id = $id THEN NULL ELSE a.missing END AS missing_after,
    CASE WHEN a.upload_id = $id THEN NULL ELSE a.upload_id END AS upload_after
FROM ranked AS n
JOIN ranked AS a
  ON a.indicator_id = n.indicator_id AND a.geography_code = n.geography_code
 AND a.breakdown_dimension = n.breakdown_dimension AND a.breakdown_value = n.breakdown_value
 AND a.period_start = n.period_start AND a.period_end = n.period_end
WHERE n.rank_now = 1 AND a.rank_after = 1
ORDER BY n.indicator_id, n.geography_code, n.breakdown_dimension, n.breakdown_value, n.period_start

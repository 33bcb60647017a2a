-- What undoing one action status upload would do to each action and quarter it touched:
-- the status now, and the status that becomes current (NULL: the quarter has no status after).
WITH touched AS (
    SELECT DISTINCT action_id, period_start, period_end
    FROM action_status WHERE upload_id = $id
),
ranked AS (
    SELECT
        a.*,
        row_number() OVER (
            PARTITION BY a.action_id, a.period_start, a.period_end ORDER BY a.upload_id DESC
        ) AS rank_now,
        row_number() OVER (
            PARTITION BY a.action_id, a.period_start, a.period_end
            ORDER BY (a.upload_id = $id), a.upload_id DESC
        ) AS rank_after
    FROM action_status AS a
    JOIN upload AS u ON u.id = a.upload_id
    JOIN touched AS t USING (action_id, period_start, period_end)
    WHERE u.outcome = 'committed'
)
SELECT
    n.action_id, n.period,
    n.status AS status_now, n.upload_id AS upload_now,
    CASE WHEN a.upload_id = $id THEN NULL ELSE a.status END AS status_after,
    CASE WHEN a.upload_id = $id THEN NULL ELSE a.upload_id END AS upload_after
FROM ranked AS n
JOIN ranked AS a
  ON a.action_id = n.action_id AND a.period_start = n.period_start AND a.period_end = n.period_end
WHERE n.rank_now = 1 AND a.rank_after = 1
ORDER BY n.action_id, n.period_start

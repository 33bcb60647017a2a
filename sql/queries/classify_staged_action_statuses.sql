-- For every checked action status row: new, a revision, or unchanged against the current status.
WITH current AS (
    SELECT a.*
    FROM action_status AS a
    JOIN upload AS u ON u.id = a.upload_id
    WHERE u.outcome = 'committed'
    QUALIFY row_number() OVER (
        PARTITION BY a.action_id, a.period_start, a.period_end ORDER BY a.upload_id DESC
    ) = 1
)
SELECT
    s.line,
    CASE
        WHEN c.action_id IS NULL THEN 'inserted'
        WHEN s.status = c.status AND s.note IS NOT DISTINCT FROM c.note THEN 'unchanged'
        ELSE 'revised'
    END AS outcome,
    c.status AS old_status,
    c.note AS old_note
FROM staged_status AS s
LEFT JOIN current AS c
  ON c.action_id = s.action_id AND c.period_start = s.period_start AND c.period_end = s.period_end
ORDER BY s.line

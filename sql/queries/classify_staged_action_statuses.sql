-- For every checked action status row: new, a revision, or unchanged against the current status; each
-- row whole with its outcome, in no set order (see classify_staged_observations).
SELECT
    s.*,
    CASE
        WHEN c.action_id IS NULL THEN 'inserted'
        WHEN s.status = c.status AND s.note IS NOT DISTINCT FROM c.note THEN 'unchanged'
        ELSE 'revised'
    END AS outcome,
    c.status AS old_status,
    c.note AS old_note
FROM staged_status AS s
LEFT JOIN current_action_status(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS c
  ON c.action_id = s.action_id AND c.period_start = s.period_start AND c.period_end = s.period_end

-- Each action's latest quarter with a status, for the action status template's next quarter due.
SELECT
    a.action_id,
    arg_max(a.period, a.period_start) AS period,
    max(a.period_start) AS period_start,
    arg_max(a.period_end, a.period_start) AS period_end
FROM current_action_status(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS a
GROUP BY a.action_id
ORDER BY a.action_id

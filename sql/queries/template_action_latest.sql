-- Each action's latest quarter with a status, for the action status template's next quarter due.
SELECT DISTINCT ON (a.action_id) a.action_id, a.period, a.period_start, a.period_end
FROM current_action_status(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS a
ORDER BY a.action_id, a.period_start DESC

-- current_action_statuses as it stood when a board pack was built (see current_series_as_of).
SELECT a.action_id, a.period, a.period_start, a.period_end, a.status, a.note, a.upload_id
FROM action_status AS a
JOIN upload AS u ON u.id = a.upload_id
WHERE u.id <= $as_of_upload
  AND u.outcome IN ('committed', 'undone')
  AND NOT list_contains(CAST($undone_uploads AS INTEGER[]), u.id)
QUALIFY row_number() OVER (
    PARTITION BY a.action_id, a.period_start, a.period_end ORDER BY a.upload_id DESC
) = 1
ORDER BY a.action_id, a.period_start DESC

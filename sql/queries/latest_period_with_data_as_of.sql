-- latest_period_with_data as it stood when a board pack was built (see current_series_as_of).
SELECT max(o.period_end) AS period_end
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE u.id <= $as_of_upload
  AND u.outcome IN ('committed', 'undone')
  AND NOT list_contains(CAST($undone_uploads AS INTEGER[]), u.id)

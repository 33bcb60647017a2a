-- The newest period that has any current value, across every indicator: the dashboard's "data as at".
SELECT max(o.period_end) AS period_end
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE u.outcome = 'committed'

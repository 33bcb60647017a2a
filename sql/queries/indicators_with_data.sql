SELECT o.indicator_id, max(o.period_end) AS latest_end, count(*) AS values_held
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE u.outcome = 'committed' AND o.missing IS NULL
GROUP BY o.indicator_id

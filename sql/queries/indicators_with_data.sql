-- Which indicators hold values: the newest period with a value and how many current values there are.
SELECT o.indicator_id, max(o.period_end) AS latest_end, count(*) AS values_held
FROM current_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS o
WHERE o.missing IS NULL
GROUP BY o.indicator_id

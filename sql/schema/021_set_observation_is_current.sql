-- The current flags of a store made before they existed, set once from the rule.
UPDATE observation AS o
SET is_current = true
FROM ranked_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS r
WHERE o.upload_id = r.upload_id
  AND o.indicator_id = r.indicator_id
  AND o.geography_code = r.geography_code
  AND o.breakdown_dimension = r.breakdown_dimension
  AND o.breakdown_value = r.breakdown_value
  AND o.period_start = r.period_start
  AND o.period_end = r.period_end

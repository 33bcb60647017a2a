-- The breakdown groups holding a current value for one indicator and place (a page's breakdown menu).
SELECT DISTINCT o.breakdown_dimension, o.breakdown_value
FROM current_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS o
WHERE o.indicator_id = $indicator_id
  AND o.geography_code = $geography
  AND list_contains($dimensions, o.breakdown_dimension)
ORDER BY o.breakdown_dimension, o.breakdown_value

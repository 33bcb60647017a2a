-- The newest period with a current value for one indicator and breakdown in the asked places: what
-- the scheme view shows, so it reads that period's rows only.
SELECT max(o.period_end) AS period_end
FROM current_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[])) AS o
WHERE o.indicator_id = $indicator_id
  AND list_contains($geographies, o.geography_code)
  AND o.breakdown_dimension = $dimension

-- After an upload is written or undone: the current flag of every key it holds, set from the rule
-- (ranked_observation). $indicators and $period_starts (touched_indicator_periods) bound the rows the
-- rule ranks: DuckDB pushes a filter on key columns inside it, so a quarterly file ranks only its own
-- indicators and periods, not the whole history.
UPDATE observation AS o
SET is_current = coalesce(o.upload_id = n.upload_id, false)
FROM (
    SELECT t.indicator_id, t.geography_code, t.breakdown_dimension, t.breakdown_value, t.period_start,
           t.period_end, r.upload_id
    FROM (
        SELECT DISTINCT indicator_id, geography_code, breakdown_dimension, breakdown_value, period_start,
                        period_end
        FROM observation
        WHERE upload_id = $upload_id
    ) AS t
    LEFT JOIN (
        SELECT *
        FROM ranked_observation(CAST(NULL AS INTEGER), CAST([] AS INTEGER[]))
        WHERE list_contains(CAST($indicators AS VARCHAR[]), indicator_id)
          AND list_contains(CAST($period_starts AS DATE[]), period_start)
    ) AS r
      USING (indicator_id, geography_code, breakdown_dimension, breakdown_value, period_start, period_end)
) AS n
WHERE o.indicator_id = n.indicator_id
  AND o.geography_code = n.geography_code
  AND o.breakdown_dimension = n.breakdown_dimension
  AND o.breakdown_value = n.breakdown_value
  AND o.period_start = n.period_start
  AND o.period_end = n.period_end

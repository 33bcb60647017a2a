-- The indicators and period starts an upload holds rows for: what refresh_current_observations ranks.
SELECT
    coalesce(list(DISTINCT indicator_id), CAST([] AS VARCHAR[])) AS indicators,
    coalesce(list(DISTINCT period_start), CAST([] AS DATE[])) AS period_starts
FROM observation
WHERE upload_id = $upload_id

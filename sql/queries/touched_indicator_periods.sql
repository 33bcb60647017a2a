-- The indicators and period starts an upload holds rows for: what refresh_current_observations ranks.
SELECT
    coalesce(list(DISTINCT indicator_id), []) AS indicators,
    coalesce(list(DISTINCT period_start), []) AS period_starts
FROM observation
WHERE upload_id = $upload_id

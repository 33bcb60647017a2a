-- The newest period that has any value that counts, across every indicator: the dashboard's "data as at"
-- (now, or as a board pack saw it: see upload_counts).
SELECT max(o.period_end) AS period_end
FROM observation AS o
JOIN upload AS u ON u.id = o.upload_id
WHERE upload_counts(u.id, u.outcome, CAST($as_of_upload AS INTEGER), CAST($undone_uploads AS INTEGER[]))

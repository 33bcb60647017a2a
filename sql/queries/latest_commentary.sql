-- The newest version of every subject's commentary for one reporting quarter.
SELECT
    id, subject_kind, subject_id, period, period_start, period_end, version, happened, why, next_steps,
    state, author, author_key, written_at, note, revised_after_pack
FROM (
    SELECT c.*, row_number() OVER (
        PARTITION BY c.subject_kind, c.subject_id ORDER BY c.version DESC
    ) AS newest
    FROM commentary AS c
    WHERE c.period_start = $period_start
) AS ranked
WHERE newest = 1
ORDER BY subject_kind, subject_id

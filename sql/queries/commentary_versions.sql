-- Every version of one subject's commentary for one reporting quarter, oldest first.
SELECT
    id, subject_kind, subject_id, period, period_start, period_end, version, happened, why, next_steps,
    state, author, author_key, written_at, note, revised_after_pack
FROM commentary
WHERE subject_kind = $subject_kind AND subject_id = $subject_id AND period_start = $period_start
ORDER BY version

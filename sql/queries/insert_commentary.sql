INSERT INTO commentary (
    id, subject_kind, subject_id, period, period_start, period_end, version, happened, why, next_steps,
    state, author, author_key, written_at, note, revised_after_pack
) VALUES (
    $id, $subject_kind, $subject_id, $period, $period_start, $period_end, $version, $happened, $why,
    $next_steps, $state, $author, $author_key, $written_at, $note, $revised_after_pack
)

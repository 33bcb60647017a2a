-- The newest version of every subject's commentary for one reporting quarter.
SELECT
    c.id, c.subject_kind, c.subject_id, c.period, c.period_start, c.period_end, c.version, c.happened, c.why,
    c.next_steps, c.state, c.author, c.author_key, c.written_at, c.note, c.revised_after_pack
FROM commentary AS c
WHERE c.period_start = $period_start
  AND c.version = (
      SELECT max(n.version)
      FROM commentary AS n
      WHERE n.subject_kind = c.subject_kind AND n.subject_id = c.subject_id AND n.period_start = c.period_start
  )
ORDER BY c.subject_kind, c.subject_id

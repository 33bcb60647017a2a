UPDATE upload SET outcome = 'undone', undone_at = $undone_at, undone_by = $undone_by
WHERE id = $id AND outcome = 'committed'

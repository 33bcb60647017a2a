INSERT INTO owner_change (subject_kind, subject_id, owner, changed_at, changed_by, changed_by_key)
VALUES ($subject_kind, $subject_id, $owner, $changed_at, $changed_by, $changed_by_key)

-- Every owner change made in the app, oldest first (the newest for each subject is its owner).
SELECT subject_kind, subject_id, owner, changed_at, changed_by
FROM owner_change
ORDER BY changed_at, subject_kind, subject_id

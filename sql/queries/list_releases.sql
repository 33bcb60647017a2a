-- Every release kpi publish recorded, oldest first: the previous release of a new one is the newest
-- whose release time is before its own, so building the same release twice writes the same files.
SELECT id, release_time, built_at, include_illustrative, as_of_upload, undone_uploads, uploads, manifest
FROM release
ORDER BY release_time, id

-- The lines of an upload's records that the set checks did not pass (and that are not plainly blank),
-- in file order: metrics/upload/values.py reads them again and words each problem.
SELECT line
FROM upload_checked
WHERE NOT ok AND NOT (plain AND blank)
ORDER BY line

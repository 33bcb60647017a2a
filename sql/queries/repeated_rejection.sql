-- The upload id of a rejection to reuse: when the newest attempt this person made is the same file
-- (by its SHA-256), rejected, choosing it again records nothing new (the history shows one attempt).
SELECT id
FROM upload
WHERE id = (SELECT max(id) FROM upload WHERE user_key IS NOT DISTINCT FROM $user_key)
  AND outcome = 'rejected'
  AND sha256 = $sha256

-- Every alert and digest, newest first.
SELECT id, kind, upload_id, created_at, recipients, subject, body, delivery, sent_at, error
FROM alert
ORDER BY created_at DESC, id DESC

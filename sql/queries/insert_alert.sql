INSERT INTO alert (id, kind, upload_id, created_at, recipients, subject, body, delivery, sent_at, error)
VALUES ($id, $kind, $upload_id, $created_at, $recipients, $subject, $body, $delivery, $sent_at, $error)

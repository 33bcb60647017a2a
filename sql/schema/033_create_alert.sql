-- Messages about turned verdicts (one per upload) and the weekly digest: who they went to, what they
-- said, and whether they were sent by e-mail or shown in the app only (no SMTP set up, or it failed).
CREATE TABLE alert (
    id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,
    upload_id INTEGER,
    created_at TIMESTAMP NOT NULL,
    recipients JSON NOT NULL,
    subject VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    delivery VARCHAR NOT NULL,
    sent_at TIMESTAMP,
    error VARCHAR
)

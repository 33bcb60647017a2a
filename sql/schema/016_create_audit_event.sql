CREATE TABLE audit_event (
    event_at TIMESTAMP NOT NULL,
    user_name VARCHAR,
    user_key VARCHAR,
    action VARCHAR NOT NULL,
    target VARCHAR,
    outcome VARCHAR NOT NULL,
    detail VARCHAR
)

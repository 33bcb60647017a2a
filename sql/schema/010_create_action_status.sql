CREATE TABLE action_status (
    upload_id INTEGER NOT NULL,
    line INTEGER,
    action_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    status VARCHAR NOT NULL,
    note VARCHAR
)

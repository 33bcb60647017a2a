-- Owners' commentary per indicator or action and reporting quarter. Append only: each save, submission,
-- approval and return is a new version, so every version and every sign-off is kept with who and when.
CREATE TABLE commentary (
    id INTEGER PRIMARY KEY,
    subject_kind VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    version INTEGER NOT NULL,
    happened VARCHAR NOT NULL,
    why VARCHAR NOT NULL,
    next_steps VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    author VARCHAR NOT NULL,
    author_key VARCHAR,
    written_at TIMESTAMP NOT NULL,
    note VARCHAR,
    revised_after_pack INTEGER
)

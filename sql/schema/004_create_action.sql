CREATE TABLE action (
    id VARCHAR PRIMARY KEY,
    theme_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    milestone BOOLEAN NOT NULL
)

CREATE TABLE indicator (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    theme_id VARCHAR NOT NULL,
    definition JSON NOT NULL
)

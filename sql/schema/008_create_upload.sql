CREATE TABLE upload (
    id INTEGER PRIMARY KEY,
    kind VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    user_name VARCHAR NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    rows INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    revised INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    outcome VARCHAR NOT NULL,
    report JSON NOT NULL
)

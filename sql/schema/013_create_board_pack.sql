-- The "as presented" archive: each board pack kept for a board, with what it was built from,
-- so it can be rebuilt later from the same data (uploads up to as_of_upload, less those then undone).
CREATE TABLE board_pack (
    id INTEGER PRIMARY KEY,
    title VARCHAR NOT NULL,
    board VARCHAR NOT NULL,
    presented_on DATE NOT NULL,
    theme_id VARCHAR,
    format VARCHAR NOT NULL,
    built_at TIMESTAMP NOT NULL,
    built_by VARCHAR NOT NULL,
    status_date DATE NOT NULL,
    as_of_upload INTEGER NOT NULL,
    undone_uploads INTEGER[] NOT NULL,
    uploads INTEGER[] NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL
)

-- Each public release `kpi publish` wrote: when it counts from, what it reflects (uploads up to
-- as_of_upload less those in undone_uploads, the rule of upload_counts, so the previous release's
-- figures can be read again for the revisions page) and the SHA-256 of every file it wrote.
CREATE TABLE release (
    id INTEGER PRIMARY KEY,
    release_time TIMESTAMP NOT NULL,
    built_at TIMESTAMP NOT NULL,
    include_illustrative BOOLEAN NOT NULL,
    as_of_upload INTEGER NOT NULL,
    undone_uploads INTEGER[] NOT NULL,
    uploads INTEGER[] NOT NULL,
    manifest JSON NOT NULL
)

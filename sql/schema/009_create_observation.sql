CREATE TABLE observation (
    upload_id INTEGER NOT NULL,
    line INTEGER,
    indicator_id VARCHAR NOT NULL,
    geography_code VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    breakdown_dimension VARCHAR NOT NULL,
    breakdown_value VARCHAR NOT NULL,
    value DOUBLE,
    numerator DOUBLE,
    denominator DOUBLE,
    missing VARCHAR,
    status VARCHAR NOT NULL,
    note VARCHAR,
    illustrative BOOLEAN NOT NULL,
    source VARCHAR
)

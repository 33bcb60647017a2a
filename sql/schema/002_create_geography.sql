CREATE TABLE geography (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    aliases VARCHAR NOT NULL
)

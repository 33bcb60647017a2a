CREATE TABLE action_indicator (
    action_id VARCHAR NOT NULL,
    indicator_id VARCHAR NOT NULL,
    PRIMARY KEY (action_id, indicator_id)
)

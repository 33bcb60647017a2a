-- A reporting quarter locked when a board pack covering it is kept "as presented": its approved
-- commentary and the figures the pack showed are what the board saw; later changes are flagged.
CREATE TABLE period_lock (
    board_pack_id INTEGER NOT NULL,
    period VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    presented_on DATE NOT NULL,
    locked_at TIMESTAMP NOT NULL,
    locked_by VARCHAR NOT NULL
)

INSERT INTO period_lock (board_pack_id, period, period_start, period_end, presented_on, locked_at, locked_by)
VALUES ($board_pack_id, $period, $period_start, $period_end, $presented_on, $locked_at, $locked_by)

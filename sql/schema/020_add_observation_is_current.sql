-- Each row's current flag, kept up to date by every upload and undo (refresh_current_observations),
-- so reads of current values touch only current rows instead of ranking the history behind them.
ALTER TABLE observation ADD COLUMN is_current BOOLEAN DEFAULT false

-- The level of a value's confidence interval in percent (upload column `confidence`, e.g. 95); given
-- with lower and upper, and only with them.
ALTER TABLE observation ADD COLUMN confidence DOUBLE

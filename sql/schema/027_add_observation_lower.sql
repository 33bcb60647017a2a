-- The lower bound of a value's confidence interval, in the value's unit (upload column `lower`): only
-- for indicators the catalogue marks as estimates; NULL for every other value and for stores made before.
ALTER TABLE observation ADD COLUMN lower DOUBLE

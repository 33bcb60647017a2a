-- The upper bound of a value's confidence interval, in the value's unit (upload column `upper`); NULL
-- where none was given. lower <= value <= upper is checked on upload.
ALTER TABLE observation ADD COLUMN upper DOUBLE

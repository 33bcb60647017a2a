ALTER TABLE observation ADD COLUMN confirms BOOLEAN DEFAULT false

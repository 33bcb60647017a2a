INSERT OR REPLACE INTO theme (id, position, name, outcome) VALUES ($id, $position, $name, $outcome)

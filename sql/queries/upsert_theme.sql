INSERT INTO theme (id, position, name, outcome) VALUES ($id, $position, $name, $outcome)
ON CONFLICT (id) DO UPDATE SET position = excluded.position, name = excluded.name, outcome = excluded.outcome

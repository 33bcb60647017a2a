INSERT INTO indicator (id, name, theme_id, definition) VALUES ($id, $name, $theme_id, $definition)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, theme_id = excluded.theme_id, definition = excluded.definition

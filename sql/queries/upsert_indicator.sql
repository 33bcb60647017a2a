INSERT OR REPLACE INTO indicator (id, name, theme_id, definition) VALUES ($id, $name, $theme_id, $definition)

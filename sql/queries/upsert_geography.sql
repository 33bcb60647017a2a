INSERT INTO geography (code, name, level, aliases) VALUES ($code, $name, $level, $aliases)
ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, aliases = excluded.aliases

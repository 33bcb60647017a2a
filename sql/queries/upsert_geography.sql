INSERT OR REPLACE INTO geography (code, name, level, aliases) VALUES ($code, $name, $level, $aliases)

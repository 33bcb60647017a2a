INSERT OR REPLACE INTO action (id, theme_id, position, text, milestone)
VALUES ($id, $theme_id, $position, $text, $milestone)

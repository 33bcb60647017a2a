INSERT INTO action (id, theme_id, position, text, milestone)
VALUES ($id, $theme_id, $position, $text, $milestone)
ON CONFLICT (id) DO UPDATE SET
    theme_id = excluded.theme_id, position = excluded.position, text = excluded.text,
    milestone = excluded.milestone

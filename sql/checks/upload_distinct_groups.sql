-- The distinct indicator, breakdown and group texts of an upload's plain rows, so each is checked
-- against the catalogue once.
SELECT DISTINCT indicator_id, dimension_text, group_text FROM upload_fields WHERE plain

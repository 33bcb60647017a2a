-- The distinct place texts of an upload's plain rows, so each is matched to the catalogue once.
SELECT DISTINCT place_text FROM upload_fields WHERE plain

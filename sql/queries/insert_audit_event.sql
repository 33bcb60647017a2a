-- An attempt the write path refused (a viewer trying to upload, an analyst undoing another's upload).
INSERT INTO audit_event (event_at, user_name, user_key, action, target, outcome, detail)
VALUES ($event_at, $user_name, $user_key, $action, $target, $outcome, $detail)

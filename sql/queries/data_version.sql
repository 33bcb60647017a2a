-- The data version of a shared store (PostgreSQL): it changes with every write a page can show (an
-- upload committed or rejected, an undo, a board pack kept, a refused attempt, a migration, an owner
-- changed, a commentary version, an alert), so each
-- replica's caches, keyed on it, see another replica's write on their next run. Writes are serialised
-- by the store's write lock, so these only grow.
SELECT
    (SELECT coalesce(max(id), 0) FROM upload) AS last_upload,
    (SELECT count(undone_at) FROM upload) AS undone,
    (SELECT count(*) FROM board_pack) AS board_packs,
    (SELECT count(*) FROM audit_event) AS audit_events,
    (SELECT count(*) FROM owner_change) AS owner_changes,
    (SELECT count(*) FROM commentary) AS commentary_versions,
    (SELECT count(*) FROM alert) AS alerts,
    (SELECT coalesce(max(version), 0) FROM schema_migration) AS schema_version

-- Owners changed in the app by an admin: the newest change for an indicator or action wins over the
-- owner declared in data/, and every change is kept (who, when), for the audit log.
CREATE TABLE owner_change (
    subject_kind VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL,
    changed_by_key VARCHAR
)

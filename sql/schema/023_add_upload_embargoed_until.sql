-- The moment an upload's figures may first be published (`kpi ingest --embargoed-until`); NULL: as soon
-- as they are uploaded. `kpi publish` leaves out every upload whose release time is after its own.
ALTER TABLE upload ADD COLUMN embargoed_until TIMESTAMP

-- After an upload is written: the rows it revised or confirmed are no longer current, since its own rows
-- (flagged current as they were inserted) are now each key's row from the newest upload that counts.
-- Only the replaced rows are touched (staged.old_upload_id names each), so a million new keys cost
-- nothing here; undo re-ranks its keys from the rule instead (refresh_current_observations).
UPDATE observation AS o
SET is_current = false
FROM staged AS s
WHERE s.outcome <> 'inserted'
  AND o.upload_id = s.old_upload_id
  AND o.indicator_id = s.indicator_id
  AND o.geography_code = s.geography_code
  AND o.breakdown_dimension = s.breakdown_dimension
  AND o.breakdown_value = s.breakdown_value
  AND o.period_start = s.period_start
  AND o.period_end = s.period_end

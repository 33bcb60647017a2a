-- Whether an upload's figures are illustrative (the sample data builder's), so a public release can
-- leave out a whole upload, action statuses included, unless asked to show illustrative data marked.
ALTER TABLE upload ADD COLUMN illustrative BOOLEAN

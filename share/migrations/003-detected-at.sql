-- When the disruption was detected (monitoring, the post-incident review):
-- the creation time unless the caller knows better.
ALTER TABLE incident ADD COLUMN detected_at INTEGER;
UPDATE incident SET detected_at = created_at;

-- as ../003-detected-at.sql
ALTER TABLE incident ADD COLUMN detected_at bigint;
UPDATE incident SET detected_at = created_at;

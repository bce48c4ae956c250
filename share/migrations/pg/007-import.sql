-- as ../007-import.sql
ALTER TABLE incident ADD COLUMN first_tier bigint;

-- as ../002-attachments.sql
ALTER TABLE incident ADD COLUMN attachments text NOT NULL DEFAULT '[]';

-- Attachments of an incident (mail gateway): a JSON array of
-- {name, type, size, sha256}, the files stored by content hash.
ALTER TABLE incident ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

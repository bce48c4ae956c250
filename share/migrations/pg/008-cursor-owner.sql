-- as ../008-cursor-owner.sql
ALTER TABLE cursor ADD COLUMN tool text;
UPDATE cursor SET tool = 'inc-escalate' WHERE name = 'escalate';
UPDATE cursor SET tool = 'inc-notify' WHERE name = 'mail';

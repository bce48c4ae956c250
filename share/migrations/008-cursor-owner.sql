-- A consumer's cursor belongs to the tool that first moved it: inc-events
-- --consumer cannot take the cursor of inc-escalate or inc-notify (it would
-- move it past escalations and mail nobody then acts on). NULL: nobody's
-- yet (made by inc-events --seek), the first consumer to move it takes it.
ALTER TABLE cursor ADD COLUMN tool TEXT;
UPDATE cursor SET tool = 'inc-escalate' WHERE name = 'escalate';
UPDATE cursor SET tool = 'inc-notify' WHERE name = 'mail';

-- inc-import: the support line (tier) of the group an incident was first
-- assigned in, kept as a KPI fact like first_group (first-contact
-- resolution counts tier-1 groups), for groups the config does not know:
-- those of another desk's history. NULL: the config's tier of first_group.
ALTER TABLE incident ADD COLUMN first_tier INTEGER;

-- Two inc inits (or inc db roles) on one server at once, each making the
-- same group role or login: the loser's CREATE ROLE fails with
-- unique_violation as often as with duplicate_object (the two race on the
-- catalog's unique index), and migration 010's inc_secure() and
-- inc_login() caught only the latter, so the second init failed. Both
-- functions now take either as "made meanwhile". They are rewritten from
-- their own definition, so a desk keeps whatever else its version of them
-- says; CREATE OR REPLACE keeps their owner and grants.
DO $$
DECLARE
	f text;
	def text;
BEGIN
	FOREACH f IN ARRAY ARRAY['inc_secure()', 'inc_login(text, text)'] LOOP
		def := pg_catalog.pg_get_functiondef(f::regprocedure);
		IF strpos(def, 'WHEN duplicate_object THEN') = 0 AND
		   strpos(def, 'WHEN duplicate_object OR unique_violation THEN') = 0 THEN
			RAISE EXCEPTION '%: no handler of duplicate_object to widen', f;
		END IF;
		EXECUTE replace(def, 'WHEN duplicate_object THEN',
				'WHEN duplicate_object OR unique_violation THEN');
	END LOOP;
END $$;

-- as ../010-identity.sql: audit.via and event.via. Then what makes the
-- server enforce who may do what (SECURITY in the README, inc-db(1)):
--   * the desk's group roles, DB_requester, DB_technician,
--     DB_process_owner, DB_incident_manager and DB_admin (DB: the
--     database's name, its first 40 bytes), made by inc_secure() (inc init,
--     inc db roles), people's logins put in them by inc_login();
--   * grants: nobody but the owner may UPDATE or DELETE the audit trail or
--     the event log; pruning consumed events goes through inc_event_prune(),
--     which deletes only what the trigger allows;
--   * row-level security: a requester's login reads and writes only the
--     incidents whose requester is that login, and their trail, tasks,
--     holds and events.
-- The owner (and a superuser) stays outside all this, as the owner of a
-- SQLite file does: it made the tables.
ALTER TABLE audit ADD COLUMN via text;
ALTER TABLE event ADD COLUMN via text;

-- the counters are nobody's to touch: the triggers that number rows run
-- with the owner's rights, on this schema only (no pg_temp look-alike)
DO $$
BEGIN
	EXECUTE format('ALTER FUNCTION inc_next_id() SECURITY DEFINER SET search_path = %I, pg_catalog, pg_temp',
		current_schema());
	EXECUTE format('ALTER FUNCTION inc_next_seq() SECURITY DEFINER SET search_path = %I, pg_catalog, pg_temp',
		current_schema());
END $$;

-- An incident numbered as inc_next_id() numbers rows, but one whose
-- external_id is logged already is not inserted at all (RETURN NULL: no
-- row, no number taken, the transaction not aborted), so that inc-log
-- needs no savepoint around its insert to learn that it was seen before:
-- a subtransaction per incident tripled the cost of a bulk load. The
-- UNIQUE index stays, for anyone else's insert.
CREATE FUNCTION inc_incident_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.external_id IS NOT NULL
	   AND EXISTS (SELECT 1 FROM incident WHERE external_id = NEW.external_id) THEN
		RETURN NULL;
	END IF;
	IF NEW.id IS NULL THEN
		INSERT INTO inc_sequence VALUES ('incident', 1)
			ON CONFLICT (name) DO UPDATE SET last = inc_sequence.last + 1
			RETURNING last INTO NEW.id;
	ELSE
		INSERT INTO inc_sequence VALUES ('incident', NEW.id)
			ON CONFLICT (name) DO UPDATE SET last = greatest(inc_sequence.last, excluded.last);
	END IF;
	PERFORM set_config('inc.last_id', NEW.id::text, true);
	RETURN NEW;
END $$;
DO $$
BEGIN
	EXECUTE format('ALTER FUNCTION inc_incident_id() SECURITY DEFINER SET search_path = %I, pg_catalog, pg_temp',
		current_schema());
END $$;
DROP TRIGGER incident_id ON incident;
CREATE TRIGGER incident_id BEFORE INSERT ON incident
	FOR EACH ROW EXECUTE FUNCTION inc_incident_id();

CREATE FUNCTION inc_group(role text) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT left(current_database(), 40) || '_' || role
$$;

-- the roles of the config, in order of rank
CREATE FUNCTION inc_roles() RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
	VALUES ('requester'), ('technician'), ('process_owner'), ('incident_manager'), ('admin')
$$;

-- The group roles, the grants and the policies; run again, it changes
-- nothing. Needs the owner's rights and CREATEROLE (or roles made
-- beforehand by someone who has it).
CREATE FUNCTION inc_secure() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	r text;
	g text;
	staff text;
	req text := quote_ident(inc_group('requester'));
	s text := quote_ident(current_schema());
	own text := 'EXISTS (SELECT 1 FROM incident i WHERE i.id = %I.incident)';
BEGIN
	FOR r IN SELECT inc_roles() LOOP
		g := inc_group(r);
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = g) THEN
			BEGIN
				EXECUTE format('CREATE ROLE %I NOLOGIN', g);
			EXCEPTION WHEN duplicate_object THEN
				NULL;	-- made meanwhile by another inc_secure()
			END;
		END IF;
	END LOOP;
	SELECT string_agg(quote_ident(inc_group(x)), ', ') INTO staff
		FROM inc_roles() AS x WHERE x <> 'requester';

	EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %s FROM PUBLIC', s);
	EXECUTE format('GRANT USAGE ON SCHEMA %s TO %s, %s', s, staff, req);
	EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %s FROM %s, %s', s, staff, req);
	-- staff: work every incident; append to the trail and the log
	EXECUTE format('GRANT SELECT, INSERT, UPDATE ON incident, task, hold, rotation, meta,'
		' escalation_fired, outbox, mail_seen TO %s', staff);
	EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON cursor TO %s', staff);
	EXECUTE format('GRANT SELECT, INSERT ON audit, event TO %s', staff);
	EXECUTE format('GRANT SELECT ON inc_schema TO %s, %s', staff, req);
	-- requesters: their own incidents (the policies below), and what
	-- logging, confirming and reopening them writes
	EXECUTE format('GRANT SELECT, INSERT, UPDATE ON incident, task, hold, meta TO %s', req);
	EXECUTE format('GRANT SELECT, INSERT ON audit, event TO %s', req);

	-- row-level security: staff see all, a requester their own
	FOR r IN VALUES ('incident'), ('audit'), ('event'), ('task'), ('hold') LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', r);
		EXECUTE format('DROP POLICY IF EXISTS inc_staff ON %I', r);
		EXECUTE format('DROP POLICY IF EXISTS inc_requester ON %I', r);
		EXECUTE format('CREATE POLICY inc_staff ON %I TO %s USING (true) WITH CHECK (true)',
			r, staff);
		IF r = 'incident' THEN
			EXECUTE format('CREATE POLICY inc_requester ON incident TO %s'
				' USING (requester = session_user::text) WITH CHECK (requester = session_user::text)', req);
		ELSE
			EXECUTE format('CREATE POLICY inc_requester ON %I TO %s USING (' || own ||
				') WITH CHECK (' || own || ')', r, req, r, r);
		END IF;
	END LOOP;

	EXECUTE format('REVOKE ALL ON FUNCTION inc_event_prune(bigint), inc_secure(),'
		' inc_login(text, text) FROM PUBLIC');
	EXECUTE format('GRANT EXECUTE ON FUNCTION inc_event_prune(bigint) TO %I', inc_group('admin'));
END $$;

-- A login for a person of the config, in the group of their role and no
-- other of this desk (p_role NULL: in none, a person no longer listed).
-- Returns what it did: created, granted (the role changed), kept, revoked.
CREATE FUNCTION inc_login(p_login text, p_role text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	r text;
	member boolean;
	did text := 'kept';
BEGIN
	IF p_role IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = p_login) THEN
		BEGIN
			EXECUTE format('CREATE ROLE %I LOGIN', p_login);
			did := 'created';
		EXCEPTION WHEN duplicate_object THEN
			NULL;	-- made meanwhile (another desk of the cluster)
		END;
	END IF;
	FOR r IN SELECT inc_roles() LOOP
		SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
			JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
			JOIN pg_catalog.pg_roles u ON u.oid = m.member
			WHERE g.rolname = inc_group(r) AND u.rolname = p_login) INTO member;
		IF r = p_role AND NOT member THEN
			EXECUTE format('GRANT %I TO %I', inc_group(r), p_login);
			IF did = 'kept' THEN
				did := 'granted';
			END IF;
		ELSIF r IS DISTINCT FROM p_role AND member THEN
			EXECUTE format('REVOKE %I FROM %I', inc_group(r), p_login);
			IF p_role IS NULL THEN
				did := 'revoked';
			ELSIF did = 'kept' THEN
				did := 'granted';
			END IF;
		END IF;
	END LOOP;
	RETURN did;
END $$;

-- The logins in a group of this desk, and which.
CREATE FUNCTION inc_logins() RETURNS TABLE(login text, role text) LANGUAGE sql STABLE AS $$
	SELECT u.rolname::text, r
	FROM inc_roles() AS r
	JOIN pg_catalog.pg_auth_members m ON m.roleid = (
		SELECT oid FROM pg_catalog.pg_roles WHERE rolname = inc_group(r))
	JOIN pg_catalog.pg_roles u ON u.oid = m.member
	ORDER BY 1, 2
$$;

-- The session's standing: 'owner' (a superuser, or a member of the
-- database's owner), 'admin' (in DB_admin), or 'login'.
CREATE FUNCTION inc_standing() RETURNS text LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user)
		  OR pg_catalog.pg_has_role(session_user,
			(SELECT datdba FROM pg_catalog.pg_database WHERE datname = current_database()),
			'MEMBER') THEN 'owner'
		WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = inc_group('admin'))
		  AND pg_catalog.pg_has_role(session_user, inc_group('admin'), 'MEMBER') THEN 'admin'
		ELSE 'login'
	END
$$;

-- inc-events --prune: the events older than before that every consumer
-- has passed, deleted with the owner's rights (nobody who logs in may
-- DELETE from the log); EXECUTE granted to DB_admin by inc_secure().
CREATE FUNCTION inc_event_prune(before bigint) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	n bigint;
BEGIN
	DELETE FROM event WHERE at < before
		AND seq <= (SELECT coalesce(min(seq), 0) FROM cursor);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
DO $$
BEGIN
	EXECUTE format('ALTER FUNCTION inc_event_prune(bigint) SET search_path = %I, pg_catalog, pg_temp',
		current_schema());
END $$;

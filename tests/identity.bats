#!/usr/bin/env bats
# Identities the server enforces (PostgreSQL): inc init's group roles,
# inc db roles making the config's people logins, the login as the actor,
# --as only for an admin's login and recorded ("mail for joe"), the trail
# and the log append-only by privileges, row-level security for a
# requester's own login. On SQLite: no logins, --as a label.
load test_helper

pg_only() {
	if [ "$INC_TEST_ENGINE" != pg ]; then
		skip "PostgreSQL only: SQLite has no logins"
	fi
}

# The test's database as login $1 (trust authentication on the test
# cluster: the login is who the URI says)
as_login() {
	printf 'postgresql:///%s?host=%s&user=%s' "$INC_TEST_PGDB" "$INC_TEST_PGHOST" "$1"
}

# psql as login $1: psql_as LOGIN SQL
psql_as() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$(as_login "$1")" -c "$2"
}

local_setup() {
	# the shipped people, two requesters and the mail gateway (an admin);
	# logins are cluster-wide: named after the test's database, so that
	# parallel tests do not share them
	local p="${INC_TEST_PGDB:-sqlite}"
	p=${p: -12}
	export P="$p"
	edit_config "(.people[] | select(.name == \"alice\")).name = \"alice$p\"
		| (.groups[] | .members) |= map(if . == \"alice\" then \"alice$p\" else . end)
		| .people += [{\"name\": \"joe$p\", \"email\": \"joe@example.com\", \"role\": \"requester\"},
			{\"name\": \"ann$p\", \"email\": \"ann@example.com\", \"role\": \"requester\"},
			{\"name\": \"mail$p\", \"role\": \"admin\"},
			{\"name\": \"tom$p\", \"role\": \"technician\"}]"
	ALICE="alice$p" JOE="joe$p" ANN="ann$p" MAIL="mail$p" TOM="tom$p"
	export ALICE JOE ANN MAIL TOM
	if [ "$INC_TEST_ENGINE" = pg ]; then
		inc init >/dev/null
		inc db roles >/dev/null
	fi
}

teardown() {
	pg_teardown
}

@test "inc db roles on SQLite: no logins, a usage error" {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		skip "SQLite only"
	fi
	run --separate-stderr inc db roles
	assert_failure 2
	assert_equal "$stderr" "inc: db roles: a SQLite desk has no logins: its file's permissions are the boundary"
	# --as is a label there, recorded as the actor and nothing more
	log_one '{"subject":"x"}' >/dev/null
	assert_equal "$(dbq "SELECT actor, coalesce(via, '-') FROM audit")" "root|-"
}

@test "inc init makes the desk's five group roles; inc db roles the people's logins" {
	pg_only
	d=${INC_TEST_PGDB:0:40}
	assert_equal "$(dbq "SELECT rolname FROM pg_roles WHERE rolname LIKE '${d}\\_%' AND NOT rolcanlogin ORDER BY 1" | paste -sd' ')" \
		"${d}_admin ${d}_incident_manager ${d}_process_owner ${d}_requester ${d}_technician"
	run --separate-stderr inc db roles
	assert_success
	assert_equal "$stderr" ""
	# each listed person once, kept on a second run
	assert_equal "$(jq -r 'select(.login == env.JOE) | [.role, .did] | join(" ")' <<<"$output")" "requester kept"
	assert_equal "$(jq -r 'select(.login == env.MAIL) | [.role, .did] | join(" ")' <<<"$output")" "admin kept"
	assert_equal "$(jq -s 'map(select(.did != "kept")) | length' <<<"$output")" 0
	assert_equal "$(dbq "SELECT string_agg(role, ',') FROM inc_logins() WHERE login = '$ALICE'")" technician
}

@test "inc db roles: a new person is created, a changed role granted, a person gone revoked" {
	pg_only
	jq --arg t "$TOM" --arg a "$ALICE" --arg n "new$P" '(.people[] | select(.name == $t)).role = "incident_manager"
		| .people |= map(select(.name != $a))
		| .groups |= map(.members |= map(select(. != $a)))
		| .people += [{"name": $n, "role": "process_owner"}]' "$INC_CONFIG" >"$BATS_TEST_TMPDIR/c2.json"
	INC_CONFIG="$BATS_TEST_TMPDIR/c2.json" run --separate-stderr inc db roles
	assert_success
	assert_equal "$(jq -c --arg t "$TOM" --arg a "$ALICE" --arg n "new$P" \
		'select(.login == $t or .login == $a or .login == $n)' <<<"$output")" \
"{\"login\":\"$TOM\",\"role\":\"incident_manager\",\"did\":\"granted\"}
{\"login\":\"new$P\",\"role\":\"process_owner\",\"did\":\"created\"}
{\"login\":\"$ALICE\",\"role\":null,\"did\":\"revoked\"}"
	assert_equal "$(dbq "SELECT login || ':' || role FROM inc_logins() WHERE login IN ('$TOM', '$ALICE', 'new$P') ORDER BY 1" | paste -sd' ')" \
		"new$P:process_owner $TOM:incident_manager"
}

@test "inc db roles by a login that is not the owner: refused, nothing changed" {
	pg_only
	INC_DB=$(as_login "$MAIL") INC_USER= run --separate-stderr inc db roles
	assert_failure 2
	assert_equal "$stderr" "inc: db roles: only the database's owner may (logged in as $MAIL)"
}

@test "a login is the actor: the audit trail and the event log name it" {
	pg_only
	INC_DB=$(as_login "$ALICE") INC_USER= run --separate-stderr inc-log <<<'{"subject":"disk full"}'
	assert_success
	assert_equal "$(dbq "SELECT actor, coalesce(via, '-') FROM audit")" "$ALICE|-"
	assert_equal "$(dbq "SELECT actor, coalesce(via, '-') FROM event")" "$ALICE|-"
	# INC_USER naming the login itself is the same person
	INC_DB=$(as_login "$ALICE") INC_USER=$ALICE run --separate-stderr inc-update --note hi 1
	assert_success
	assert_equal "$(dbq "SELECT actor FROM audit WHERE action = 'note'")" "$ALICE"
}

@test "--as another by a login that is not an admin's: a usage error, nothing written" {
	pg_only
	INC_DB=$(as_login "$ALICE") INC_USER= run --separate-stderr inc-log --as bob <<<'{"subject":"x"}'
	assert_failure 2
	assert_equal "$stderr" "inc-log: --as bob: only an admin's login acts for another (logged in as $ALICE)"
	INC_DB=$(as_login "$ALICE") INC_USER=root run --separate-stderr inc-show
	assert_failure 2
	assert_equal "$stderr" "inc-show: INC_USER root: only an admin's login acts for another (logged in as $ALICE)"
	assert_equal "$(dbq 'SELECT count(*) FROM incident')" 0
}

@test "an admin's login acts for another, recorded as acting for them" {
	pg_only
	INC_DB=$(as_login "$MAIL") INC_USER= run --separate-stderr inc-log --as "$JOE" <<<'{"subject":"printer jam"}'
	assert_success
	assert_equal "$(jq -r .requester <<<"$output")" "$JOE"
	assert_equal "$(dbq 'SELECT actor, via FROM audit')" "$JOE|$MAIL"
	assert_equal "$(dbq 'SELECT actor, via FROM event')" "$JOE|$MAIL"
	run --separate-stderr inc-show --history 1
	assert_equal "$(jq -c '.history[0] | [.actor, .via, .action]' <<<"$output")" "[\"$JOE\",\"$MAIL\",\"logged\"]"
	run --separate-stderr inc-events
	assert_equal "$(jq -c '.event | [.actor, .via]' <<<"$output")" "[\"$JOE\",\"$MAIL\"]"
	# the owner's --as is a label, as on SQLite: no via
	run --separate-stderr inc-update --note owner 1
	assert_equal "$(dbq "SELECT actor, coalesce(via, '-') FROM audit WHERE action = 'note'")" "root|-"
}

@test "a requester's login: inc-show and psql show their own incidents only" {
	pg_only
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"joe 1"}' >/dev/null
	INC_DB=$(as_login "$ANN") INC_USER= log_one '{"subject":"ann 1"}' >/dev/null
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"joe 2"}' >/dev/null
	INC_DB=$(as_login "$JOE") INC_USER= run --separate-stderr inc-show
	assert_success
	assert_equal "$(jq -r .subject <<<"$output" | paste -sd,)" "joe 1,joe 2"
	INC_DB=$(as_login "$JOE") INC_USER= run --separate-stderr inc-show 2
	assert_failure 1
	assert_equal "$stderr" "inc-show: 2: no such incident"
	# psql as joe: the rows of ann's incident are not there
	assert_equal "$(psql_as "$JOE" 'SELECT id FROM incident ORDER BY id' | paste -sd,)" "1,3"
	assert_equal "$(psql_as "$JOE" 'SELECT count(*) FROM audit WHERE incident = 2')" 0
	assert_equal "$(psql_as "$JOE" 'SELECT count(*) FROM event WHERE incident = 2')" 0
	assert_equal "$(psql_as "$JOE" "UPDATE incident SET subject = 'mine now' WHERE id = 2")" ""
	assert_equal "$(dbq 'SELECT subject FROM incident WHERE id = 2')" "ann 1"
	run psql_as "$JOE" "INSERT INTO incident(subject, requester, status, created_at, updated_at) VALUES('x', '$ANN', 'new', 0, 0)"
	assert_failure
	assert_output --partial 'new row violates row-level security policy for table "incident"'
	# staff see every incident
	assert_equal "$(psql_as "$ALICE" 'SELECT count(*) FROM incident')" 3
}

@test "a requester's login logs incidents of their own only" {
	pg_only
	INC_DB=$(as_login "$JOE") INC_USER= run --separate-stderr inc-log <<<"{\"subject\":\"x\",\"requester\":\"$ANN\"}"
	assert_failure 1
	assert_equal "$stderr" "inc-log: line 1: requester: \"$ANN\": a requester logs incidents of their own (acting as $JOE)"
	assert_equal "$(dbq 'SELECT count(*) FROM incident')" 0
}

@test "nobody who logs in may rewrite the audit trail or the event log" {
	pg_only
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"joe 1"}' >/dev/null
	for who in "$JOE" "$ALICE" "$MAIL"; do
		for sql in "UPDATE audit SET actor = 'x'" "DELETE FROM audit" "TRUNCATE audit" \
			"UPDATE event SET actor = 'x'" "DELETE FROM event" "TRUNCATE event"; do
			run psql_as "$who" "$sql"
			assert_failure
			assert_output --regexp "permission denied for table (audit|event)"
		done
		run psql_as "$who" "UPDATE inc_sequence SET last = 0"
		assert_failure
		assert_output "ERROR:  permission denied for table inc_sequence"
	done
	assert_equal "$(dbq 'SELECT count(*) FROM audit')" 1
	assert_equal "$(dbq 'SELECT count(*) FROM event')" 1
}

@test "no login but the owner may give a number: an event's seq, an audit row's, an incident's id" {
	pg_only
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"joe 1"}' >/dev/null
	# at the largest bigint every later insert would fail; behind a
	# consumer's cursor the event would never be read
	run psql_as "$ALICE" "INSERT INTO event(seq, at, actor, tool, incident, kind, data) VALUES (9223372036854775807, 0, 'x', 'x', 1, 'updated', '{}')"
	assert_failure
	assert_line --index 0 "ERROR:  the numbers of event are the database's: $ALICE may not give one"
	run psql_as "$JOE" "INSERT INTO audit(seq, incident, at, actor, tool, action) VALUES (0, 1, 0, 'x', 'x', 'noted')"
	assert_failure
	assert_line --index 0 "ERROR:  the numbers of audit are the database's: $JOE may not give one"
	run psql_as "$JOE" "INSERT INTO incident(id, subject, requester, status, created_at, updated_at) VALUES (9223372036854775807, 'x', '$JOE', 'new', 0, 0)"
	assert_failure
	assert_line --index 0 "ERROR:  the numbers of incident are the database's: $JOE may not give one"
	# numbers taken, not given: allowed, and the next ones
	psql_as "$ALICE" "INSERT INTO event(at, actor, tool, incident, kind, data) VALUES (0, 'x', 'x', 1, 'updated', '{}')"
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"joe 2"}' >/dev/null
	assert_equal "$(dbq 'SELECT seq FROM event ORDER BY seq' | paste -sd,)" "1,2,3"
	assert_equal "$(dbq 'SELECT id FROM incident ORDER BY id' | paste -sd,)" "1,2"
	# not even an admin's (the mail gateway's); the owner's may (inc db
	# copy keeps the numbers), and the next is past it
	run psql_as "$MAIL" "INSERT INTO event(seq, at, actor, tool, incident, kind, data) VALUES (10, 0, 'x', 'x', 1, 'updated', '{}')"
	assert_failure
	assert_line --index 0 "ERROR:  the numbers of event are the database's: $MAIL may not give one"
	dbq "INSERT INTO event(seq, at, actor, tool, incident, kind, data) VALUES (10, 0, 'x', 'x', 1, 'updated', '{}')" >/dev/null
	INC_DB=$(as_login "$ALICE") INC_USER= inc-update --note "seen" 1 >/dev/null
	assert_equal "$(dbq 'SELECT seq FROM event ORDER BY seq' | paste -sd,)" "1,2,3,10,11"
}

@test "a login cannot run the numbering functions on a table of its own, nor number rows outside READ COMMITTED" {
	pg_only
	local s
	s=$(dbq 'SELECT current_schema()')
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"joe 1"}' >/dev/null
	# the owner's rights on a temporary table of joe's: the counter at the
	# largest bigint would have made every later insert fail
	run psql_as "$JOE" "CREATE TEMP TABLE event(seq bigint);
		CREATE TRIGGER t AFTER DELETE ON pg_temp.event REFERENCING OLD TABLE AS inc_gone
		FOR EACH STATEMENT EXECUTE FUNCTION \"$s\".inc_numbers_gone('seq')"
	assert_failure
	assert_output "ERROR:  permission denied for function $s.inc_numbers_gone"
	assert_equal "$(dbq "SELECT last FROM inc_sequence WHERE name = 'event'")" ""
	# a snapshot older than the turn could take a number pruned meanwhile
	run psql_as "$ALICE" "BEGIN ISOLATION LEVEL REPEATABLE READ;
		INSERT INTO event(at, actor, tool, incident, kind, data) VALUES (0, 'x', 'x', 1, 'updated', '{}')"
	assert_failure
	assert_line --index 0 "ERROR:  rows are numbered in READ COMMITTED transactions only, not repeatable read"
	# their own inserts, numbered as ever
	INC_DB=$(as_login "$ALICE") INC_USER= inc-update --note "seen" 1 >/dev/null
	assert_equal "$(dbq 'SELECT seq FROM event ORDER BY seq' | paste -sd,)" "1,2"
}

@test "the functions run with the owner's rights find max() in pg_catalog, not a login's look-alike" {
	pg_only
	local s
	s=$(dbq 'SELECT current_schema()')
	dbq "GRANT CREATE ON SCHEMA \"$s\" TO $ALICE" >/dev/null
	# a max(bigint) of alice's in the desk's schema, always 1000: had the
	# numbering trigger found it first, the next numbers would be 1001
	psql_as "$ALICE" "CREATE FUNCTION \"$s\".evil(bigint, bigint) RETURNS bigint LANGUAGE sql AS 'SELECT 1000::bigint';
		CREATE AGGREGATE \"$s\".max(bigint) (sfunc = \"$s\".evil, stype = bigint)"
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"joe 1"}' >/dev/null
	INC_DB=$(as_login "$ALICE") INC_USER= inc-update --note "seen" 1 >/dev/null
	assert_equal "$(dbq 'SELECT seq FROM event ORDER BY seq' | paste -sd,)" "1,2"
	assert_equal "$(dbq 'SELECT seq FROM audit ORDER BY seq' | paste -sd,)" "1,2"
	assert_equal "$(dbq 'SELECT id FROM incident')" "1"
	# and every function that runs with the owner's rights says so
	assert_equal "$(dbq "SELECT p.proname FROM pg_proc p WHERE p.prosecdef
		AND p.pronamespace = current_schema()::regnamespace
		AND NOT coalesce(p.proconfig, '{}') @> ARRAY['search_path=pg_catalog, ' || quote_ident(current_schema()) || ', pg_temp']")" ""
}

@test "a desk a version behind, opened by a login: the upgrade is refused, saying who can" {
	pg_only
	local s v uri
	s=$(dbq 'SELECT current_schema()')
	v=$(db_version)
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"joe 1"}' >/dev/null
	# as a new inc finds a desk in use: its tables a version behind
	db_version $((v - 1)) >/dev/null
	uri=$(as_login "$ALICE")
	INC_DB=$uri INC_USER= run --separate-stderr inc-show 1
	assert_failure 3
	assert_equal "$stderr" "inc-show: $uri: upgrading the schema from version $((v - 1)) to $v: permission denied for schema $s (its owner upgrades a desk: run a tool as the owner first)"
	assert_equal "$(db_version)" "$((v - 1))"
}

@test "a desk made before migration 012: its owner's next run teaches inc_secure() and inc_login() the racing CREATE ROLE's unique_violation" {
	pg_only
	local v
	v=$(db_version)
	# both functions as migration 010 first made them: duplicate_object alone
	dbq "DO \$\$ DECLARE f text; BEGIN
		FOREACH f IN ARRAY ARRAY['inc_secure()', 'inc_login(text, text)'] LOOP
			EXECUTE replace(pg_get_functiondef(f::regprocedure),
				'duplicate_object OR unique_violation', 'duplicate_object');
		END LOOP; END \$\$" >/dev/null
	assert_equal "$(dbq "SELECT count(*) FROM pg_proc WHERE proname IN ('inc_secure', 'inc_login') AND prosrc LIKE '%unique_violation%'")" 0
	db_version $((v - 1)) >/dev/null
	run --separate-stderr inc-show
	assert_success
	assert_equal "$(db_version)" "$v"
	assert_equal "$(dbq "SELECT proname, (length(prosrc) - length(replace(prosrc, 'WHEN duplicate_object OR unique_violation THEN', ''))) / length('WHEN duplicate_object OR unique_violation THEN') FROM pg_proc WHERE proname IN ('inc_secure', 'inc_login') ORDER BY 1" | paste -sd' ')" \
		"inc_login|1 inc_secure|1"
	# still the owner's, still closed to PUBLIC, and they still work
	assert_equal "$(dbq "SELECT count(*) FROM pg_proc WHERE proname IN ('inc_secure', 'inc_login') AND has_function_privilege('public', oid, 'EXECUTE')")" 0
	run --separate-stderr inc db roles
	assert_success
	run --separate-stderr inc init
	assert_success
}

@test "inc-events --prune: an admin's login prunes through the owner's function, a technician's may not" {
	pg_only
	INC_DB=$(as_login "$JOE") INC_USER= log_one '{"subject":"old"}' >/dev/null
	INC_DB=$(as_login "$ALICE") INC_USER= run --separate-stderr inc-events --prune 1d
	assert_failure 2
	assert_equal "$stderr" "inc-events: --prune: $ALICE may not drop events (role technician)"
	run psql_as "$ALICE" "SELECT inc_event_prune(0)"
	assert_failure
	assert_output "ERROR:  permission denied for function inc_event_prune"
	# a consumer has seen it: only then may it go
	INC_DB=$(as_login "$MAIL") INC_USER= inc-events --consumer audit-feed >/dev/null
	INC_NOW=2026-12-27T10:00:00Z INC_DB=$(as_login "$MAIL") INC_USER= run --separate-stderr inc-events --prune 1d
	assert_success
	assert_equal "$(dbq 'SELECT count(*) FROM event')" 0
	assert_equal "$(dbq 'SELECT count(*) FROM audit')" 1
}

@test "the mail gateway's login must be an admin's: otherwise a temporary failure" {
	pg_only
	INC_DB=$(as_login "$ALICE") INC_USER= run --separate-stderr inc-mail <<<$'From: joe@example.com\nTo: desk@example.com\nSubject: help\nMessage-ID: <a@b>\n\nbody\n'
	assert_failure 75
	assert_equal "$stderr" "inc-mail: $ALICE: the gateway acts for its senders: its login must be in the desk's admin group (inc db roles)"
	INC_DB=$(as_login "$MAIL") INC_USER= run --separate-stderr inc-mail <<<$'From: joe@example.com\nTo: desk@example.com\nSubject: help\nMessage-ID: <a@b>\n\nbody\n'
	assert_success
	assert_equal "$(dbq "SELECT actor, via FROM audit WHERE action = 'logged'")" "$JOE|$MAIL"
}

@test "two technicians' logins at once: one rotation, every id once" {
	pg_only
	for i in $(seq 1 6); do printf '{"subject":"t%d"}\n' "$i"; done | inc-log >/dev/null
	INC_DB=$(as_login "$ALICE") INC_USER= inc-assign 1 2 3 >"$BATS_TEST_TMPDIR/a" &
	INC_DB=$(as_login "$TOM") INC_USER= inc-assign 4 5 6 >"$BATS_TEST_TMPDIR/b" &
	wait
	run --separate-stderr inc-show
	assert_equal "$(jq -r .assignee <<<"$output" | sort | uniq -c | awk '{print $1 $2}' | paste -sd' ')" \
		"2$ALICE 2bob 2chen"
	assert_equal "$(dbq "SELECT actor, count(DISTINCT incident) FROM audit WHERE action = 'assigned' GROUP BY actor ORDER BY 1" | paste -sd' ')" \
		"$ALICE|3 $TOM|3"
}

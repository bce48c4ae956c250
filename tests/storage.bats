#!/usr/bin/env bats
# The storage layer's promises, the same on both engines: a change and its
# audit row and event commit together or not at all, even where the engine
# sends the audit row and the event without waiting for them (PostgreSQL's
# pipeline); an inserted row's id is the one the next statement uses.
load test_helper

teardown() {
	pg_teardown
}

# A trigger of the owner's that refuses the audit row of a subject "poison".
poison_audit() {
	if [ "$INC_TEST_ENGINE" = pg ]; then
		dbq "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS \$\$
			BEGIN
				IF NEW.new = 'poison' THEN
					RAISE EXCEPTION 'poisoned audit row';
				END IF;
				RETURN NEW;
			END \$\$;
			CREATE TRIGGER poison BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION poison();"
	else
		dbq "CREATE TRIGGER poison BEFORE INSERT ON audit WHEN NEW.new = 'poison'
			BEGIN SELECT RAISE(ABORT, 'poisoned audit row'); END;"
	fi
}

@test "an audit row the database refuses: the run stops, exit 3, nothing of the batch committed or written" {
	log_one '{"subject":"before"}' >/dev/null
	poison_audit
	run --separate-stderr inc-log <<<'{"subject":"one"}
{"subject":"poison"}
{"subject":"three"}'
	assert_failure 3
	assert_output ""
	assert_equal "$(grep -c 'poisoned audit row' <<<"$stderr")" 1
	assert_equal "$(dbq 'SELECT count(*) FROM incident')" 1
	assert_equal "$(dbq 'SELECT count(*) FROM audit')" 1
	assert_equal "$(dbq 'SELECT count(*) FROM event')" 1
	# the desk goes on: the next run numbers on from what was committed
	run --separate-stderr inc-log <<<'{"subject":"after"}'
	assert_success
	assert_equal "$(jq -r .id <<<"$output")" 2
}

@test "many changes in one batch: each audit row and event names its own incident" {
	for i in $(seq 1 300); do printf '{"subject":"s%d"}\n' "$i"; done | inc-log >/dev/null
	inc-update --note hello $(seq 1 300) >/dev/null
	assert_equal "$(dbq "SELECT count(*) FROM incident i JOIN audit a ON a.incident = i.id
		WHERE a.action = 'logged' AND a.new = i.subject")" 300
	assert_equal "$(dbq "SELECT count(*) FROM audit WHERE action = 'note'")" 300
	assert_equal "$(dbq "SELECT count(DISTINCT incident) FROM event WHERE kind = 'logged'")" 300
	assert_equal "$(dbq "SELECT min(incident) || '-' || max(incident) FROM event")" "1-300"
	# a task's id, as the next statement sees it
	run --separate-stderr inc-task add 7 --title "swap the disk"
	assert_success
	assert_equal "$(jq -r '[.id, .incident] | join(" ")' <<<"$output")" "1 7"
	assert_equal "$(dbq "SELECT DISTINCT task FROM audit WHERE action = 'task'")" 1
}

#!/usr/bin/env bats
# inc-report: every KPI of SPEC section 7 on incidents with known times, in
# every format; the aging of the backlog; the post-incident review.
load test_helper

# The incidents every KPI test reads, one per line: the columns the KPIs
# read, "-" for null; resp, res and closed are seconds after created. With
# INC_NOW 2026-11-27T10:00:00Z, the open ones are 1h, 1d, 3d, 4d22h, 6d10h,
# 7d, 30d and 57d old.
fixture() {
	local id created cat sub prio status grp who fa fg resp res closed rm sm
	local reopen reas esc ever rating src req jsonl="" sql=""

	while read -r id created cat sub prio status grp who fa fg resp res closed rm sm \
		reopen reas esc ever rating src req; do
		[ "$id" = "#" ] && continue
		jsonl+="{\"subject\":\"incident $id\",\"category\":\"$cat\",\"created_at\":\"$created\",\"asset_tag\":\"HW-$id\"}"$'\n'
		sql+="UPDATE incident SET subcategory=$(sql_text "$sub"), priority=$(sql_text "$prio"),"
		sql+=" status=$(sql_text "$status"), grp=$(sql_text "$grp"), assignee=$(sql_text "$who"),"
		sql+=" first_assignee=$(sql_text "$fa"), first_group=$(sql_text "$fg"),"
		sql+=" responded_at=$(sql_after "$resp"), resolved_at=$(sql_after "$res"), closed_at=$(sql_after "$closed"),"
		sql+=" response_met=$(sql_num "$rm"), resolve_met=$(sql_num "$sm"), reopen_count=$reopen,"
		sql+=" reassignment_count=$reas, escalated=$esc, ever_resolved=$ever,"
		sql+=" rating=$(sql_num "$rating"), source=$(sql_text "$src"), requester=$(sql_text "$req") WHERE id=$id;"$'\n'
	done <<'END'
#  created              cat      sub      prio     status      grp          who   fa    fg           resp res   closed rm sm reopen reas esc ever rating src        req
1  2026-11-20T00:00:00Z network  vpn      high     closed      service-desk alice alice service-desk 600  3600  7200  1  1  0      0    0   1    5      phone      joe
2  2026-11-20T06:00:00Z network  vpn      high     resolved    l2-infra     dana  alice service-desk 1800 7200  -     1  0  1      1    1   1    -      email      ann
3  2026-11-21T00:00:00Z network  wifi     high     in_progress service-desk bob   bob   service-desk 3600 -     -     0  -  1      2    0   1    -      email      joe
4  2026-11-22T12:00:00Z network  -        low      new         service-desk -     -     -            -    -     -     -  -  0      0    0   0    -      web        ann
5  2026-11-25T00:00:00Z access   password medium   closed      service-desk chen  chen  service-desk 300  900   1800  1  1  0      0    0   1    3      phone      joe
6  2026-11-26T00:00:00Z access   -        medium   cancelled   service-desk -     -     -            -    -     -     -  -  0      0    0   0    -      web        bob
7  2026-10-01T00:00:00Z access   account  medium   on_hold     l2-infra     erik  erik  l2-infra     120  -     -     1  -  0      0    0   0    -      monitoring ann
8  2026-11-23T00:00:00Z email    -        critical closed      l2-infra     dana  dana  l2-infra     60   86401 90000 1  0  0      0    0   1    4      email      joe
9  2026-11-27T09:00:00Z email    -        critical assigned    service-desk alice alice service-desk -    -     -     -  -  0      0    0   0    -      chat       ann
10 2026-11-25T10:00:00Z network  lan      low      resolved    service-desk alice bob   service-desk 60   600   -     1  1  0      1    0   1    -      phone      bob
11 2026-11-24T10:00:00Z hardware laptop   low      new         service-desk -     -     -            -    -     -     -  -  0      0    0   0    -      web        joe
12 2026-11-26T10:00:00Z hardware printer  low      new         service-desk -     -     -            -    -     -     -  -  0      0    0   0    -      web        ann
13 2026-11-20T10:00:00Z hardware monitor  medium   in_progress l3-network   gus   gus   l3-network   7200 -     -     0  -  0      0    1   0    -      phone      joe
14 2026-10-28T10:00:00Z service  outage   critical new         service-desk -     -     -            -    -     -     -  -  0      0    0   0    -      monitoring ann
END
	inc-log <<<"$jsonl" >/dev/null
	dbq "$sql"
}
# A fixture cell as SQL: text, number, or seconds after created_at.
sql_text() { if [ "$1" = - ]; then echo NULL; else echo "'$1'"; fi; }
sql_num() { if [ "$1" = - ]; then echo NULL; else echo "$1"; fi; }
sql_after() { if [ "$1" = - ]; then echo NULL; else echo "created_at + $1"; fi; }

# Incidents of nothing but what is given, one per line of stdin:
# "CREATED [SQL SET list]".
bare() {
	local created rest jsonl="" sql="" id=0

	while read -r created rest; do
		[ -n "$created" ] || continue
		id=$((id + 1))
		jsonl+="{\"subject\":\"bare $id\",\"created_at\":\"$created\"}"$'\n'
		[ -n "$rest" ] && sql+="UPDATE incident SET $rest WHERE id=$id;"$'\n'
	done
	inc-log <<<"$jsonl" >/dev/null
	[ -z "$sql" ] || dbq "$sql"
}

KPI_HEAD=count,open,resolved,mtta_s,mttr_s,mttr_p50_s,mttr_p90_s,sla_response_pct,sla_resolve_pct,reopen_pct,fcr_pct,reassign_avg,escalated_pct,csat

# ---- the KPIs ----

@test "one overall row: every KPI of the fixture, exact" {
	fixture
	run --separate-stderr inc-report </dev/null
	assert_success
	assert_equal "$stderr" ""
	# mtta 13740/8 = 1717.5 rounds up; p90 of 600 900 3600 7200 86401 is
	# 7200 + 0.6 * 79201 = 54720.6
	assert_output '{"count":14,"open":8,"resolved":5,"mtta_s":1718,"mttr_s":19740,"mttr_p50_s":3600,"mttr_p90_s":54721,"sla_response_pct":75.00,"sla_resolve_pct":60.00,"reopen_pct":33.33,"fcr_pct":40.00,"reassign_avg":0.29,"escalated_pct":14.29,"csat":4.00}'
}

@test "--by category,priority: every KPI of every row, jsonl" {
	fixture
	run --separate-stderr inc-report --by category,priority </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output - <<'END'
{"category":"access","priority":"medium","count":3,"open":1,"resolved":1,"mtta_s":210,"mttr_s":900,"mttr_p50_s":900,"mttr_p90_s":900,"sla_response_pct":100.00,"sla_resolve_pct":100.00,"reopen_pct":0.00,"fcr_pct":100.00,"reassign_avg":0.00,"escalated_pct":0.00,"csat":3.00}
{"category":"email","priority":"critical","count":2,"open":1,"resolved":1,"mtta_s":60,"mttr_s":86401,"mttr_p50_s":86401,"mttr_p90_s":86401,"sla_response_pct":100.00,"sla_resolve_pct":0.00,"reopen_pct":0.00,"fcr_pct":0.00,"reassign_avg":0.00,"escalated_pct":0.00,"csat":4.00}
{"category":"hardware","priority":"low","count":2,"open":2,"resolved":0,"mtta_s":null,"mttr_s":null,"mttr_p50_s":null,"mttr_p90_s":null,"sla_response_pct":null,"sla_resolve_pct":null,"reopen_pct":null,"fcr_pct":null,"reassign_avg":0.00,"escalated_pct":0.00,"csat":null}
{"category":"hardware","priority":"medium","count":1,"open":1,"resolved":0,"mtta_s":7200,"mttr_s":null,"mttr_p50_s":null,"mttr_p90_s":null,"sla_response_pct":0.00,"sla_resolve_pct":null,"reopen_pct":null,"fcr_pct":null,"reassign_avg":0.00,"escalated_pct":100.00,"csat":null}
{"category":"network","priority":"high","count":3,"open":1,"resolved":2,"mtta_s":2000,"mttr_s":5400,"mttr_p50_s":5400,"mttr_p90_s":6840,"sla_response_pct":66.67,"sla_resolve_pct":50.00,"reopen_pct":66.67,"fcr_pct":50.00,"reassign_avg":1.00,"escalated_pct":33.33,"csat":5.00}
{"category":"network","priority":"low","count":2,"open":1,"resolved":1,"mtta_s":60,"mttr_s":600,"mttr_p50_s":600,"mttr_p90_s":600,"sla_response_pct":100.00,"sla_resolve_pct":100.00,"reopen_pct":0.00,"fcr_pct":0.00,"reassign_avg":0.50,"escalated_pct":0.00,"csat":null}
{"category":"service","priority":"critical","count":1,"open":1,"resolved":0,"mtta_s":null,"mttr_s":null,"mttr_p50_s":null,"mttr_p90_s":null,"sla_response_pct":null,"sla_resolve_pct":null,"reopen_pct":null,"fcr_pct":null,"reassign_avg":0.00,"escalated_pct":0.00,"csat":null}
END
	# every line is JSON whose numbers read back as the figures
	run jq -c '[.sla_response_pct, .mttr_p90_s, .csat]' <<<"$output"
	assert_line --index 4 '[66.67,6840,5]'
}

@test "--by category,priority: the same figures in csv" {
	fixture
	run --separate-stderr inc-report --by category,priority --format csv </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output - <<END
category,priority,$KPI_HEAD
access,medium,3,1,1,210,900,900,900,100.00,100.00,0.00,100.00,0.00,0.00,3.00
email,critical,2,1,1,60,86401,86401,86401,100.00,0.00,0.00,0.00,0.00,0.00,4.00
hardware,low,2,2,0,,,,,,,,,0.00,0.00,
hardware,medium,1,1,0,7200,,,,0.00,,,,0.00,100.00,
network,high,3,1,2,2000,5400,5400,6840,66.67,50.00,66.67,50.00,1.00,33.33,5.00
network,low,2,1,1,60,600,600,600,100.00,100.00,0.00,0.00,0.50,0.00,
service,critical,1,1,0,,,,,,,,,0.00,0.00,
END
}

@test "--by category,priority: the same figures in tsv" {
	fixture
	run --separate-stderr inc-report --by category,priority --format tsv </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output "$(tr ' ' '\t' <<END
category priority ${KPI_HEAD//,/ }
access medium 3 1 1 210 900 900 900 100.00 100.00 0.00 100.00 0.00 0.00 3.00
email critical 2 1 1 60 86401 86401 86401 100.00 0.00 0.00 0.00 0.00 0.00 4.00
hardware low 2 2 0         0.00 0.00 
hardware medium 1 1 0 7200    0.00    0.00 100.00 
network high 3 1 2 2000 5400 5400 6840 66.67 50.00 66.67 50.00 1.00 33.33 5.00
network low 2 1 1 60 600 600 600 100.00 100.00 0.00 0.00 0.50 0.00 
service critical 1 1 0         0.00 0.00 
END
)"
}

@test "--by category,priority: the same figures in a table" {
	fixture
	run --separate-stderr inc-report --by category,priority --format table </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output - <<'END'
category  priority  count  open  resolved  mtta    mttr  mttr_p50  mttr_p90  sla_response_pct  sla_resolve_pct  reopen_pct  fcr_pct  reassign_avg  escalated_pct  csat
access    medium        3     1         1    3m     15m       15m       15m            100.00           100.00        0.00   100.00          0.00           0.00  3.00
email     critical      2     1         1    1m      1d        1d        1d            100.00             0.00        0.00     0.00          0.00           0.00  4.00
hardware  low           2     2         0     -       -         -         -                 -                -           -        -          0.00           0.00     -
hardware  medium        1     1         0    2h       -         -         -              0.00                -           -        -          0.00         100.00     -
network   high          3     1         2   33m  1h 30m    1h 30m    1h 54m             66.67            50.00       66.67    50.00          1.00          33.33  5.00
network   low           2     1         1    1m     10m       10m       10m            100.00           100.00        0.00     0.00          0.50           0.00     -
service   critical      1     1         0     -       -         -         -                 -                -           -        -          0.00           0.00     -
END
}

@test "--by group,assignee,source: null keys group together, first in order" {
	fixture
	run --separate-stderr inc-report --by group --by assignee,source --format csv </dev/null
	assert_success
	assert_output - <<END
group,assignee,source,$KPI_HEAD
l2-infra,dana,email,2,0,2,930,46801,46801,78481,100.00,0.00,50.00,0.00,0.50,50.00,4.00
l2-infra,erik,monitoring,1,1,0,120,,,,100.00,,,,0.00,0.00,
l3-network,gus,phone,1,1,0,7200,,,,0.00,,,,0.00,100.00,
service-desk,,monitoring,1,1,0,,,,,,,,,0.00,0.00,
service-desk,,web,4,3,0,,,,,,,,,0.00,0.00,
service-desk,alice,chat,1,1,0,,,,,,,,,0.00,0.00,
service-desk,alice,phone,2,0,2,330,2100,2100,3300,100.00,100.00,0.00,50.00,0.50,0.00,5.00
service-desk,bob,email,1,1,0,3600,,,,0.00,,100.00,,2.00,0.00,
service-desk,chen,phone,1,0,1,300,900,900,900,100.00,100.00,0.00,100.00,0.00,0.00,3.00
END
	run --separate-stderr inc-report --by group,assignee,source </dev/null
	assert_line --index 3 '{"group":"service-desk","assignee":null,"source":"monitoring","count":1,"open":1,"resolved":0,"mtta_s":null,"mttr_s":null,"mttr_p50_s":null,"mttr_p90_s":null,"sla_response_pct":null,"sla_resolve_pct":null,"reopen_pct":null,"fcr_pct":null,"reassign_avg":0.00,"escalated_pct":0.00,"csat":null}'
}

@test "--by requester,subcategory and --by priority" {
	fixture
	run --separate-stderr inc-report --by requester,subcategory --format csv </dev/null
	assert_success
	assert_output - <<END
requester,subcategory,$KPI_HEAD
ann,,2,2,0,,,,,,,,,0.00,0.00,
ann,account,1,1,0,120,,,,100.00,,,,0.00,0.00,
ann,outage,1,1,0,,,,,,,,,0.00,0.00,
ann,printer,1,1,0,,,,,,,,,0.00,0.00,
ann,vpn,1,0,1,1800,7200,7200,7200,100.00,0.00,100.00,0.00,1.00,100.00,
bob,,1,0,0,,,,,,,,,0.00,0.00,
bob,lan,1,0,1,60,600,600,600,100.00,100.00,0.00,0.00,1.00,0.00,
joe,,1,0,1,60,86401,86401,86401,100.00,0.00,0.00,0.00,0.00,0.00,4.00
joe,laptop,1,1,0,,,,,,,,,0.00,0.00,
joe,monitor,1,1,0,7200,,,,0.00,,,,0.00,100.00,
joe,password,1,0,1,300,900,900,900,100.00,100.00,0.00,100.00,0.00,0.00,3.00
joe,vpn,1,0,1,600,3600,3600,3600,100.00,100.00,0.00,100.00,0.00,0.00,5.00
joe,wifi,1,1,0,3600,,,,0.00,,100.00,,2.00,0.00,
END
	run --separate-stderr inc-report --by priority --format csv </dev/null
	assert_success
	assert_output - <<END
priority,$KPI_HEAD
critical,3,2,1,60,86401,86401,86401,100.00,0.00,0.00,0.00,0.00,0.00,4.00
high,3,1,2,2000,5400,5400,6840,66.67,50.00,66.67,50.00,1.00,33.33,5.00
low,4,3,1,60,600,600,600,100.00,100.00,0.00,0.00,0.25,0.00,
medium,4,2,1,2540,900,900,900,66.67,100.00,0.00,100.00,0.00,25.00,3.00
END
}

@test "--since and --until: incidents created in [since, until)" {
	fixture
	# incident 1 at the since instant counts, incident 5 at the until instant does not
	run --separate-stderr inc-report --by category --since 2026-11-20T00:00:00Z \
		--until 2026-11-25T01:00:00+01:00 </dev/null
	assert_success
	assert_output - <<'END'
{"category":"email","count":1,"open":0,"resolved":1,"mtta_s":60,"mttr_s":86401,"mttr_p50_s":86401,"mttr_p90_s":86401,"sla_response_pct":100.00,"sla_resolve_pct":0.00,"reopen_pct":0.00,"fcr_pct":0.00,"reassign_avg":0.00,"escalated_pct":0.00,"csat":4.00}
{"category":"hardware","count":2,"open":2,"resolved":0,"mtta_s":7200,"mttr_s":null,"mttr_p50_s":null,"mttr_p90_s":null,"sla_response_pct":0.00,"sla_resolve_pct":null,"reopen_pct":null,"fcr_pct":null,"reassign_avg":0.00,"escalated_pct":50.00,"csat":null}
{"category":"network","count":4,"open":2,"resolved":2,"mtta_s":2000,"mttr_s":5400,"mttr_p50_s":5400,"mttr_p90_s":6840,"sla_response_pct":66.67,"sla_resolve_pct":50.00,"reopen_pct":66.67,"fcr_pct":50.00,"reassign_avg":0.75,"escalated_pct":25.00,"csat":5.00}
END
}

@test "--since relative to now, and epoch seconds" {
	fixture
	# -7d is 2026-11-20T10:00:00Z: incident 13 is created exactly then
	run --separate-stderr inc-report --since -7d </dev/null
	assert_success
	assert_output '{"count":10,"open":6,"resolved":3,"mtta_s":2244,"mttr_s":29300,"mttr_p50_s":900,"mttr_p90_s":69301,"sla_response_pct":60.00,"sla_resolve_pct":66.67,"reopen_pct":25.00,"fcr_pct":33.33,"reassign_avg":0.30,"escalated_pct":10.00,"csat":3.50}'
	run --separate-stderr inc-report --since 1795168800 --now 2030-01-01T00:00:00Z </dev/null
	assert_success
	assert_equal "$(jq .count <<<"$output")" 10
	run --separate-stderr inc-report --until -7d </dev/null
	assert_equal "$(jq .count <<<"$output")" 4
}

@test "an empty database: one overall row, count 0, nothing else measured" {
	run --separate-stderr inc-report </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output '{"count":0,"open":0,"resolved":0,"mtta_s":null,"mttr_s":null,"mttr_p50_s":null,"mttr_p90_s":null,"sla_response_pct":null,"sla_resolve_pct":null,"reopen_pct":null,"fcr_pct":null,"reassign_avg":null,"escalated_pct":null,"csat":null}'
	run --separate-stderr inc-report --format csv </dev/null
	assert_output "$KPI_HEAD"$'\n'"0,0,0,,,,,,,,,,,"
	run --separate-stderr inc-report --format table </dev/null
	assert_output - <<'END'
count  open  resolved  mtta  mttr  mttr_p50  mttr_p90  sla_response_pct  sla_resolve_pct  reopen_pct  fcr_pct  reassign_avg  escalated_pct  csat
    0     0         0     -     -         -         -                 -                -           -        -             -              -     -
END
	# grouped, an empty database has no group: the header alone
	run --separate-stderr inc-report --by category --format tsv </dev/null
	assert_success
	assert_output "$(tr , '\t' <<<"category,$KPI_HEAD")"
	run --separate-stderr inc-report --by category </dev/null
	assert_success
	assert_output ""
}

@test "percentiles interpolate between closest ranks; halves round away from zero" {
	# resolution times 10, 20, 25 and 1001 s, given out of order; one more, 7 s,
	# in a group of its own
	bare <<'END'
2026-11-26T00:00:00Z category='a', status='closed', resolved_at=created_at+25
2026-11-26T00:00:00Z category='a', status='resolved', resolved_at=created_at+1001
2026-11-26T00:00:00Z category='a', status='closed', resolved_at=created_at+10
2026-11-26T00:00:00Z category='a', status='resolved', resolved_at=created_at+20
2026-11-26T00:00:00Z category='a', status='in_progress', resolved_at=NULL
2026-11-26T00:00:00Z category='b', status='closed', resolved_at=created_at+7
END
	run --separate-stderr inc-report --by category --format csv </dev/null
	assert_success
	# a: mean 1056/4 = 264; p50 at rank 1.5: 20 + 0.5 * 5 = 22.5 -> 23;
	# p90 at rank 2.7: 25 + 0.7 * 976 = 708.2 -> 708
	assert_output - <<END
category,$KPI_HEAD
a,5,1,4,,264,23,708,,,,0.00,0.00,0.00,
b,1,0,1,,7,7,7,,,,0.00,0.00,0.00,
END
}

@test "rates keep two decimals, rounded half away from zero, in integers" {
	# 1 escalated of 32: 3.125% -> 3.13; 1 reassignment in 32: 0.03125 -> 0.03;
	# ratings 1 and 2: 1.5 -> 1.50; responses after 1 and 2 s: 1.5 -> 2
	local rows=""
	for _ in $(seq 32); do rows+="2026-11-26T00:00:00Z"$'\n'; done
	bare <<<"$rows"
	dbq "UPDATE incident SET escalated=1, reassignment_count=1 WHERE id=1;
		UPDATE incident SET rating=id, responded_at=created_at+id WHERE id IN (1, 2);
		UPDATE incident SET response_met=CASE WHEN id % 8 <> 0 THEN 1 ELSE 0 END,
			resolve_met=CASE WHEN id <= 3 THEN 1 ELSE 0 END WHERE id <= 24"
	run --separate-stderr inc-report --format csv </dev/null
	assert_success
	# response met 21 of 24: 87.5; resolve met 3 of 24: 12.5
	assert_output - <<END
$KPI_HEAD
32,32,0,2,,,,87.50,12.50,,,0.03,3.13,1.50
END
}

@test "SLA rates count only decided targets; reopen_pct only incidents ever resolved" {
	bare <<'END'
2026-11-26T00:00:00Z response_met=1, resolve_met=NULL, ever_resolved=1, reopen_count=2, status='in_progress'
2026-11-26T00:00:00Z response_met=0, resolve_met=1, ever_resolved=1, reopen_count=0, status='closed', resolved_at=created_at+60
2026-11-26T00:00:00Z response_met=NULL, resolve_met=0, ever_resolved=0, reopen_count=0, status='new'
2026-11-26T00:00:00Z response_met=NULL, resolve_met=NULL, ever_resolved=1, reopen_count=1, status='resolved', resolved_at=created_at+120
END
	run --separate-stderr inc-report </dev/null
	assert_success
	assert_equal "$(jq -c '[.sla_response_pct, .sla_resolve_pct, .reopen_pct, .resolved, .open, .mttr_s]' <<<"$output")" \
		'[50,50,66.67,2,2,90]'
}

@test "fcr_pct: first assignee in a tier-1 group of the config, never reassigned or escalated" {
	fixture
	# resolved: 1 (fcr), 2 (escalated), 5 (fcr), 8 (tier 2), 10 (reassigned)
	run --separate-stderr inc-report </dev/null
	assert_equal "$(jq .fcr_pct <<<"$output")" 40
	# l2-infra made tier 1: incident 8 counts as well
	edit_config '(.groups[] | select(.name == "l2-infra") | .tier) = 1'
	run --separate-stderr inc-report </dev/null
	assert_success
	assert_equal "$(jq .fcr_pct <<<"$output")" 60
	# a first group the config does not know is not tier 1
	dbq "UPDATE incident SET first_group='night-shift' WHERE id=1"
	run --separate-stderr inc-report </dev/null
	assert_equal "$(jq .fcr_pct <<<"$output")" 40
	# nor is a resolution by someone else than the first assignee
	dbq "UPDATE incident SET assignee='bob' WHERE id=5"
	run --separate-stderr inc-report </dev/null
	assert_equal "$(jq .fcr_pct <<<"$output")" 20
}

@test "--by day, week, month: UTC dates, ISO weeks across year ends" {
	bare <<'END'
2026-12-31T23:59:59Z
2027-01-01T00:30:00+01:00
2027-01-01T00:00:00Z
2027-01-04T00:00:00Z
2024-12-30T12:00:00Z
2026-11-27T10:00:00Z
END
	run --separate-stderr inc-report --by month,week,day --format csv </dev/null
	assert_success
	assert_output - <<END
month,week,day,$KPI_HEAD
2024-12,2025-W01,2024-12-30,1,1,0,,,,,,,,,0.00,0.00,
2026-11,2026-W48,2026-11-27,1,1,0,,,,,,,,,0.00,0.00,
2026-12,2026-W53,2026-12-31,2,2,0,,,,,,,,,0.00,0.00,
2027-01,2026-W53,2027-01-01,1,1,0,,,,,,,,,0.00,0.00,
2027-01,2027-W01,2027-01-04,1,1,0,,,,,,,,,0.00,0.00,
END
}

@test "csv quotes as RFC 4180 says; tsv escapes what it cannot quote" {
	bare <<'END'
2026-11-26T00:00:00Z requester='Doe, "JD" John'
2026-11-26T00:00:00Z requester='tab' || char(9) || 'and' || char(10) || 'line\'
2026-11-26T00:00:00Z requester='plain'
END
	run --separate-stderr inc-report --by requester --format csv </dev/null
	assert_success
	assert_output - <<END
requester,$KPI_HEAD
"Doe, ""JD"" John",1,1,0,,,,,,,,,0.00,0.00,
plain,1,1,0,,,,,,,,,0.00,0.00,
"tab	and
line\\",1,1,0,,,,,,,,,0.00,0.00,
END
	run --separate-stderr inc-report --by requester --format tsv </dev/null
	assert_success
	assert_line --index 1 "$(printf 'Doe, "JD" John\t1\t1\t0\t\t\t\t\t\t\t\t\t0.00\t0.00\t')"
	assert_line --index 3 "$(printf 'tab\\tand\\nline\\\\\t1\t1\t0\t\t\t\t\t\t\t\t\t0.00\t0.00\t')"
	run --separate-stderr inc-report --by requester </dev/null
	assert_equal "$(jq -r .requester <<<"$output" | head -2)" $'Doe, "JD" John\nplain'
}

@test "csv and tsv: a cell a spreadsheet would take for a formula starts with a quote" {
	bare <<'END'
2026-11-26T00:00:00Z requester='=HYPERLINK("http://evil","x")'
2026-11-26T00:00:00Z requester='+cmd|calc'
2026-11-26T00:00:00Z requester='-2+3'
2026-11-26T00:00:00Z requester='@SUM(A1)'
2026-11-26T00:00:00Z requester=char(9) || 'tab'
2026-11-26T00:00:00Z requester='-12.5'
2026-11-26T00:00:00Z requester='a=b'
END
	run --separate-stderr inc-report --by requester --format csv </dev/null
	assert_success
	assert_equal "$(cut -d, -f1 <<<"$output")" "$(cat <<'END'
requester
'	tab
'+cmd|calc
-12.5
'-2+3
"'=HYPERLINK(""http://evil""
'@SUM(A1)
a=b
END
)"
	run --separate-stderr inc-report --by requester --format tsv </dev/null
	assert_success
	assert_equal "$(cut -f1 <<<"$output" | sed -n '2p;6p')" $'\'\\ttab\n\'=HYPERLINK("http://evil","x")'
	# JSON keeps the value as it is
	run --separate-stderr inc-report --by requester </dev/null
	assert_equal "$(jq -r .requester <<<"$output" | sed -n 5p)" '=HYPERLINK("http://evil","x")'
}

@test "a table shows control characters escaped, never raw" {
	bare <<'END'
2026-11-26T00:00:00Z requester='evil' || char(27) || ']0;pwned' || char(7) || char(27) || '[31m'
2026-11-26T00:00:00Z requester='two' || char(10) || 'lines' || char(13) || char(127) || char(133)
END
	run --separate-stderr inc-report --aging --by requester --format table </dev/null
	assert_success
	assert_output - <<'END'
requester                 open  <1d  1-3d  3-7d  7-30d  >30d
evil\e]0;pwned\x07\e[31m     1    0     1     0      0     0
two\nlines\r\x7f\u0085       1    0     1     0      0     0
END
}

@test "a table aligns UTF-8 text by characters" {
	bare <<'END'
2026-11-26T00:00:00Z requester='Jürgen Groß'
2026-11-26T00:00:00Z requester='ann'
END
	run --separate-stderr inc-report --aging --by requester --format table </dev/null
	assert_success
	assert_output - <<'END'
requester    open  <1d  1-3d  3-7d  7-30d  >30d
Jürgen Groß     1    0     1     0      0     0
ann             1    0     1     0      0     0
END
}

# ---- aging ----

@test "--aging: the open backlog in every bucket, lower bounds included" {
	fixture
	# open: 1h, 1d, 3d, 4d22h, 6d10h, 7d, 30d and 57d old
	run --separate-stderr inc-report --aging </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output '{"open":8,"<1d":1,"1-3d":1,"3-7d":3,"7-30d":1,">30d":2}'
	run --separate-stderr inc-report --aging --format csv </dev/null
	assert_output $'open,<1d,1-3d,3-7d,7-30d,>30d\n8,1,1,3,1,2'
	# a second later, the 1d, 3d, 7d and 30d ones have not moved on
	run --separate-stderr inc-report --aging --now 2026-11-27T10:00:01Z </dev/null
	assert_output '{"open":8,"<1d":1,"1-3d":1,"3-7d":3,"7-30d":1,">30d":2}'
	# a second earlier, they are one bucket down
	run --separate-stderr inc-report --aging --now 2026-11-27T09:59:59Z </dev/null
	assert_output '{"open":8,"<1d":2,"1-3d":1,"3-7d":3,"7-30d":1,">30d":1}'
}

@test "--aging --by: one row per group, every bucket, in every format" {
	fixture
	run --separate-stderr inc-report --aging --by group </dev/null
	assert_success
	assert_output - <<'END'
{"group":"l2-infra","open":1,"<1d":0,"1-3d":0,"3-7d":0,"7-30d":0,">30d":1}
{"group":"l3-network","open":1,"<1d":0,"1-3d":0,"3-7d":0,"7-30d":1,">30d":0}
{"group":"service-desk","open":6,"<1d":1,"1-3d":1,"3-7d":3,"7-30d":0,">30d":1}
END
	run --separate-stderr inc-report --aging --by group,assignee --format table </dev/null
	assert_success
	assert_output - <<'END'
group         assignee  open  <1d  1-3d  3-7d  7-30d  >30d
l2-infra      erik         1    0     0     0      0     1
l3-network    gus          1    0     0     0      1     0
service-desk  -            4    0     1     2      0     1
service-desk  alice        1    1     0     0      0     0
service-desk  bob          1    0     0     1      0     0
END
	run --separate-stderr inc-report --aging --by group --format tsv </dev/null
	assert_success
	assert_output "$(tr , '\t' <<'END'
group,open,<1d,1-3d,3-7d,7-30d,>30d
l2-infra,1,0,0,0,0,1
l3-network,1,0,0,0,1,0
service-desk,6,1,1,3,0,1
END
)"
}

@test "--aging honours the window; nothing open is one row of zeros" {
	fixture
	run --separate-stderr inc-report --aging --by day --since 2026-11-24 --format csv </dev/null
	assert_success
	assert_output - <<'END'
day,open,<1d,1-3d,3-7d,7-30d,>30d
2026-11-24,1,0,0,1,0,0
2026-11-26,1,0,1,0,0,0
2026-11-27,1,1,0,0,0,0
END
	run --separate-stderr inc-report --aging --since 2026-11-27T09:00:01Z </dev/null
	assert_success
	assert_output '{"open":0,"<1d":0,"1-3d":0,"3-7d":0,"7-30d":0,">30d":0}'
}

# ---- access, usage, errors ----

@test "requesters may not read reports: exit 1, nothing written" {
	fixture
	run --separate-stderr inc-report --as joe@example.com </dev/null
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc-report: joe@example.com: may not read reports (role requester)"
	run --separate-stderr inc-report --review 1 --as joe@example.com </dev/null
	assert_failure 1
	assert_output ""
	# technicians and process owners may
	INC_USER=alice run --separate-stderr inc-report --aging </dev/null
	assert_success
	run --separate-stderr inc-report --as pat --format csv </dev/null
	assert_success
	assert_line --index 1 "14,8,5,1718,19740,3600,54721,75.00,60.00,33.33,40.00,0.29,14.29,4.00"
	# without people in the config, everyone is an admin
	edit_config '.people = []'
	run --separate-stderr inc-report --as joe@example.com --aging </dev/null
	assert_success
}

@test "usage errors: exit 2, nothing done" {
	run --separate-stderr inc-report --by category,colour </dev/null
	assert_failure 2
	assert_equal "$stderr" 'inc-report: --by: unknown field "colour" (want category, subcategory, priority, group, assignee, source, requester, day, week or month)'
	run --separate-stderr inc-report --by category --by group,category </dev/null
	assert_failure 2
	assert_equal "$stderr" 'inc-report: --by: "category" given twice'
	run --separate-stderr inc-report --format xml </dev/null
	assert_failure 2
	assert_equal "$stderr" 'inc-report: --format: unknown format "xml" (want jsonl, csv, tsv or table)'
	run --separate-stderr inc-report --since yesterday </dev/null
	assert_failure 2
	assert_equal "$stderr" 'inc-report: --since: bad time "yesterday"'
	run --separate-stderr inc-report --until 2026-13-01 </dev/null
	assert_failure 2
	assert_equal "$stderr" 'inc-report: --until: bad time "2026-13-01"'
	run --separate-stderr inc-report --review 1 --by group </dev/null
	assert_failure 2
	assert_equal "$stderr" 'inc-report: --review takes no --by, --since, --until, --aging or --format'
	run --separate-stderr inc-report --review abc </dev/null
	assert_failure 2
	assert_equal "$stderr" 'inc-report: --review: not an incident id "abc"'
	run --separate-stderr inc-report 42 </dev/null
	assert_failure 2
	assert_output ""
	assert_equal "${stderr%%$'\n'*}" "usage: inc-report [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--by FIELD[,FIELD...]] [--since TIME] [--until TIME] [--aging] [--format jsonl|csv|tsv|table]"
	run --separate-stderr inc-report --colour </dev/null
	assert_failure 2
	# nothing done: not even the database was created
	db_absent
}

@test "-h prints the usage of both forms on stdout" {
	run --separate-stderr inc-report -h
	assert_success
	assert_equal "$stderr" ""
	assert_output - <<'END'
usage: inc-report [-d DB] [-c CONFIG] [--now TIME] [--as USER] [--by FIELD[,FIELD...]] [--since TIME] [--until TIME] [--aging] [--format jsonl|csv|tsv|table]
       inc-report [-d DB] [-c CONFIG] [--now TIME] [--as USER] --review ID
END
}

@test "a database that cannot be opened: exit 3" {
	touch "$BATS_TEST_TMPDIR/file"
	run --separate-stderr inc-report -d "$BATS_TEST_TMPDIR/file/inc.db" </dev/null
	assert_failure 3
	assert_output ""
	assert_equal "${stderr%%:*}" "inc-report"
}

@test "inc-report never reads stdin" {
	fixture
	# stdin a pipe held open with nothing in it: a tool reading it would
	# hang until the timeout
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	exec 8<>"$BATS_TEST_TMPDIR/fifo"
	run --separate-stderr timeout 10 inc-report --aging <"$BATS_TEST_TMPDIR/fifo"
	exec 8>&-
	assert_success
	assert_output '{"open":8,"<1d":1,"1-3d":1,"3-7d":3,"7-30d":1,">30d":2}'
}

# ---- the post-incident review ----

# Incident 1 as the tools leave it after a day of work: its audit trail,
# task, hold and final columns, written as inc-classify, inc-sla,
# inc-assign, inc-update, inc-task, inc-escalate and inc-close write them.
review_fixture() {
	inc-log --now 2026-11-26T08:00:00Z -s "VPN down for everyone in Berlin" \
		-r joe@example.com --source email >/dev/null
	dbq <<'END'
INSERT INTO audit(incident, task, at, actor, tool, action, field, old, new) VALUES
 (1, NULL, unixepoch('2026-11-26 08:01:00'), 'root', 'inc-classify', 'classified', 'category', NULL, 'network'),
 (1, NULL, unixepoch('2026-11-26 08:01:00'), 'root', 'inc-classify', 'classified', 'subcategory', NULL, 'vpn'),
 (1, NULL, unixepoch('2026-11-26 08:01:00'), 'root', 'inc-classify', 'classified', 'priority', NULL, 'critical'),
 (1, NULL, unixepoch('2026-11-26 08:01:00'), 'root', 'inc-classify', 'classified', 'group', NULL, 'l2-infra'),
 (1, NULL, unixepoch('2026-11-26 08:01:00'), 'root', 'inc-sla', 'sla', 'sla_policy', NULL, 'critical'),
 (1, NULL, unixepoch('2026-11-26 08:01:00'), 'root', 'inc-sla', 'sla', 'sla_state', NULL, 'ok'),
 (1, NULL, unixepoch('2026-11-26 08:02:00'), 'root', 'inc-assign', 'assigned', 'status', 'new', 'assigned'),
 (1, NULL, unixepoch('2026-11-26 08:02:00'), 'root', 'inc-assign', 'assigned', 'assignee', NULL, 'dana'),
 (1, NULL, unixepoch('2026-11-26 08:10:00'), 'dana', 'inc-update', 'status', 'status', 'assigned', 'in_progress'),
 (1, NULL, unixepoch('2026-11-26 08:10:00'), 'dana', 'inc-update', 'status', 'responded_at', NULL, '2026-11-26T08:10:00Z'),
 (1, NULL, unixepoch('2026-11-26 08:10:00'), 'dana', 'inc-update', 'status', 'response_met', NULL, 'true'),
 (1, NULL, unixepoch('2026-11-26 08:20:00'), 'dana', 'inc-update', 'note', NULL, NULL, 'Tunnel endpoint unreachable;
called the ISP | ticket 123'),
 (1, 1, unixepoch('2026-11-26 08:30:00'), 'dana', 'inc-task', 'task', 'title', NULL, 'Call the ISP'),
 (1, 1, unixepoch('2026-11-26 08:30:00'), 'dana', 'inc-task', 'task', 'assignee', NULL, 'dana'),
 (1, NULL, unixepoch('2026-11-26 09:00:00'), 'dana', 'inc-update', 'status', 'status', 'in_progress', 'on_hold'),
 (1, NULL, unixepoch('2026-11-26 09:30:00'), 'dana', 'inc-update', 'status', 'status', 'on_hold', 'in_progress'),
 (1, 1, unixepoch('2026-11-26 09:45:00'), 'dana', 'inc-task', 'task', 'status', 'open', 'done'),
 (1, NULL, unixepoch('2026-11-26 11:00:00'), 'root', 'inc-sla', 'sla', 'sla_state', 'ok', 'warning'),
 (1, NULL, unixepoch('2026-11-26 12:30:00'), 'root', 'inc-sla', 'sla', 'sla_state', 'warning', 'breached'),
 (1, NULL, unixepoch('2026-11-26 12:30:00'), 'root', 'inc-sla', 'sla', 'resolve_met', NULL, 'false'),
 (1, NULL, unixepoch('2026-11-26 12:31:00'), 'root', 'inc-escalate', 'escalated', 'group', 'l2-infra', 'l3-network'),
 (1, NULL, unixepoch('2026-11-26 12:31:00'), 'root', 'inc-escalate', 'escalated', 'assignee', 'dana', 'gus'),
 (1, NULL, unixepoch('2026-11-26 12:31:00'), 'root', 'inc-escalate', 'escalated', 'escalation_level', '0', '1'),
 (1, NULL, unixepoch('2026-11-26 13:00:00'), 'gus', 'inc-close', 'resolved', 'status', 'in_progress', 'resolved'),
 (1, NULL, unixepoch('2026-11-26 13:00:00'), 'gus', 'inc-close', 'resolved', 'resolution', NULL, 'Replaced the router'),
 (1, NULL, unixepoch('2026-11-26 13:00:00'), 'gus', 'inc-close', 'resolved', 'resolved_at', NULL, '2026-11-26T13:00:00Z'),
 (1, NULL, unixepoch('2026-11-26 13:30:00'), 'joe@example.com', 'inc-close', 'reopened', 'reason', NULL, 'still down in Munich'),
 (1, NULL, unixepoch('2026-11-26 13:30:00'), 'joe@example.com', 'inc-close', 'reopened', 'status', 'resolved', 'in_progress'),
 (1, NULL, unixepoch('2026-11-26 13:30:00'), 'joe@example.com', 'inc-close', 'reopened', 'reopen_count', '0', '1'),
 (1, NULL, unixepoch('2026-11-26 14:00:00'), 'gus', 'inc-close', 'resolved', 'status', 'in_progress', 'resolved'),
 (1, NULL, unixepoch('2026-11-26 14:00:00'), 'gus', 'inc-close', 'resolved', 'resolution', NULL, 'Replaced the router and its PSU'),
 (1, NULL, unixepoch('2026-11-26 14:00:00'), 'gus', 'inc-close', 'resolved', 'resolution_type', NULL, 'permanent'),
 (1, NULL, unixepoch('2026-11-26 14:00:00'), 'gus', 'inc-close', 'resolved', 'closure_code', NULL, 'fixed'),
 (1, NULL, unixepoch('2026-11-26 15:00:00'), 'joe@example.com', 'inc-close', 'closed', 'status', 'resolved', 'closed'),
 (1, NULL, unixepoch('2026-11-26 15:00:00'), 'joe@example.com', 'inc-close', 'closed', 'rating', NULL, '4'),
 (1, NULL, unixepoch('2026-11-26 15:00:00'), 'joe@example.com', 'inc-close', 'closed', 'feedback', NULL, 'Slow at first,
then great');
INSERT INTO task(incident, title, grp, assignee, status, due, created_at, done_at) VALUES
 (1, 'Call the ISP', 'l2-infra', 'dana', 'done', unixepoch('2026-11-26 10:00:00'),
  unixepoch('2026-11-26 08:30:00'), unixepoch('2026-11-26 09:45:00'));
INSERT INTO hold(incident, start, "end") VALUES
 (1, unixepoch('2026-11-26 09:00:00'), unixepoch('2026-11-26 09:30:00'));
UPDATE incident SET category='network', subcategory='vpn', impact='high', urgency='high',
 priority='critical', status='closed', grp='l3-network', assignee='gus', major=1,
 sla_policy='critical', response_due=unixepoch('2026-11-26 08:15:00'),
 resolve_due=unixepoch('2026-11-26 12:30:00'), responded_at=unixepoch('2026-11-26 08:10:00'),
 response_met=1, resolve_met=0, paused_s=1800, sla_state='breached', escalation_level=1,
 reassignment_count=1, reopen_count=1, resolution='Replaced the router and its PSU',
 resolution_type='permanent', closure_code='fixed', rating=4, feedback='Slow at first,
then great', links='[{"type":"problem","ref":"PRB-7"}]',
 resolved_at=unixepoch('2026-11-26 14:00:00'), closed_at=unixepoch('2026-11-26 15:00:00'),
 first_assignee='dana', first_group='l2-infra', escalated=1, ever_resolved=1 WHERE id=1;
END
}

@test "--review: the whole post-incident review of a worked incident" {
	review_fixture
	run --separate-stderr inc-report --review INC-1 </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output - <<'END'
# Post-incident review: INC-1

| Field | Value |
|---|---|
| Subject | VPN down for everyone in Berlin |
| Status | closed |
| Priority | critical (impact high, urgency high) |
| Category | network / vpn |
| Major incident | yes |
| Source | email |
| Requester | joe@example.com |
| Group | l3-network |
| Assignee | gus |
| First assignee | dana |
| Detected | at logging |
| Logged | 2026-11-26T08:00:00Z |
| Responded | 2026-11-26T08:10:00Z (after 10m) |
| Resolved | 2026-11-26T14:00:00Z (after 6h) |
| Closed | 2026-11-26T15:00:00Z (after 7h) |
| Resolution | Replaced the router and its PSU |
| Resolution type | permanent |
| Closure code | fixed |
| Escalation level | 1 |
| Escalated | yes |
| Reassignments | 1 |
| Reopened | 1 |
| Links | problem:PRB-7 |

## Timeline

| Time (UTC) | After | Event | By | Details |
|---|---|---|---|---|
| 2026-11-26T08:00:00Z | 0s | logged | root | VPN down for everyone in Berlin |
| 2026-11-26T08:01:00Z | 1m | classified | root | category network, subcategory vpn, priority critical |
| 2026-11-26T08:01:00Z | 1m | assigned | root | group l2-infra |
| 2026-11-26T08:01:00Z | 1m | sla attached | root | policy critical |
| 2026-11-26T08:02:00Z | 2m | assigned | root | assignee dana |
| 2026-11-26T08:10:00Z | 10m | responded | dana | - |
| 2026-11-26T08:10:00Z | 10m | in progress | dana | - |
| 2026-11-26T08:20:00Z | 20m | note | dana | Tunnel endpoint unreachable;<br>called the ISP \| ticket 123 |
| 2026-11-26T08:30:00Z | 30m | task | dana | task 1: title Call the ISP, assignee dana |
| 2026-11-26T09:00:00Z | 1h | paused | dana | - |
| 2026-11-26T09:30:00Z | 1h30m | resumed | dana | - |
| 2026-11-26T09:45:00Z | 1h45m | task | dana | task 1: status done |
| 2026-11-26T11:00:00Z | 3h | sla warning | root | - |
| 2026-11-26T12:30:00Z | 4h30m | sla breached | root | resolution target |
| 2026-11-26T12:31:00Z | 4h31m | escalated | root | escalation_level 1 (was 0), group l3-network (was l2-infra), assignee gus (was dana) |
| 2026-11-26T13:00:00Z | 5h | resolved | gus | resolution Replaced the router |
| 2026-11-26T13:30:00Z | 5h30m | reopened | joe@example.com | reason still down in Munich |
| 2026-11-26T14:00:00Z | 6h | resolved | gus | resolution Replaced the router and its PSU, resolution_type permanent, closure_code fixed |
| 2026-11-26T15:00:00Z | 7h | closed | joe@example.com | - |
| 2026-11-26T15:00:00Z | 7h | survey | joe@example.com | rating 4, feedback Slow at first,<br>then great |

## Time in each status

| Status | Time |
|---|---|
| new | 2m |
| assigned | 8m |
| in_progress | 4h50m |
| on_hold | 30m |
| resolved | 1h30m |

## Time in each group

| Group | Time |
|---|---|
| (none) | 1m |
| l2-infra | 4h30m |
| l3-network | 59m |

## SLA

Policy critical; on hold for 30m of working time.

| Target | Due | Done | Result |
|---|---|---|---|
| Response | 2026-11-26T08:15:00Z | 2026-11-26T08:10:00Z | met (5m to spare) |
| Resolution | 2026-11-26T12:30:00Z | 2026-11-26T14:00:00Z | breached (1h30m late) |

On hold:

- 2026-11-26T09:00:00Z to 2026-11-26T09:30:00Z (30m)

## Tasks

| Task | Title | Group | Assignee | Status | Due | Done |
|---|---|---|---|---|---|---|
| 1 | Call the ISP | l2-infra | dana | done | 2026-11-26T10:00:00Z | 2026-11-26T09:45:00Z |

## Notes

- 2026-11-26T08:20:00Z, dana: Tunnel endpoint unreachable;
  called the ISP | ticket 123

## Survey

Rating 4 of 5.

> Slow at first,
> then great

## Review

- What happened, and what did it cost the users?
- Root cause:
- What went well:
- What went wrong, and why:
- Actions (owner, due date):

### 1. Identification

- Logged when detected, 2026-11-26T08:00:00Z
- Source: email; requester: joe@example.com
- Classified 1m after logging; priority critical now, changed 0 times
- A major incident

How was it detected, and could it have been detected, or logged, sooner? Was it classified and prioritized right the first time?

### 2. Communication

- No reply to the requester
- 0 replies from the requester, 1 internal note
- 0 notices by the escalation rules
- No mail by inc-notify

Were the requester and those affected told what they needed, when they needed it? Did the right people hear of the warnings and breaches?

### 3. Structure

- Groups, in turn: l2-infra, l3-network
- 1 reassignment; first assignee dana, now gus
- Escalation level 1: 0 by the rules, 0 by hand

Did the incident reach the team that could fix it, and quickly? Were the roles, the groups' escalate_to and the escalation rules right?

### 4. Resources

- Worked by: dana, gus
- 1 task, 1 done, 0 late
- On hold for 30m of working time

Did those working it have the skills, the access, the tools and the time they needed? What were they waiting for while it was on hold?

### 5. Process

- SLA critical: response met, resolution breached
- Reopened 1 time
- 0 steps forced past the rules (--force)

Was the process followed, and did it help? Where did it get in the way (holds, reopenings, forced steps, rules that fired too late or too often)?

### 6. Reporting

- Status: closed, confirmed; closure code fixed, resolution type permanent
- 1 problem record linked
- Survey: 4 of 5

Is the record right for the KPIs (times, codes, category)? Does the root cause have a problem record? Which actions follow, with an owner and a due date?
END
}

@test "--review of an incident with nothing but its logging" {
	inc-log --now 2026-11-27T09:00:00Z -s "Printer jams" >/dev/null
	run --separate-stderr inc-report --review 1 </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_output - <<'END'
# Post-incident review: INC-1

| Field | Value |
|---|---|
| Subject | Printer jams |
| Status | new |
| Priority | - |
| Category | - |
| Major incident | no |
| Source | - |
| Requester | - |
| Group | - |
| Assignee | - |
| First assignee | - |
| Detected | at logging |
| Logged | 2026-11-27T09:00:00Z |
| Responded | - |
| Resolved | - |
| Closed | - |
| Resolution | - |
| Resolution type | - |
| Closure code | - |
| Escalation level | 0 |
| Escalated | no |
| Reassignments | 0 |
| Reopened | 0 |
| Links | - |

## Timeline

| Time (UTC) | After | Event | By | Details |
|---|---|---|---|---|
| 2026-11-27T09:00:00Z | 0s | logged | root | Printer jams |

## Time in each status

| Status | Time |
|---|---|
| new | 1h |

## Time in each group

| Group | Time |
|---|---|
| (none) | 1h |

## SLA

No SLA policy was attached.

## Tasks

No tasks.

## Notes

No notes.

## Survey

No survey answer.

## Review

- What happened, and what did it cost the users?
- Root cause:
- What went well:
- What went wrong, and why:
- Actions (owner, due date):

### 1. Identification

- Logged when detected, 2026-11-27T09:00:00Z
- Source: none given; requester: none given
- Never classified by the rules; priority none

How was it detected, and could it have been detected, or logged, sooner? Was it classified and prioritized right the first time?

### 2. Communication

- No reply to the requester
- 0 replies from the requester, 0 internal notes
- 0 notices by the escalation rules
- No mail by inc-notify

Were the requester and those affected told what they needed, when they needed it? Did the right people hear of the warnings and breaches?

### 3. Structure

- Groups, in turn: none
- 0 reassignments; first assignee none, now none
- Escalation level 0: 0 by the rules, 0 by hand

Did the incident reach the team that could fix it, and quickly? Were the roles, the groups' escalate_to and the escalation rules right?

### 4. Resources

- Worked by: nobody
- 0 tasks, 0 done, 0 late
- On hold for 0s of working time

Did those working it have the skills, the access, the tools and the time they needed? What were they waiting for while it was on hold?

### 5. Process

- No SLA policy
- Reopened 0 times
- 0 steps forced past the rules (--force)

Was the process followed, and did it help? Where did it get in the way (holds, reopenings, forced steps, rules that fired too late or too often)?

### 6. Reporting

- Status: new; closure code none, resolution type none
- 0 problem records linked
- No survey answer

Is the record right for the KPIs (times, codes, category)? Does the root cause have a problem record? Which actions follow, with an owner and a due date?
END
}

@test "--review of an open incident: targets still open, a hold going on" {
	inc-log --now 2026-11-27T08:00:00Z -s "Mail slow" --category email >/dev/null
	dbq "UPDATE incident SET status='on_hold', sla_policy='standard',
		response_due=unixepoch('2026-11-27 09:00:00'), resolve_due=unixepoch('2026-11-27 12:00:00'),
		paused_s=600 WHERE id=1;
		INSERT INTO hold VALUES (1, unixepoch('2026-11-27 09:50:00'), NULL);
		INSERT INTO audit(incident, at, actor, tool, action, field, old, new) VALUES
		 (1, unixepoch('2026-11-27 09:50:00'), 'bob', 'inc-update', 'status', 'status', 'new', 'on_hold'),
		 (1, unixepoch('2026-11-27 09:55:00'), 'bob', 'inc-update', 'set', 'description', NULL, 'x')"
	run --separate-stderr inc-report --review 1 </dev/null
	assert_success
	assert_line '| 2026-11-27T09:50:00Z | 1h50m | paused | bob | - |'
	assert_line '| 2026-11-27T09:55:00Z | 1h55m | updated | bob | description |'
	assert_line 'Policy standard; on hold for 10m of working time.'
	assert_line '| Response | 2026-11-27T09:00:00Z | - | open (1h overdue) |'
	assert_line '| Resolution | 2026-11-27T12:00:00Z | - | open (due in 2h) |'
	assert_line '- since 2026-11-27T09:50:00Z (10m so far)'
	assert_line '| new | 1h50m |'
	assert_line '| on_hold | 10m |'
	assert_line '| Category | email |'
}

@test "--review of an unknown incident: exit 1" {
	run --separate-stderr inc-report --review INC-99 </dev/null
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "inc-report: 99: no such incident"
}

@test "KPIs and review of an incident worked by inc-task and inc-close" {
	inc-log --now 2026-11-27T08:00:00Z -s "Laptop screen flickers" -r joe@example.com \
		--category hardware --field asset_tag=LT-1 >/dev/null
	inc-task --now 2026-11-27T08:05:00Z add 1 --title "Order a new panel" --assignee bob >/dev/null
	inc-task --now 2026-11-27T08:40:00Z done 1 >/dev/null
	inc-close --now 2026-11-27T08:45:00Z --resolution "Cable reseated" 1 >/dev/null
	inc-close --now 2026-11-27T09:00:00Z --reopen --reason "still flickers" 1 >/dev/null
	inc-close --now 2026-11-27T09:20:00Z --resolution "Panel replaced" --code fixed 1 >/dev/null
	inc-close --now 2026-11-27T09:30:00Z --as joe@example.com --confirm --rating 5 1 >/dev/null
	run --separate-stderr inc-report --format csv </dev/null
	assert_success
	# responded at the first resolution (45m), resolved at the last (1h20m)
	assert_output - <<END
$KPI_HEAD
1,0,1,2700,4800,4800,4800,,,100.00,0.00,0.00,0.00,5.00
END
	run --separate-stderr inc-report --review 1 </dev/null
	assert_success
	assert_line '| 2026-11-27T08:05:00Z | 5m | task | root | task 1: title Order a new panel, status open, assignee bob |'
	assert_line '| 2026-11-27T08:40:00Z | 40m | task | root | task 1: status done |'
	assert_line '| 2026-11-27T08:45:00Z | 45m | responded | root | - |'
	assert_line '| 2026-11-27T09:00:00Z | 1h | reopened | root | reason still flickers |'
	assert_line '| 2026-11-27T09:30:00Z | 1h30m | survey | joe@example.com | rating 5 |'
	assert_line '| 1 | Order a new panel | - | bob | done | - | 2026-11-27T08:40:00Z |'
	assert_line '| in_progress | 20m |'
	assert_line '| resolved | 25m |'
	assert_line 'Rating 5 of 5.'
}

@test "--review from the tools' own trail: whom notices told, why it escalated, a rule with nowhere to go, an auto-close, detection, the six areas" {
	edit_config '.groups |= map(if .name == "l2-infra" then del(.escalate_to) else . end)'
	inc-log <<<'{"subject":"Printer jams","requester":"joe@example.com","source":"email","detected_at":"2026-11-27T09:40:00Z"}' >/dev/null
	inc-sla
	inc-assign 1 >/dev/null
	INC_NOW=2026-11-27T13:13:00Z bash -c 'inc-sla | inc-escalate' >/dev/null
	INC_NOW=2026-11-27T13:20:00Z inc-update --as alice --reply "Looking into it" 1 >/dev/null
	INC_NOW=2026-11-27T13:25:00Z inc-update --as joe@example.com --reply "Thanks" 1 >/dev/null
	INC_NOW=2026-11-27T13:30:00Z inc-escalate 1 --to l2-infra --reason "needs the network team" >/dev/null
	INC_NOW=2026-12-02T10:30:00Z bash -c 'inc-sla | inc-escalate' >/dev/null
	INC_NOW=2026-12-02T11:00:00Z inc-close --resolution "new fuser" 1 >/dev/null
	INC_NOW=2026-12-10T00:00:00Z inc-close --expire 3d >/dev/null
	INC_NOW=2026-12-10T00:00:00Z run --separate-stderr inc-report --review 1 </dev/null
	assert_success
	assert_equal "$stderr" ""
	assert_line '| Detected | 2026-11-27T09:40:00Z (20m before logging) |'
	assert_line '| Escalated | yes |'
	assert_line '| 2026-11-27T13:13:00Z | 3h13m | notified | root | response_warning: response due 2026-11-27T14:00:00Z; notify ["alice@example.com"] |'
	assert_line '| 2026-11-27T13:20:00Z | 3h20m | reply | alice | Looking into it |'
	assert_line '| 2026-11-27T13:25:00Z | 3h25m | reply | joe@example.com | Thanks |'
	assert_line '| 2026-11-27T13:30:00Z | 3h30m | escalated | root | escalation_level 1 (was 0), group l2-infra (was service-desk), assignee dana (was alice); by hand: needs the network team; notify ["omar@example.com"] |'
	assert_line '| 2026-12-02T10:30:00Z | 5d30m | not escalated | root | resolve_breached: resolve due 2026-12-02T10:00:00Z; no escalate_to: the incident stays in l2-infra; notify ["omar@example.com"] |'
	assert_line '| 2026-12-10T00:00:00Z | 12d14h | auto-closed | root | unconfirmed: closed by inc-close --expire |'
	refute_line --partial '| updated |'
	# the six areas, in order, each with what inc knows
	assert_equal "$(grep '^### ' <<<"$output")" "### 1. Identification
### 2. Communication
### 3. Structure
### 4. Resources
### 5. Process
### 6. Reporting"
	assert_line '- Detected 2026-11-27T09:40:00Z, logged 20m later'
	assert_line '- 1 reply to the requester, the first 3h20m after logging'
	assert_line '- 1 reply from the requester, 0 internal notes'
	assert_line '- Groups, in turn: service-desk, l2-infra'
	assert_line '- Escalation level 1: 0 by the rules, 1 by hand'
	assert_line '- 1 functional rule found no group to escalate to'
	assert_line '- Worked by: alice, dana'
	assert_line '- SLA standard: response met, resolution breached'
	assert_line '- Status: closed by the expiry job, unconfirmed; closure code fixed, resolution type permanent'
	# mail the desk sent is communication too
	INC_NOW=2026-12-10T00:00:00Z inc-notify --queue-only --as root >/dev/null
	INC_NOW=2026-12-10T00:00:00Z run --separate-stderr inc-report --review 1 </dev/null
	assert_line --regexp '^- [0-9]+ mails by inc-notify, [0-9]+ to the requester; 0 sent, 0 failing$'
}

/*
 * import_test.c - unit tests for the reading half of inc-import
 * (lib/import_*.c): the mapping loader (bad files refused with their key path
 * and a reason), and each reader (CSV, XES, JSON lines) on small excerpts
 * written here, compared event by event with the exact normalized events.
 *
 * With arguments it is the dump tool the memory and speed checks use:
 *
 *	zcat LOG.gz | tests/unit/import_test --dump FORMAT [MAPPING] > events.jsonl
 *
 * writes the normalized events as JSON lines, refused rows on stderr, and
 * "N events, M refused, S s, E events/s" last on stderr.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inc.h"

static int passed, failed;

static void
check(int ok, const char *what, const char *detail)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

/* ---- collecting what a reader produces ---- */

struct got {
	struct inc_buf out;	/* events and refusals, one per line */
	int stop_at;		/* return -1 on this call (1-based), or 0 */
	int calls;
};

static int
collect(json_t *ev, void *arg, char *err)
{
	struct got *g = arg;
	char *s;

	g->calls++;
	if (!ev) {
		inc_buf_printf(&g->out, "! %s\n", err);
	} else {
		s = json_dumps(ev, JSON_COMPACT);
		if (!s)
			return inc_err(err, "json_dumps failed");
		inc_buf_printf(&g->out, "%s\n", s);
		free(s);
	}
	if (g->stop_at && g->calls == g->stop_at)
		return inc_err(err, "stop here");
	return 0;
}

static struct inc_import_map *
map_ok(const char *what, const char *json)
{
	char err[INC_ERRLEN];
	struct inc_import_map *m = inc_import_map_parse(json, "test.json", err);

	check(m != NULL, what, m ? NULL : err);
	return m;
}

static void
map_bad(const char *json, const char *want)
{
	char err[INC_ERRLEN] = "";
	struct inc_import_map *m = inc_import_map_parse(json, "test.json", err);
	char what[INC_ERRLEN + 64];

	snprintf(what, sizeof what, "mapping refused with \"%s\"", want);
	check(!m && strcmp(err, want) == 0, what, m ? "accepted" : err);
	inc_import_map_free(m);
}

/*
 * Reads input as format through map and compares every event and refusal
 * (one per line, refusals as "! MESSAGE") with want, then the return value
 * and err ("" for 0) and the count of refused rows.
 */
static void
reads(const char *what, const char *format, const struct inc_import_map *m,
      const char *input, const char *want, int want_rc, const char *want_err,
      size_t want_refused, int stop_at)
{
	FILE *in = fmemopen((void *)input, strlen(input), "r");
	struct got g = {0};
	char err[INC_ERRLEN] = "", d[8192];
	size_t refused = 99;
	int rc;

	if (!in) {
		check(0, what, "fmemopen failed");
		return;
	}
	g.stop_at = stop_at;
	inc_buf_add(&g.out, "", 0);
	rc = inc_import_read(in, format, m, collect, &g, &refused, err);
	fclose(in);
	snprintf(d, sizeof d, "\n got rc %d, err \"%s\", refused %zu:\n%s"
		 " want rc %d, err \"%s\", refused %zu:\n%s", rc, rc ? err : "", refused,
		 g.out.data, want_rc, want_err, want_refused, want);
	check(rc == want_rc && strcmp(g.out.data, want) == 0 &&
	      strcmp(rc ? err : "", want_err) == 0 && refused == want_refused, what, d);
	inc_buf_free(&g.out);
}

/* ---- the mapping loader ---- */

#define CSV_MIN "\"format\":\"csv\",\"id\":\"n\",\"at\":\"t\""

static void
test_map(void)
{
	char err[INC_ERRLEN];
	struct inc_import_map *m;
	static const char *const shipped[] = {
		"share/import/servicenow.json", "share/import/bpi2013.json",
		"share/import/helpdesk.json"
	};

	for (size_t i = 0; i < sizeof shipped / sizeof *shipped; i++) {
		m = inc_import_map_load(shipped[i], err);
		check(m != NULL, shipped[i], m ? NULL : err);
		inc_import_map_free(m);
	}
	m = inc_import_map_load("share/import/no-such.json", err);
	check(!m && strcmp(err, "share/import/no-such.json: No such file or directory") == 0,
	      "a missing mapping file", err);
	inc_import_map_free(m);

	m = map_ok("the least mapping", "{" CSV_MIN "}");
	inc_import_map_free(m);

	map_bad("{\"format\":\"csv\",", "test.json: line 1, column 16: "
		"string or '}' expected near end of file");
	map_bad("[]", "test.json: a mapping is a JSON object");
	map_bad("{\"format\":\"csv\",\"id\":\"n\",\"at\":\"t\",\"fields\":{\"assigne\":\"a\"}}",
		"test.json: fields.assigne: not a field of an event (subject, description, "
		"requester, source, category, subcategory, impact, urgency, priority, group, "
		"tier, assignee, major, closure_code, resolution, resolution_type); status, "
		"id, at, seq, actor and custom have keys of their own");
	map_bad("{\"format\":\"cvs\",\"id\":\"n\",\"at\":\"t\"}",
		"test.json: format: must be \"csv\" or \"xes\"");
	map_bad("{\"format\":\"csv\",\"at\":\"t\"}",
		"test.json: id: missing: which column is the incident's key?");
	map_bad("{" CSV_MIN ",\"stauts\":{}}", "test.json: stauts: unknown key");
	map_bad("{" CSV_MIN ",\"status\":{\"from\":\"s\",\"map\":{\"Active\":\"in progress\"}}}",
		"test.json: status.map.Active: \"in progress\" is not a status (new, "
		"assigned, in_progress, on_hold, resolved, closed, cancelled), "
		"\"unchanged\" or \"skip\"");
	map_bad("{" CSV_MIN ",\"status\":{\"from\":\"s\",\"map\":{\"New\":"
		"{\"status\":\"new\",\"if_assigned\":\"assigned\"}}}}",
		"test.json: status.map.New.if_assigned: unknown key");
	map_bad("{" CSV_MIN ",\"status\":{\"from\":\"s\",\"map\":{\"Awaiting User\":"
		"{\"status\":\"on_hold\",\"set\":{\"tier\":0}}}}}",
		"test.json: status.map.\"Awaiting User\".set.tier: tier: must be a support "
		"line (1, 2, 3...) or null");
	map_bad("{" CSV_MIN ",\"fields\":{\"source\":{\"from\":\"c\",\"map\":{\"Phone\":\"tel\"}}}}",
		"test.json: fields.source.map.Phone: source: \"tel\" is not one of phone, "
		"email, sms, web, chat, api, monitoring");
	map_bad("{" CSV_MIN ",\"fields\":{\"impact\":{\"from\":\"i\",\"value\":\"low\"}}}",
		"test.json: fields.impact: needs exactly one of \"from\", \"trace\", "
		"\"format\" and \"value\"");
	map_bad("{" CSV_MIN ",\"fields\":{\"impact\":{\"from\":\"i\",\"default\":\"low\"}}}",
		"test.json: fields.impact.default: a default is for values the \"map\" "
		"lacks: give a map");
	map_bad("{" CSV_MIN ",\"fields\":{\"impact\":{\"from\":\"i\",\"when\":[\"open\"]}}}",
		"test.json: fields.impact.when[0]: must be a status or \"opening\"");
	map_bad("{" CSV_MIN ",\"custom\":{\"x\":{\"from\":\"i\",\"type\":\"int\"}}}",
		"test.json: custom.x.type: must be \"string\", \"integer\", \"number\", "
		"\"boolean\" or \"time\"");
	map_bad("{" CSV_MIN ",\"id\":{\"trace\":\"concept:name\"}}",
		"test.json: line 1, column 38: duplicate object key near '\"id\"'");
	map_bad("{\"format\":\"csv\",\"id\":{\"trace\":\"concept:name\"},\"at\":\"t\"}",
		"test.json: id.trace: only an XES log has traces");
	map_bad("{" CSV_MIN ",\"tier\":[{\"match\":\"(2nd\",\"tier\":2}]}",
		"test.json: tier[0].match: Unmatched ( or \\(");
	map_bad("{" CSV_MIN ",\"tier\":[{\"match\":\"2nd\",\"tier\":\"2\"}]}",
		"test.json: tier[0].tier: must be a support line, 1 to 99");
	map_bad("{" CSV_MIN ",\"fields\":{\"subject\":{\"format\":\"{category\"}}}",
		"test.json: fields.subject.format: \"{\" without a name and \"}\" "
		"(write \"{{\" for a brace)");
	map_bad("{" CSV_MIN ",\"opening\":{\"at\":\"o\",\"fields\":[\"requester\"]}}",
		"test.json: opening.fields[0]: \"requester\" is not a key of \"fields\"");
	map_bad("{" CSV_MIN ",\"opening\":{\"fields\":[]}}",
		"test.json: opening.at: must be the column of the opening time, or an "
		"array of them (the earliest wins)");
	map_bad("{" CSV_MIN ",\"missing_means\":\"empty\"}",
		"test.json: missing_means: must be \"null\" (a missing value clears the "
		"field) or \"unchanged\"");
	map_bad("{" CSV_MIN ",\"seq\":{\"from\":\"s\",\"type\":\"string\"}}",
		"test.json: seq.type: must be \"integer\" here");
	map_bad("{" CSV_MIN ",\"missing\":[\"?\",1]}",
		"test.json: missing[1]: must be a string");
	map_bad("{" CSV_MIN ",\"unmapped\":\"drop\"}",
		"test.json: unmapped: must be \"error\", \"ignore\" or \"custom\"");
}

/* ---- CSV ---- */

static const char snow_map[] =
	"{\"format\":\"csv\",\"time\":\"%d/%m/%Y %H:%M\",\"missing\":[\"?\"],"
	"\"missing_means\":\"null\",\"id\":\"number\",\"at\":\"updated\",\"seq\":\"mod\","
	"\"actor\":\"by\","
	"\"opening\":{\"at\":[\"opened\",\"created\"],\"actor\":\"opener\","
	"  \"fields\":[\"subject\",\"requester\",\"impact\"]},"
	"\"status\":{\"from\":\"state\",\"map\":{"
	"  \"New\":{\"status\":\"new\",\"if_assignee\":\"assigned\"},"
	"  \"Active\":\"in_progress\",\"Awaiting User Info\":\"on_hold\","
	"  \"Resolved\":\"resolved\",\"Closed\":\"closed\",\"-100\":\"unchanged\"}},"
	"\"fields\":{\"subject\":{\"format\":\"{category}: {note}\",\"when\":[\"opening\"]},"
	"  \"requester\":\"caller\",\"group\":\"group\",\"assignee\":\"assigned_to\","
	"  \"impact\":{\"from\":\"impact\",\"map\":{\"1 - High\":\"high\",\"2 - Medium\":\"medium\"}},"
	"  \"closure_code\":{\"from\":\"code\",\"when\":[\"resolved\",\"closed\"]}},"
	"\"custom\":{\"made_sla\":{\"from\":\"sla\",\"type\":\"boolean\"},"
	"  \"source_reopen_count\":{\"from\":\"reopens\",\"type\":\"integer\"}},"
	"\"tier\":[{\"match\":\"^L2\",\"tier\":2},{\"match\":\"\",\"tier\":1}],"
	"\"ignore\":[\"active\"]}";

#define SNOW_HEAD "number,state,active,mod,by,updated,opened,created,opener,caller,category,note,group,assigned_to,impact,code,sla,reopens\n"

static void
test_csv(void)
{
	struct inc_import_map *m = map_ok("the ServiceNow-like mapping", snow_map);

	if (!m)
		return;
	/* an incident opened, assigned, worked and resolved; the opening at the
	 * earliest of opened and created; quoted fields with commas, quotes and
	 * a newline; "?" clears */
	reads("a ServiceNow-like incident", "servicenow", m,
	      SNOW_HEAD
	      "INC1,New,true,0,Updated by 1,29/2/2016 01:23,29/2/2016 01:16,?,Opened by 8,"
	      "Caller 3,\"Printers, paper\",\"says \"\"jammed\"\"\nagain\",L1 Desk,?,"
	      "2 - Medium,code 5,true,0\n"
	      "INC1,New,true,1,Updated by 2,29/2/2016 01:30,29/2/2016 01:16,?,Opened by 8,"
	      "Caller 3,\"Printers, paper\",?,L2 Print,Resolver 5,1 - High,code 5,true,0\n"
	      "INC1,Resolved,true,2,Updated by 2,1/3/2016 09:05,29/2/2016 01:16,?,Opened by 8,"
	      "Caller 3,\"Printers, paper\",?,L2 Print,Resolver 5,1 - High,code 5,false,0\n",
	      "{\"id\":\"INC1\",\"at\":\"2016-02-29T01:16:00Z\",\"seq\":-1,\"actor\":\"Opened by 8\","
	      "\"status\":\"new\",\"subject\":\"Printers, paper: says \\\"jammed\\\"\\nagain\","
	      "\"requester\":\"Caller 3\",\"impact\":\"medium\"}\n"
	      "{\"id\":\"INC1\",\"at\":\"2016-02-29T01:23:00Z\",\"seq\":0,\"actor\":\"Updated by 1\","
	      "\"status\":\"new\",\"group\":\"L1 Desk\",\"tier\":1,\"assignee\":null,"
	      "\"requester\":\"Caller 3\",\"impact\":\"medium\","
	      "\"custom\":{\"made_sla\":true,\"source_reopen_count\":0}}\n"
	      "{\"id\":\"INC1\",\"at\":\"2016-02-29T01:30:00Z\",\"seq\":1,\"actor\":\"Updated by 2\","
	      "\"status\":\"assigned\",\"group\":\"L2 Print\",\"tier\":2,\"assignee\":\"Resolver 5\","
	      "\"requester\":\"Caller 3\",\"impact\":\"high\","
	      "\"custom\":{\"made_sla\":true,\"source_reopen_count\":0}}\n"
	      "{\"id\":\"INC1\",\"at\":\"2016-03-01T09:05:00Z\",\"seq\":2,\"actor\":\"Updated by 2\","
	      "\"status\":\"resolved\",\"group\":\"L2 Print\",\"tier\":2,\"assignee\":\"Resolver 5\","
	      "\"requester\":\"Caller 3\",\"impact\":\"high\",\"closure_code\":\"code 5\","
	      "\"custom\":{\"made_sla\":false,\"source_reopen_count\":0}}\n",
	      0, "", 0, 0);

	/* rows out of order and interleaved: each run of an incident's rows
	 * gets its opening again (the applier sorts by at, then seq); an opening
	 * is never after its row; CRLF line ends; "-100" leaves the status */
	reads("rows out of order, CRLF, an unchanged state", "servicenow", m,
	      "number,state,active,mod,by,updated,opened,created,opener,caller,category,"
	      "note,group,assigned_to,impact,code,sla,reopens\r\n"
	      "INC2,Active,true,3,U9,2/3/2016 10:00,1/3/2016 08:00,1/3/2016 07:00,O1,C1,Cat,N,G,R1,"
	      "2 - Medium,?,true,0\r\n"
	      "INC3,-100,true,1,U8,1/3/2016 12:00,1/3/2016 12:30,?,O2,C2,Cat,N,G,?,"
	      "2 - Medium,?,true,1\r\n"
	      "INC2,Active,true,1,U9,1/3/2016 09:00,1/3/2016 08:00,1/3/2016 07:00,O1,C1,Cat,N,G,R1,"
	      "2 - Medium,?,true,0\r\n",
	      "{\"id\":\"INC2\",\"at\":\"2016-03-01T07:00:00Z\",\"seq\":-1,\"actor\":\"O1\","
	      "\"status\":\"new\",\"subject\":\"Cat: N\",\"requester\":\"C1\",\"impact\":\"medium\"}\n"
	      "{\"id\":\"INC2\",\"at\":\"2016-03-02T10:00:00Z\",\"seq\":3,\"actor\":\"U9\","
	      "\"status\":\"in_progress\",\"group\":\"G\",\"tier\":1,\"assignee\":\"R1\","
	      "\"requester\":\"C1\",\"impact\":\"medium\","
	      "\"custom\":{\"made_sla\":true,\"source_reopen_count\":0}}\n"
	      "{\"id\":\"INC3\",\"at\":\"2016-03-01T12:00:00Z\",\"seq\":-1,\"actor\":\"O2\","
	      "\"status\":\"new\",\"subject\":\"Cat: N\",\"requester\":\"C2\",\"impact\":\"medium\"}\n"
	      "{\"id\":\"INC3\",\"at\":\"2016-03-01T12:00:00Z\",\"seq\":1,\"actor\":\"U8\","
	      "\"group\":\"G\",\"tier\":1,\"assignee\":null,"
	      "\"requester\":\"C2\",\"impact\":\"medium\","
	      "\"custom\":{\"made_sla\":true,\"source_reopen_count\":1}}\n"
	      "{\"id\":\"INC2\",\"at\":\"2016-03-01T07:00:00Z\",\"seq\":-1,\"actor\":\"O1\","
	      "\"status\":\"new\",\"subject\":\"Cat: N\",\"requester\":\"C1\",\"impact\":\"medium\"}\n"
	      "{\"id\":\"INC2\",\"at\":\"2016-03-01T09:00:00Z\",\"seq\":1,\"actor\":\"U9\","
	      "\"status\":\"in_progress\",\"group\":\"G\",\"tier\":1,\"assignee\":\"R1\","
	      "\"requester\":\"C1\",\"impact\":\"medium\","
	      "\"custom\":{\"made_sla\":true,\"source_reopen_count\":0}}\n",
	      0, "", 0, 0);

	/* bad rows are reported by line and skipped; the rest goes on */
	reads("bad rows refused, the others read", "servicenow", m,
	      SNOW_HEAD
	      "INC4,Foo,true,0,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,2 - Medium,?,true,0\n"
	      "INC4,New,true,1,U,31/2/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,2 - Medium,?,true,0\n"
	      "INC4,New,true,x,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,2 - Medium,?,true,0\n"
	      "INC4,New,true,2,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,9 - Meh,?,true,0\n"
	      "INC4,New,true,3,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,2 - Medium,?,maybe,0\n"
	      "INC4,New,true,4,U,1/3/2016 10:00\n"
	      "\n"
	      "INC4,\"New\nbut\",true,5,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,"
	      "2 - Medium,?,true,0\n"
	      "?,New,true,6,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,2 - Medium,?,true,0\n"
	      "INC4,New,true,7,U,1/3/2016 10:00,?,?,O,C,Cat,N,G,?,2 - Medium,?,true,0\n"
	      "INC4,New,true,8,U,1/3/2016 10:05,1/3/2016 10:00,?,O,C,?,?,G,?,?,?,?,?\n",
	      "! line 2: unknown state \"Foo\"\n"
	      "! line 3: at: \"31/2/2016 10:00\" is not a time of the form %d/%m/%Y %H:%M\n"
	      "! line 4: seq: \"x\" is not an integer\n"
	      "! line 5: unknown impact \"9 - Meh\"\n"
	      "! line 6: custom.made_sla: \"maybe\" is not true or false\n"
	      "! line 7: 6 fields, the header has 18\n"
	      "! line 9: unknown state \"New?but\"\n"
	      "! line 11: no incident id\n"
	      "! line 12: no opening time (opened, ...)\n"
	      "{\"id\":\"INC4\",\"at\":\"2016-03-01T10:00:00Z\",\"seq\":-1,\"actor\":\"O\","
	      "\"status\":\"new\",\"requester\":\"C\",\"impact\":null}\n"
	      "{\"id\":\"INC4\",\"at\":\"2016-03-01T10:05:00Z\",\"seq\":8,\"actor\":\"U\","
	      "\"status\":\"new\",\"group\":\"G\",\"tier\":1,\"assignee\":null,"
	      "\"requester\":\"C\",\"impact\":null,"
	      "\"custom\":{\"made_sla\":null,\"source_reopen_count\":null}}\n",
	      0, "", 9, 0);

	/* what does not fit the mapping stops at the header */
	reads("a column the mapping reads is missing", "servicenow", m,
	      "number,state\nINC1,New\n", "", -1,
	      "line 1: no column \"updated\", which the mapping reads", 0, 0);
	reads("a column nobody maps", "servicenow", m,
	      "number,state,active,mod,by,updated,opened,created,opener,caller,category,"
	      "note,group,assigned_to,impact,code,sla,reopens,extra\n", "", -1,
	      "line 1: column \"extra\" is in no entry of the mapping (map it, or list "
	      "it in \"ignore\")", 0, 0);
	reads("an unclosed quote", "servicenow", m,
	      SNOW_HEAD "INC1,\"New,true\n\n", "", -1,
	      "line 2: a quoted field is not closed by the end of the input", 0, 0);
	reads("a stray quote stops the reading (strict)", "servicenow", m,
	      SNOW_HEAD "INC1,New \"x\",true\n", "", -1,
	      "line 2: a quote inside an unquoted field, or text after a closing quote",
	      0, 0);
	reads("a value not in UTF-8, shown without its bad bytes", "servicenow", m,
	      SNOW_HEAD
	      "INC1,N\xe9w,true,0,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,"
	      "2 - Medium,?,true,0\n",
	      "! line 2: unknown state \"N?w\"\n", 0, "", 1, 0);
	reads("an XES mapping for a CSV", "xes", m, "", "", -1,
	      "test.json: a mapping for CSV logs, not for format xes", 0, 0);
	reads("an empty input", "servicenow", m, "", "", 0, "", 0, 0);
	reads("the caller stops", "servicenow", m,
	      SNOW_HEAD
	      "INC5,Foo,true,0,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,2 - Medium,?,true,0\n"
	      "INC5,Foo,true,1,U,1/3/2016 10:00,1/3/2016 10:00,?,O,C,Cat,N,G,?,2 - Medium,?,true,0\n",
	      "! line 2: unknown state \"Foo\"\n", -1, "stop here", 1, 1);
	inc_import_map_free(m);

	/* an activity log: seq is the row number, a skipped row, "when" on
	 * the assignee, "set" in a state, unmapped columns into custom, the
	 * header's byte order mark */
	m = map_ok("the helpdesk-like mapping",
		   "{\"format\":\"csv\",\"time\":\"%Y/%m/%d %H:%M:%S\",\"id\":\"Case ID\","
		   "\"at\":\"Complete Timestamp\",\"actor\":\"Resource\","
		   "\"status\":{\"from\":\"Activity\",\"map\":{\"Take in charge ticket\":"
		   "\"in_progress\",\"Wait\":\"on_hold\",\"Resolve ticket\":\"resolved\","
		   "\"Require upgrade\":{\"status\":\"unchanged\",\"set\":{\"custom\":"
		   "{\"upgrade_required\":true}}},\"VERIFIED\":\"skip\"},"
		   "\"default\":\"unchanged\"},"
		   "\"fields\":{\"assignee\":{\"from\":\"Resource\",\"when\":[\"in_progress\"]},"
		   "\"group\":\"workgroup\"},\"unmapped\":\"custom\",\"ignore\":[\"Variant\"]}");
	if (!m)
		return;
	reads("a helpdesk-like log", "helpdesk", m,
	      "\xef\xbb\xbf" "Case ID,Activity,Resource,Complete Timestamp,Variant,workgroup,product\n"
	      "Case 1,Assign seriousness,Value 1,2012/10/09 14:50:17.000,V1,Value 2,P 7\n"
	      "Case 1,Take in charge ticket,Value 4,2012/10/09 14:51:01.000,V1,Value 2,P 7\n"
	      "Case 1,VERIFIED,Value 9,2012/10/10 08:00:00.000,V1,Value 9,P 9\n"
	      "Case 1,Require upgrade,Value 4,2012/10/10 09:00:00.000,V1,Value 2,P 7\n"
	      "Case 1,Resolve ticket,Value 5,2012/10/25 11:54:26.000,V1,Value 2,P 7\n",
	      "{\"id\":\"Case 1\",\"at\":\"2012-10-09T14:50:17Z\",\"seq\":1,\"actor\":\"Value 1\","
	      "\"group\":\"Value 2\",\"custom\":{\"product\":\"P 7\"}}\n"
	      "{\"id\":\"Case 1\",\"at\":\"2012-10-09T14:51:01Z\",\"seq\":2,\"actor\":\"Value 4\","
	      "\"status\":\"in_progress\",\"group\":\"Value 2\",\"assignee\":\"Value 4\","
	      "\"custom\":{\"product\":\"P 7\"}}\n"
	      "{\"id\":\"Case 1\",\"at\":\"2012-10-10T09:00:00Z\",\"seq\":4,\"actor\":\"Value 4\","
	      "\"group\":\"Value 2\",\"custom\":{\"product\":\"P 7\",\"upgrade_required\":true}}\n"
	      "{\"id\":\"Case 1\",\"at\":\"2012-10-25T11:54:26Z\",\"seq\":5,\"actor\":\"Value 5\","
	      "\"status\":\"resolved\",\"group\":\"Value 2\",\"custom\":{\"product\":\"P 7\"}}\n",
	      0, "", 0, 0);
	reads("a row that is not UTF-8", "helpdesk", m,
	      "Case ID,Activity,Resource,Complete Timestamp,Variant,workgroup,product\n"
	      "Case 1,Wait,Value 1,2012/10/09 14:50:17,V1,Value 2,P\xe8\n",
	      "! line 2: custom.product: not valid UTF-8\n", 0, "", 1, 0);
	inc_import_map_free(m);

	/* a field over 16 MiB stops the reading, memory bounded */
	m = map_ok("a mapping that keeps everything",
		   "{\"format\":\"csv\",\"id\":\"n\",\"at\":\"t\",\"unmapped\":\"custom\"}");
	if (!m)
		return;
	{
		size_t big = ((size_t)16 << 20) + 2 * 65536;
		struct inc_buf in = {0};
		char *x = inc_xmalloc(big);

		memset(x, 'x', big);
		inc_buf_addstr(&in, "n,t,note\nINC1,2016-03-01T10:00:00Z,\"");
		inc_buf_add(&in, x, big);
		inc_buf_addstr(&in, "\"\n");
		free(x);
		reads("a field over 16 MiB", "csv", m, in.data, "", -1,
		      "line 2: a field longer than 16 MiB", 0, 0);
		inc_buf_free(&in);
	}
	/* "{{" in a template, a map's default, unmapped into custom as text */
	inc_import_map_free(m);
	m = map_ok("a template, a default",
		   "{\"format\":\"csv\",\"id\":\"n\",\"at\":\"t\",\"unmapped\":\"custom\","
		   "\"fields\":{\"subject\":{\"format\":\"{{{n}}} {s}\"},"
		   "\"urgency\":{\"from\":\"u\",\"map\":{\"U1\":\"high\"},\"default\":\"low\"}}}");
	if (!m)
		return;
	reads("a template and a default", "csv", m,
	      "n,t,s,u,x\nINC1,1456708560,sub,U1,7\nINC1,2016-02-29T01:16:00+01:00,,U9,\n",
	      "{\"id\":\"INC1\",\"at\":\"2016-02-29T01:16:00Z\",\"seq\":1,"
	      "\"subject\":\"{INC1} sub\",\"urgency\":\"high\",\"custom\":{\"x\":\"7\"}}\n"
	      "{\"id\":\"INC1\",\"at\":\"2016-02-29T00:16:00Z\",\"seq\":2,"
	      "\"subject\":\"{INC1} \",\"urgency\":\"low\"}\n",
	      0, "", 0, 0);
	inc_import_map_free(m);
}

/* ---- XES ---- */

static const char bpi_map[] =
	"{\"format\":\"xes\",\"missing\":[\"-\",\"UNKNOWN\"],\"missing_means\":\"null\","
	"\"id\":{\"trace\":\"concept:name\"},\"at\":\"time:timestamp\",\"actor\":\"org:resource\","
	"\"status\":{\"from\":[\"concept:name\",\"lifecycle:transition\"],\"map\":{"
	"  \"Queued/Awaiting Assignment\":\"assigned\",\"Accepted/In Progress\":\"in_progress\","
	"  \"Completed/Resolved\":\"resolved\",\"Completed/Closed\":\"closed\"}},"
	"\"fields\":{\"group\":\"org:group\",\"assignee\":\"org:resource\","
	"  \"impact\":{\"from\":\"impact\",\"map\":{\"Medium\":\"medium\",\"Major\":\"high\"}},"
	"  \"major\":{\"from\":\"impact\",\"map\":{\"Major\":true},\"default\":false}},"
	"\"tier\":[{\"match\":\"2nd\",\"tier\":2},{\"match\":\"3rd\",\"tier\":3},"
	"  {\"match\":\"\",\"tier\":1}],"
	"\"custom\":{\"product\":\"product\"},\"unmapped\":\"custom\"}";

#define XES_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n" \
	"<log xes.version=\"1.0\" xmlns=\"http://www.xes-standard.org/\">\n" \
	"\t<extension name=\"Time\" prefix=\"time\" uri=\"http://www.xes-standard.org/time.xesext\"/>\n" \
	"\t<global scope=\"event\"><string key=\"org:role\" value=\"UNKNOWN\"/></global>\n" \
	"\t<float key=\"meta\" value=\"7.6\"><float key=\"nested\" value=\"0.1\"/></float>\n"

static void
test_xes(void)
{
	struct inc_import_map *m = map_ok("the BPI-like mapping", bpi_map);

	if (!m)
		return;
	/* offsets to UTC, tiers from the group's name, the trace's key,
	 * unmapped attributes with their XES types, nested ones skipped,
	 * "-" as a missing owner, events in file order (not time order) */
	reads("a BPI-like log", "xes", m,
	      XES_HEAD
	      "\t<trace>\n"
	      "\t\t<string key=\"concept:name\" value=\"1-364285768\"/>\n"
	      "\t\t<event>\n"
	      "\t\t\t<string key=\"org:group\" value=\"V30\"/>\n"
	      "\t\t\t<string key=\"org:resource\" value=\"Frederic\"/>\n"
	      "\t\t\t<string key=\"concept:name\" value=\"Accepted\"/>\n"
	      "\t\t\t<string key=\"lifecycle:transition\" value=\"In Progress\"/>\n"
	      "\t\t\t<string key=\"impact\" value=\"Medium\"/>\n"
	      "\t\t\t<string key=\"product\" value=\"PROD582\"/>\n"
	      "\t\t\t<int key=\"hops\" value=\"3\"><string key=\"inner\" value=\"x\"/></int>\n"
	      "\t\t\t<date key=\"time:timestamp\" value=\"2010-03-31T16:59:42+02:00\"/>\n"
	      "\t\t</event>\n"
	      "\t\t<event>\n"
	      "\t\t\t<string key=\"org:group\" value=\"V5 3rd\"/>\n"
	      "\t\t\t<string key=\"org:resource\" value=\"-\"/>\n"
	      "\t\t\t<string key=\"concept:name\" value=\"Queued\"/>\n"
	      "\t\t\t<string key=\"lifecycle:transition\" value=\"Awaiting Assignment\"/>\n"
	      "\t\t\t<string key=\"impact\" value=\"Major\"/>\n"
	      "\t\t\t<string key=\"product\" value=\"PROD582\"/>\n"
	      "\t\t\t<boolean key=\"urgent\" value=\"true\"/>\n"
	      "\t\t\t<date key=\"time:timestamp\" value=\"2010-03-31T17:45:48.250+02:00\"/>\n"
	      "\t\t</event>\n"
	      "\t</trace>\n"
	      "\t<trace>\n"
	      "\t\t<string key=\"concept:name\" value=\"1-5\"/>\n"
	      "\t\t<string key=\"variant\" value=\"V 12\"/>\n"
	      "\t\t<event>\n"
	      "\t\t\t<string key=\"org:group\" value=\"G97 2nd\"/>\n"
	      "\t\t\t<string key=\"org:resource\" value=\"Anne &amp; Claire\"/>\n"
	      "\t\t\t<string key=\"concept:name\" value=\"Completed\"/>\n"
	      "\t\t\t<string key=\"lifecycle:transition\" value=\"Closed\"/>\n"
	      "\t\t\t<date key=\"time:timestamp\" value=\"2010-01-02T00:30:00+01:00\"/>\n"
	      "\t\t</event>\n"
	      "\t</trace>\n"
	      "</log>\n",
	      "{\"id\":\"1-364285768\",\"at\":\"2010-03-31T14:59:42Z\",\"seq\":1,"
	      "\"actor\":\"Frederic\",\"status\":\"in_progress\",\"group\":\"V30\",\"tier\":1,"
	      "\"assignee\":\"Frederic\",\"impact\":\"medium\",\"major\":false,"
	      "\"custom\":{\"product\":\"PROD582\",\"hops\":3}}\n"
	      "{\"id\":\"1-364285768\",\"at\":\"2010-03-31T15:45:48Z\",\"seq\":2,"
	      "\"status\":\"assigned\",\"group\":\"V5 3rd\",\"tier\":3,"
	      "\"assignee\":null,\"impact\":\"high\",\"major\":true,"
	      "\"custom\":{\"product\":\"PROD582\",\"urgent\":true}}\n"
	      "{\"id\":\"1-5\",\"at\":\"2010-01-01T23:30:00Z\",\"seq\":3,"
	      "\"actor\":\"Anne & Claire\",\"status\":\"closed\",\"group\":\"G97 2nd\",\"tier\":2,"
	      "\"assignee\":\"Anne & Claire\",\"impact\":null,"
	      "\"custom\":{\"product\":null,\"variant\":\"V 12\"}}\n",
	      0, "", 0, 0);

	/* an unknown state refused by its event's line, the reading goes on */
	reads("an unknown XES state", "xes", m,
	      XES_HEAD
	      "<trace><string key=\"concept:name\" value=\"1-7\"/>\n"
	      "<event><string key=\"concept:name\" value=\"Accepted\"/>\n"
	      "<string key=\"lifecycle:transition\" value=\"Wait - Vendor\"/>\n"
	      "<date key=\"time:timestamp\" value=\"2012-05-05T14:54:27+02:00\"/></event>\n"
	      "<event><string key=\"concept:name\" value=\"Completed\"/>\n"
	      "<string key=\"lifecycle:transition\" value=\"Resolved\"/>\n"
	      "<date key=\"time:timestamp\" value=\"2012-05-05\"/></event>\n"
	      "<event><string key=\"concept:name\" value=\"Completed\"/>\n"
	      "<string key=\"lifecycle:transition\" value=\"Resolved\"/>\n"
	      "<date key=\"time:timestamp\" value=\"yesterday\"/></event>\n"
	      "</trace></log>\n",
	      "! line 7: unknown state \"Accepted/Wait - Vendor\"\n"
	      "{\"id\":\"1-7\",\"at\":\"2012-05-05T00:00:00Z\",\"seq\":2,"
	      "\"status\":\"resolved\",\"group\":null,\"tier\":null,"
	      "\"assignee\":null,\"impact\":null,\"custom\":{\"product\":null}}\n"
	      "! line 13: at: \"yesterday\" is not a time\n",
	      0, "", 2, 0);

	/* the trace's key must come before its events */
	reads("an event before its trace's key", "xes", m,
	      XES_HEAD "<trace><event><string key=\"concept:name\" value=\"Accepted\"/>\n"
	      "<string key=\"lifecycle:transition\" value=\"In Progress\"/>\n"
	      "<date key=\"time:timestamp\" value=\"2012-05-05T14:54:27Z\"/></event>\n"
	      "<string key=\"concept:name\" value=\"1-8\"/></trace></log>\n",
	      "! line 6: no incident id\n", 0, "", 1, 0);
	reads("malformed XML stops with its line", "xes", m,
	      XES_HEAD "<trace><string key=\"concept:name\" value=\"1-7\">\n</trace></log>\n",
	      "", -1, "line 7: mismatched tag", 0, 0);
	reads("not a log", "xes", m, "<html><body/></html>", "", -1,
	      "line 1: not an XES log: the root element is <html>, not <log>", 0, 0);
	reads("an empty XES input", "xes", m, "", "", -1, "line 1: no element found", 0, 0);
	inc_import_map_free(m);

	m = map_ok("an XES mapping that wants every attribute named",
		   "{\"format\":\"xes\",\"id\":{\"trace\":\"concept:name\"},"
		   "\"at\":\"time:timestamp\",\"ignore\":[\"concept:name\"]}");
	if (!m)
		return;
	reads("an attribute nobody maps", "xes", m,
	      XES_HEAD "<trace><string key=\"concept:name\" value=\"1-7\"/>\n"
	      "<event><date key=\"time:timestamp\" value=\"2012-05-05T14:54:27Z\"/></event>\n"
	      "<event><string key=\"color\" value=\"red\"/></event>\n"
	      "</trace></log>\n",
	      "{\"id\":\"1-7\",\"at\":\"2012-05-05T14:54:27Z\",\"seq\":1}\n", -1,
	      "line 8: attribute \"color\" is in no entry of the mapping (map it, or "
	      "list it in \"ignore\")", 0, 0);
	inc_import_map_free(m);
}

/* ---- JSON lines ---- */

static void
test_jsonl(void)
{
	reads("the normalized events themselves", "jsonl", NULL,
	      "{\"custom\":{\"a\":1},\"status\":\"on_hold\",\"at\":\"2016-02-29T02:16:00+01:00\","
	      "\"id\":\"X1\",\"assignee\":null}\n"
	      "\n"
	      "{\"id\":\"X1\",\"at\":1456712160,\"seq\":7,\"actor\":\"ann\",\"tier\":2,"
	      "\"source\":\"email\",\"major\":true}\r\n"
	      "{\"id\":\"X1\",\"at\":\"2016-02-29\",\"custom\":{}}",
	      "{\"id\":\"X1\",\"at\":\"2016-02-29T01:16:00Z\",\"seq\":1,\"status\":\"on_hold\","
	      "\"assignee\":null,\"custom\":{\"a\":1}}\n"
	      "{\"id\":\"X1\",\"at\":\"2016-02-29T02:16:00Z\",\"seq\":7,\"actor\":\"ann\","
	      "\"tier\":2,\"source\":\"email\",\"major\":true}\n"
	      "{\"id\":\"X1\",\"at\":\"2016-02-29T00:00:00Z\",\"seq\":4}\n",
	      0, "", 0, 0);
	reads("bad events refused by line", "jsonl", NULL,
	      "{\"id\":\"X1\",\"at\":\"2016-02-29T01:16:00Z\",\"status\":\"open\"}\n"
	      "{\"id\":1,\"at\":\"2016-02-29T01:16:00Z\"}\n"
	      "{\"id\":\"X1\",\"at\":\"29/2/2016\"}\n"
	      "{\"id\":\"X1\"}\n"
	      "{\"id\":\"X1\",\"at\":0,\"seq\":\"3\"}\n"
	      "{\"id\":\"X1\",\"at\":0,\"statsu\":\"new\"}\n"
	      "{\"id\":\"X1\",\"at\":0,\"source\":\"fax\"}\n"
	      "{\"id\":\"X1\",\"at\":0,\"tier\":0}\n"
	      "{\"id\":\"X1\",\"at\":0,\"subject\":null}\n"
	      "{\"id\":\"X1\",\"at\":0,\"custom\":[]}\n"
	      "{\"id\":\"X1\",\"at\":0,\"major\":\"yes\"}\n"
	      "{\"id\":\"X1\",\"at\":0} trailing\n"
	      "[1]\n"
	      "{\"id\":\"X1\",\"at\":0,\"id\":\"X2\"}\n"
	      "{\"id\":\"X1\",\"at\":0,\"resolution_type\":\"temporary\"}\n"
	      "{\"id\":\"X1\",\"at\":0,\"status\":\"closed\",\"closure_code\":\"done\"}\n",
	      "! line 1: unknown status \"open\" (new, assigned, in_progress, on_hold, "
	      "resolved, closed, cancelled)\n"
	      "! line 2: id: must be a non-empty string\n"
	      "! line 3: at: \"29/2/2016\" is not a time (ISO 8601 or epoch seconds)\n"
	      "! line 4: no time (at)\n"
	      "! line 5: seq: must be an integer\n"
	      "! line 6: unknown field \"statsu\"\n"
	      "! line 7: source: \"fax\" is not one of phone, email, sms, web, chat, api, "
	      "monitoring\n"
	      "! line 8: tier: must be a support line (1, 2, 3...) or null\n"
	      "! line 9: subject: must be a string\n"
	      "! line 10: custom: must be an object\n"
	      "! line 11: major: must be true or false\n"
	      "! line 12: column 27: end of file expected near 'trailing'\n"
	      "! line 13: an event is a JSON object\n"
	      "! line 14: column 22: duplicate object key near '\"id\"'\n"
	      "! line 15: resolution_type: \"temporary\" is not one of workaround, permanent\n"
	      "{\"id\":\"X1\",\"at\":\"1970-01-01T00:00:00Z\",\"seq\":16,\"status\":\"closed\","
	      "\"closure_code\":\"done\"}\n",
	      0, "", 15, 0);
	reads("an unknown format", "csvx", NULL, "", "", -1,
	      "unknown format \"csvx\" (servicenow, helpdesk, csv, xes, jsonl)", 0, 0);
	reads("a CSV format without a mapping", "servicenow", NULL, "", "", -1,
	      "format servicenow needs a mapping file", 0, 0);
}

/* ---- the dump tool ---- */

struct dump {
	size_t events;
	int quiet;		/* count only: the reader's own speed */
};

static int
dump_one(json_t *ev, void *arg, char *err)
{
	struct dump *d = arg;
	char *s;
	int ok;

	if (!ev) {
		fprintf(stderr, "import_test: %s\n", err);
		return 0;
	}
	d->events++;
	if (d->quiet)
		return 0;
	/* whole, then written: json_dumpf writes token by token */
	s = json_dumps(ev, JSON_COMPACT);
	if (!s)
		return inc_err(err, "out of memory");
	ok = fputs(s, stdout) != EOF && putchar('\n') != EOF;
	free(s);
	if (!ok)
		return inc_err(err, "cannot write the events");
	return 0;
}

static int
dump(const char *format, const char *mapping, int quiet)
{
	char err[INC_ERRLEN];
	struct inc_import_map *m = NULL;
	struct dump d = {0, quiet};
	struct timespec t0, t1;
	size_t refused = 0;
	double s;
	int rc;

	if (mapping && !(m = inc_import_map_load(mapping, err))) {
		fprintf(stderr, "import_test: %s\n", err);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = inc_import_read(stdin, format, m, dump_one, &d, &refused, err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	inc_import_map_free(m);
	if (rc < 0)
		fprintf(stderr, "import_test: %s\n", err);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "import_test: cannot write the events\n");
		rc = -1;
	}
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "%zu events, %zu refused, %.2f s, %.0f events/s\n", d.events,
		refused, s, s > 0 ? (double)d.events / s : 0.0);
	return rc < 0 ? 1 : refused ? 1 : 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && (strcmp(argv[1], "--dump") == 0 || strcmp(argv[1], "--count") == 0))
		return dump(argv[2], argc > 3 ? argv[3] : NULL, argv[1][2] == 'c');
	if (argc > 1) {
		fprintf(stderr, "usage: import_test [--dump|--count FORMAT [MAPPING] < LOG]\n");
		return 2;
	}
	test_map();
	test_csv();
	test_xes();
	test_jsonl();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}

/*
 * record_fuzz.c - libFuzzer harness for the JSON record reader, as inc-log
 * runs it up to the database: the line parsed as lib/input.c parses it
 * (json_loadb with JSON_REJECT_DUPLICATES, an object, its "id"), the
 * incident built as cmd/inc-log.c's build() builds it (inc_field_set per
 * key, unknown keys into custom, category and form checked, priority from
 * the matrix), classified by the shipped rules (inc-classify), its SLA
 * clocks computed (inc-sla), and written back as the record of SPEC
 * section 1. The same line is then read as an inc-update patch would be
 * (lib/update.c's parse_patch and the field setters, on the incident just
 * built: what runs before the database).
 *
 * Invariants (a failure aborts, so libFuzzer keeps the input):
 *  - a written record parses back (JSON_REJECT_DUPLICATES), is an object,
 *    and carries each string field, custom and links as they were set,
 *    and each time so that it reads back to the same instant;
 *  - inc_json_value writes any value byte for byte as Jansson's compact
 *    dump does (json.c's promise);
 *  - classification leaves a record inc-log would accept (category and
 *    subcategory in the tree, priority from the matrix);
 *  - every refusal says why; nothing leaks, overflows or reads out of
 *    bounds (ASan, UBSan, LeakSanitizer).
 *
 * The shipped config (share/config.json, or INC_FUZZ_CONFIG) is loaded
 * once; a copy whose SLA policies name no calendar (24x7 UTC, the
 * library's other clock path) too. They are the only globals.
 */
#define _GNU_SOURCE
#include <inttypes.h>

#include "fuzz.h"
#include "config_use.h"
#include "sla_int.h"

#define NOW FUZZ_NOW

static struct inc_config *cfg, *cfg_nocal;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[INC_ERRLEN], *text;
	const char *where;
	size_t len, i;
	json_t *root, *p;

	(void)argc;
	(void)argv;
	cfg = fuzz_config_load();
	text = fuzz_config_text(&len, &where);
	root = json_loadb(text, len, 0, NULL);
	json_array_foreach(json_object_get(root, "sla"), i, p)
		json_object_del(p, "calendar");
	free(text);
	text = json_dumps(root, 0);
	json_decref(root);
	cfg_nocal = text ? inc_config_parse(text, strlen(text), "nocal.json", err) : NULL;
	free(text);
	if (!cfg_nocal) {
		fprintf(stderr, "fuzz: the shipped config without calendars: %s\n", err);
		exit(2);
	}
	return 0;
}

/* inc_json_value against json_dumps, for any value. */
static void
check_value(const json_t *v)
{
	struct inc_buf b = {0};
	char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	inc_json_value(&b, v);
	inc_buf_add(&b, "", 1);
	FUZZ_CHECK(want && strcmp(b.data, want) == 0,
		   "inc_json_value wrote\n  %s\nwhere Jansson writes\n  %s", b.data, want ? want : "(null)");
	free(want);
	inc_buf_free(&b);
}

/* The record r written, with event, read back and compared field by field. */
static void
check_written(const struct inc_incident *r, const json_t *event)
{
	struct inc_buf b = {0};
	json_error_t je;
	json_t *o, *sla;

	inc_incident_write(&b, r, event, NULL);
	o = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, &je);
	FUZZ_CHECK(json_is_object(o), "the record written does not read back: %s\n  %.*s",
		   je.text, (int)b.len, b.data);
	sla = json_object_get(o, "sla");
	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];
		const void *m = (const char *)r + f->off;
		const json_t *v;

		if (!f->json[0])
			continue;
		v = json_object_get((f->flags & INC_F_SLA_OBJ) ? sla : o, f->json);
		if ((f->flags & INC_F_SLA_OBJ) && !r->sla_policy) {
			FUZZ_CHECK(json_is_null(sla), "sla: not null without a policy");
			continue;
		}
		FUZZ_CHECK(v, "%s: missing from the record written", f->name);
		switch (f->type) {
		case INC_FT_STR: {
			const char *s = *(char *const *)m;

			FUZZ_CHECK(s ? json_is_string(v) && strcmp(json_string_value(v), s) == 0 :
				   json_is_null(v), "%s: written as something else than it is", f->name);
			break;
		}
		case INC_FT_JARR:
		case INC_FT_JOBJ: {
			const char *s = *(char *const *)m;
			json_t *want = json_loads(s ? s : f->type == INC_FT_JARR ? "[]" : "{}", 0, NULL);

			FUZZ_CHECK(json_equal(want, (json_t *)v), "%s: written as something else than it is",
				   f->name);
			json_decref(want);
			break;
		}
		case INC_FT_TIME: {
			int64_t t = *(const int64_t *)m, back = 0;
			int rc = inc_time_from_json(v, NOW, &back);

			if (t == INC_NULL)
				FUZZ_CHECK(json_is_null(v), "%s: null written as a time", f->name);
			else
				FUZZ_CHECK_KNOWN("time-range", json_is_string(v) && rc == 0 && back == t,
					   "%s: %" PRId64 " written as %s, which reads back as %s%" PRId64,
					   f->name, t, json_is_string(v) ? json_string_value(v) : "a non-string",
					   rc ? "an error " : "", back);
			break;
		}
		default:
			break;
		}
	}
	json_decref(o);
	inc_buf_free(&b);
}

/* inc-sla's arithmetic on r under each config's matching policy. */
static void
sla_clocks(struct inc_incident *r)
{
	const struct inc_config *cs[] = {cfg, cfg_nocal};

	for (int i = 0; i < 2; i++) {
		const struct inc_policy *p = inc_sla_match(cs[i], r);
		struct inc_sla_clock ck;
		struct inc_sla_hold *h;

		if (!p)
			continue;
		inc_set_str(&r->sla_policy, p->name);
		/* on hold from its first minute (an imported incident's history
		 * may say so) until now: the clocks count the hold */
		h = inc_xmalloc(sizeof *h);
		h->start = r->created_at < INT64_MAX - 60 ? r->created_at + 60 : r->created_at;
		h->end = INC_NULL;
		inc_sla_clock_compute(cs[i], p, r, NOW, h, 1, &ck);
		(void)inc_sla_overall(&ck);
		for (size_t k = 0; k < ck.nrules; k++)
			(void)inc_sla_rule_due(&ck, &ck.rules[k]);
		r->response_due = ck.due[INC_RESPONSE];
		r->resolve_due = ck.due[INC_RESOLVE];
		inc_sla_clock_free(&ck);
	}
}

/* cmd/inc-log.c's build(), without the actor (no context here). */
static int
build(json_t *in, struct inc_incident *r, char *err)
{
	const char *k;
	json_t *v;
	int rc;

	json_object_foreach(in, k, v) {
		rc = inc_field_set(cfg, r, k, v, err);
		if (rc < 0)
			return -1;
		if (rc == 1 && !inc_field_record_key(k))
			inc_custom_merge(r, k, v, NULL);
	}
	if (!r->subject)
		return inc_err(err, "subject: missing");
	if (inc_check_category(cfg, r, err) < 0 || inc_check_form(cfg, r, err) < 0)
		return -1;
	if (!r->priority && r->impact && r->urgency)
		inc_set_str(&r->priority, inc_config_priority(cfg, r->impact, r->urgency));
	return 0;
}

/* lib/update.c's parse_patch and its setters, on a copy of r: all that an
 * inc-update line does before it needs the database. */
static void
patch(json_t *line, const struct inc_incident *stored)
{
	struct inc_incident r;
	json_t *links = json_array();
	char err[INC_ERRLEN] = "";
	const char *k;
	json_t *v;
	int rc = 0;

	inc_incident_init(&r);
	inc_incident_copy(&r, stored);
	json_object_foreach(line, k, v) {
		const struct inc_field *f = inc_field_find(k);

		err[0] = '\0';
		if (strcmp(k, "status") == 0) {
			if (json_is_string(v) && inc_update_status_target(json_string_value(v), err) < 0)
				FUZZ_CHECK_ERR(err);
		} else if (strcmp(k, "link") == 0 || strcmp(k, "links") == 0) {
			size_t i;
			json_t *l;

			if (json_is_string(v))
				v = json_pack("[O]", v);
			else if (json_is_array(v))
				json_incref(v);
			else
				continue;
			json_array_foreach(v, i, l) {
				rc = json_is_string(l) ?
					inc_links_add_ref(links, json_string_value(l), err) :
					inc_links_add(links,
						json_string_value(json_object_get(l, "type")),
						json_string_value(json_object_get(l, "ref")), err);
				if (rc < 0) {
					FUZZ_CHECK_ERR(err);
					break;
				}
			}
			json_decref(v);
		} else if (f && (f->flags & INC_F_SET) && strcmp(k, "group") &&
			   strcmp(k, "assignee")) {
			/* set_field: every F_SET field but group and assignee */
			if (inc_field_set(cfg, &r, k, v, err) < 0)
				FUZZ_CHECK_ERR(err);
		} else if (f && (f->flags & INC_F_SET)) {
			(void)inc_assignable(cfg, json_string_value(v));
		}
	}
	err[0] = '\0';
	if (inc_check_category(cfg, &r, err) < 0)
		FUZZ_CHECK_ERR(err);
	if (json_array_size(links)) {
		free(r.links);
		r.links = json_dumps(links, JSON_COMPACT);
	}
	check_written(&r, NULL);
	json_decref(links);
	inc_incident_clear(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[INC_ERRLEN] = "";
	struct inc_incident r;
	json_error_t je;
	json_t *o, *id, *explain;
	int64_t n;

	o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		return 0;
	check_value(o);
	if (!json_is_object(o)) {
		json_decref(o);
		return 0;
	}
	/* input.c's line_id */
	id = json_object_get(o, "id");
	if (json_is_string(id))
		(void)inc_parse_id(json_string_value(id), &n);

	inc_incident_init(&r);
	if (build(o, &r, err) < 0) {
		FUZZ_CHECK_ERR(err);
		inc_incident_clear(&r);
		json_decref(o);
		return 0;
	}
	r.id = 1;
	/* inc_incident_insert's default: an unset created_at is now */
	id = json_object_get(o, "created_at");
	FUZZ_CHECK_KNOWN("time-null", r.created_at != INC_NULL || !id || json_is_null(id),
			 "created_at given, yet unset: it becomes now");
	if (r.created_at == INC_NULL)
		r.created_at = NOW;
	check_written(&r, o);		/* the line itself as the event */

	explain = json_object();
	(void)inc_classify(cfg, &r, json_is_true(json_object_get(o, "major")), explain, NULL);
	fuzz_check_classified(cfg, &r);
	check_value(explain);
	json_decref(explain);
	sla_clocks(&r);
	check_written(&r, NULL);

	patch(o, &r);
	inc_incident_clear(&r);
	json_decref(o);
	return 0;
}

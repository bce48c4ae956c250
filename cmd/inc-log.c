/*
 * inc-log - log new incidents from JSON lines on stdin, or from options.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"

static const char usage[] =
	"inc-log [-d DB] [-c CONFIG] [--now TIME] [--as USER] [-s SUBJECT [-r REQUESTER]"
	" [-m DESCRIPTION] [--source S] [--impact I] [--urgency U] [--category C[/SUB]]"
	" [--subcategory SUB] [--group G] [--major] [--external-id ID] [--link TYPE:REF]"
	" [--field KEY=VALUE]...] < incidents.jsonl";

/* Build a new incident from an input object; validates everything and
 * touches no database. */
static int
build(const struct inc_ctx *ctx, json_t *in, struct inc_incident *r, char *err)
{
	const char *k;
	json_t *v;
	int rc;

	json_object_foreach(in, k, v) {
		rc = inc_field_set(ctx->cfg, r, k, v, err);
		if (rc < 0)
			return -1;
		/* a field of the record the tools own (inc-show output fed back)
		 * is accepted and ignored; an unknown key is the caller's own */
		if (rc == 1 && !inc_field_record_key(k))
			inc_custom_merge(r, k, v, NULL);
	}
	if (!r->subject)
		return inc_err(err, "subject: missing");
	if (inc_check_category(ctx->cfg, r, err) < 0 || inc_check_form(ctx->cfg, r, err) < 0)
		return -1;
	if (!r->priority && r->impact && r->urgency)
		inc_set_str(&r->priority, inc_config_priority(ctx->cfg, r->impact, r->urgency));
	if (!r->requester && ctx->role == INC_REQUESTER)
		inc_set_str(&r->requester, ctx->actor);
	/* a server's row-level security shows a requester's own login its
	 * own incidents only: one logged for another would be lost to them
	 * (an admin's or the owner's login acting for a requester is not
	 * under that policy) */
	if (inc_ctx_self_only(ctx) && ctx->role == INC_REQUESTER &&
	    r->requester &&
	    strcmp(r->requester, ctx->actor) != 0)
		return inc_err(err, "requester: \"%s\": a requester logs incidents of their own"
			       " (acting as %s)", r->requester, ctx->actor);
	return 0;
}

/* What the reader thread makes of a line: the incident, ready to insert,
 * and its record's text after the id (which the insert gives), ready to
 * emit: about a seventh of the writer's work per record in a bulk load,
 * done on the other core. */
struct prepared {
	struct inc_incident r;
	struct inc_buf rest;
};

/* build(), on input.c's reader thread: the incident, or NULL (err) */
static void *
prepare(const struct inc_ctx *ctx, json_t *in, char *err)
{
	struct prepared *p = inc_xmalloc(sizeof *p);
	struct inc_incident *r = &p->r;

	memset(&p->rest, 0, sizeof p->rest);
	inc_incident_init(r);
	if (build(ctx, in, r, err) < 0) {
		inc_incident_clear(r);
		free(p);
		return NULL;
	}
	/* what the insert fills in, filled in here: the record as it will
	 * be stored, and its strings made and freed in this thread (input.c
	 * hands back what log_one leaves) */
	inc_incident_defaults(ctx, r);
	inc_incident_write_rest(&p->rest, r);
	return p;
}

static void
prepared_free(void *arg)
{
	struct prepared *p = arg;

	inc_incident_clear(&p->r);
	inc_buf_free(&p->rest);
	free(p);
}

static int
log_one(struct inc_ctx *ctx, const char *where, json_t *in, int64_t id, void *arg,
	char *err)
{
	struct prepared *p = ctx->prepared;
	struct inc_incident r;
	int rc, as_prepared = 0;

	(void)where; (void)id; (void)arg;
	if (p) {
		/* built on the reader thread: worked here, given back to be
		 * freed there (the strings are of that thread's arena) */
		r = p->r;
		inc_incident_init(&p->r);
	} else {
		inc_incident_init(&r);
		if (build(ctx, in, &r, err) < 0) {
			inc_incident_clear(&r);
			return -1;
		}
	}
	/* The insert itself finds an external_id seen before (its UNIQUE index):
	 * a lookup first would search that index twice for every new one. */
	rc = inc_incident_insert(ctx, &r, err);
	/* stored as it was rendered: the insert fills in only what prepare
	 * filled in already */
	as_prepared = rc == 0 && p && p->rest.len;
	if (rc < 0 && r.external_id && inc_db_errclass(ctx->db) == INC_DBE_UNIQUE) {
		struct inc_incident old;

		/* seen before: the stored incident, not a duplicate */
		inc_incident_init(&old);
		rc = inc_incident_by_external(ctx, r.external_id, &old, err);
		if (rc > 0 && inc_may(ctx->cfg, ctx->actor, INC_ACT_SEE, old.requester)) {
			inc_emit(ctx, &old, json_pack("{s:s,s:b}", "kind", "logged", "existing", 1));
			inc_incident_clear(&old);
			rc = 0;
			goto out;
		}
		inc_incident_clear(&old);
		if (rc < 0)
			goto out;
		/* someone else's incident is not to be learnt of through its
		 * key: this one is logged anew, without it */
		inc_set_str(&r.external_id, NULL);
		rc = inc_incident_insert(ctx, &r, err);
	}
	if (rc == 0) {
		json_t *ev = json_pack("{s:s}", "kind", "logged");

		if (!as_prepared) {
			rc = inc_event(ctx, &r, ev, err);
		} else if ((rc = inc_event_log(ctx, &r, ev, err)) < 0) {
			json_decref(ev);
		} else {
			inc_emit_rest(ctx, r.id, p->rest.data, p->rest.len, ev);
		}
		if (rc == 0 && r.major)
			rc = inc_major_declared(ctx, &r, err);
	}
out:
	if (p)
		p->r = r;
	else
		inc_incident_clear(&r);
	return rc;
}

static void
add_opt(json_t *o, const char *k, const char *v)
{
	if (!inc_utf8_valid(v, strlen(v)))
		inc_die(INC_EXIT_USAGE, "--%s: not valid UTF-8", k);
	json_object_set_new(o, k, json_string(v));
}

int
main(int argc, char **argv)
{
	enum { O_SOURCE = INC_OPT_TOOL, O_IMPACT, O_URGENCY, O_CATEGORY, O_SUBCATEGORY,
	       O_GROUP, O_MAJOR, O_XID, O_LINK, O_FIELD };
	static const struct option longopts[] = {
		INC_COMMON_LONGOPTS,
		{"subject", required_argument, 0, 's'},
		{"requester", required_argument, 0, 'r'},
		{"description", required_argument, 0, 'm'},
		{"source", required_argument, 0, O_SOURCE},
		{"impact", required_argument, 0, O_IMPACT},
		{"urgency", required_argument, 0, O_URGENCY},
		{"category", required_argument, 0, O_CATEGORY},
		{"subcategory", required_argument, 0, O_SUBCATEGORY},
		{"group", required_argument, 0, O_GROUP},
		{"major", no_argument, 0, O_MAJOR},
		{"external-id", required_argument, 0, O_XID},
		{"link", required_argument, 0, O_LINK},
		{"field", required_argument, 0, O_FIELD},
		{0, 0, 0, 0}
	};
	struct inc_ctx ctx = {0};
	json_t *opts = json_object(), *links = json_array();
	int c;

	while ((c = getopt_long(argc, argv, INC_COMMON_SHORTOPTS "s:r:m:", longopts, NULL)) != -1) {
		if (tool_option(&ctx, c, optarg, usage))
			continue;
		switch (c) {
		case 's': add_opt(opts, "subject", optarg); break;
		case 'r': add_opt(opts, "requester", optarg); break;
		case 'm': add_opt(opts, "description", optarg); break;
		case O_SOURCE: add_opt(opts, "source", optarg); break;
		case O_IMPACT: add_opt(opts, "impact", optarg); break;
		case O_URGENCY: add_opt(opts, "urgency", optarg); break;
		case O_CATEGORY: add_opt(opts, "category", optarg); break;
		case O_SUBCATEGORY: add_opt(opts, "subcategory", optarg); break;
		case O_GROUP: add_opt(opts, "group", optarg); break;
		case O_MAJOR: json_object_set_new(opts, "major", json_true()); break;
		case O_XID: add_opt(opts, "external_id", optarg); break;
		case O_LINK: {
			char err[INC_ERRLEN];

			if (inc_links_add_ref(links, optarg, err) < 0)
				inc_die(INC_EXIT_USAGE, "--link: %s",
					strncmp(err, "links: ", 7) == 0 ? err + 7 : err);
			break;
		}
		case O_FIELD: {
			char *eq = strchr(optarg, '=');
			json_t *custom = json_object_get(opts, "custom");

			if (!eq || eq == optarg)
				inc_die(INC_EXIT_USAGE, "--field: want KEY=VALUE, got \"%s\"", optarg);
			if (!inc_utf8_valid(optarg, strlen(optarg)))
				inc_die(INC_EXIT_USAGE, "--field: not valid UTF-8");
			if (!custom) {
				custom = json_object();
				json_object_set_new(opts, "custom", custom);
			}
			*eq = '\0';
			json_object_set_new(custom, optarg, json_string(eq + 1));
			break;
		}
		default: inc_usage_error(usage);
		}
	}
	if (optind < argc)
		inc_usage_error(usage);
	if (json_array_size(links))
		json_object_set(opts, "links", links);
	json_decref(links);
	if (json_object_size(opts) && !json_object_get(opts, "subject"))
		inc_die(INC_EXIT_USAGE, "options need -s SUBJECT");
	if (!json_object_size(opts))
		tool_need_input(0, usage);
	tool_config(&ctx);
	if (json_object_size(opts)) {
		struct inc_incident r;
		char err[INC_ERRLEN] = "";

		/* a value the config does not know is a usage error: nothing
		 * done, not even the database created */
		inc_incident_init(&r);
		if (build(&ctx, opts, &r, err) < 0) {
			inc_incident_clear(&r);
			json_decref(opts);
			inc_die(INC_EXIT_USAGE, "%s", err);
		}
		inc_incident_clear(&r);
		tool_db(&ctx);
		if (inc_tx_begin(&ctx) < 0)
			tool_db_fail(&ctx, (inc_db_err(ctx.db, err), err));
		if (log_one(&ctx, "options", opts, INC_NULL, NULL, err) < 0) {
			if (inc_db_failed(ctx.db))
				tool_db_fail(&ctx, err);
			inc_warn("%s", err);
			ctx.status = INC_EXIT_REFUSED;
		}
	} else {
		tool_db(&ctx);
		/* log_one validates all before its insert: no savepoint needed */
		ctx.no_savepoint = 1;
		/* each line validated and built on the input's reader thread */
		inc_each_prep(&ctx, stdin, INC_EACH_NO_LINE, prepare, prepared_free, log_one, NULL);
	}
	json_decref(opts);
	return tool_close(&ctx);
}

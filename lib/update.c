/*
 * update.c - what inc-update does to one incident: a patch line and the
 * options merged into one change (options win where they name something),
 * then status, fields, major, links and the note applied through the life
 * cycle, stored with its audit rows, and the record emitted.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "inc.h"


/* The status a technician may ask inc-update for; the others have their tool. */
int
inc_update_status_target(const char *to, char *err)
{
	int s = inc_status_parse(to);

	if (!to)
		return inc_err(err, "expected a string");
	switch (s) {
	case INC_IN_PROGRESS:
	case INC_ON_HOLD:
	case INC_CANCELLED:
		return s;
	case INC_RESOLVED:
	case INC_CLOSED:
		return inc_err(err, "%s: use inc-close", to);
	case INC_ASSIGNED:
		return inc_err(err, "assigned: use inc-assign");
	case INC_NEW:
		return inc_err(err, "new: an incident never goes back to new");
	default:
		return inc_err(err, "unknown status \"%s\" (want in_progress, on_hold or cancelled)", to);
	}
}

/* A patch object's own changes. */
static int
parse_patch(json_t *line, struct inc_change *ch, char *err)
{
	const char *k;
	json_t *v;

	json_object_foreach(line, k, v) {
		const struct inc_field *f = inc_field_find(k);

		if (strcmp(k, "status") == 0) {
			if (!json_is_string(v))
				return inc_err(err, "status: expected a string");
			ch->status = json_string_value(v);
		} else if (strcmp(k, "note") == 0 || strcmp(k, "reply") == 0) {
			if (!json_is_string(v) || !*json_string_value(v))
				return inc_err(err, "%s: expected a non-empty string", k);
			if (k[0] == 'n')
				ch->note = json_string_value(v);
			else
				ch->reply = json_string_value(v);
		} else if (strcmp(k, "major") == 0) {
			if (!json_is_boolean(v))
				return inc_err(err, "major: expected true or false");
			ch->major = json_is_true(v);
		} else if (strcmp(k, "link") == 0 || strcmp(k, "links") == 0) {
			size_t i;
			json_t *l;

			if (!ch->links)
				ch->links = json_array();
			if (json_is_string(v))
				v = json_pack("[O]", v);
			else if (json_is_array(v))
				json_incref(v);
			else
				return inc_err(err, "%s: expected \"TYPE:REF\" or an array", k);
			json_array_foreach(v, i, l) {
				int rc = json_is_string(l) ?
					inc_links_add_ref(ch->links, json_string_value(l), err) :
					inc_links_add(ch->links,
						json_string_value(json_object_get(l, "type")),
						json_string_value(json_object_get(l, "ref")), err);

				if (rc < 0) {
					json_decref(v);
					return -1;
				}
			}
			json_decref(v);
		} else if (f && (f->flags & INC_F_SET)) {
			json_object_set(ch->set, k, v);
		} else if (!inc_field_record_key(k)) {
			return inc_err(err, "unknown field \"%s\"", k);
		}
	}
	return 0;
}

static int
work(struct inc_ctx *ctx, const struct inc_incident *r, char *err)
{
	if (inc_may(ctx->cfg, ctx->actor, INC_ACT_WORK, r->requester))
		return 0;
	return inc_err(err, "not allowed: requesters may only add notes to their own incidents");
}

/* One descriptive field; the same value again changes nothing, not even
 * what counts as explicit for inc-classify. */
static int
set_field(struct inc_ctx *ctx, struct inc_incident *r, const char *k, json_t *v, char *err)
{
	char **f = (char **)((char *)r + inc_field_find(k)->off);
	char *old = inc_xstrdup(*f), *oldsub = inc_xstrdup(r->subcategory);
	int64_t ex = r->explicit_;
	int rc = inc_field_set(ctx->cfg, r, k, v, err);

	if (rc == 0 && inc_streq(old, *f) && inc_streq(oldsub, r->subcategory))
		r->explicit_ = ex;
	else if (rc == 0)
		rc = work(ctx, r, err);
	free(old);
	free(oldsub);
	return rc;
}

static int
set_fields(struct inc_ctx *ctx, struct inc_incident *r, json_t *set, char *err)
{
	const json_t *cat = json_object_get(set, "category");
	char *impact = inc_xstrdup(r->impact), *urgency = inc_xstrdup(r->urgency);
	const json_t *g = json_object_get(set, "group"), *a = json_object_get(set, "assignee");
	const char *gs, *as, *who;
	int rc = 0;

	for (size_t i = 0; i < inc_nfields && rc == 0; i++) {
		const struct inc_field *f = &inc_fields[i];
		json_t *v = json_object_get(set, f->name);

		if (v && (f->flags & INC_F_SET) && strcmp(f->name, "group") &&
		    strcmp(f->name, "assignee"))
			rc = set_field(ctx, r, f->name, v, err);
	}
	/* a new category drops a subcategory it does not have, unless named */
	if (rc == 0 && r->subcategory && !json_object_get(set, "subcategory") &&
	    !(json_is_string(cat) && strchr(json_string_value(cat), '/')) &&
	    (!r->category || !inc_config_category(ctx->cfg, r->category, r->subcategory)))
		inc_set_str(&r->subcategory, NULL);
	if (rc == 0)
		rc = inc_check_category(ctx->cfg, r, err);
	if (rc == 0 && (!inc_streq(impact, r->impact) || !inc_streq(urgency, r->urgency)) &&
	    !(r->explicit_ & INC_EXPLICIT_PRIORITY) &&
	    inc_config_priority(ctx->cfg, r->impact, r->urgency))
		inc_set_str(&r->priority, inc_config_priority(ctx->cfg, r->impact, r->urgency));
	free(impact);
	free(urgency);
	if (rc < 0)
		return -1;
	gs = json_string_value(g);
	as = json_string_value(a);
	who = inc_assignable(ctx->cfg, as);
	if ((g && !gs && !(json_is_null(g) && !r->group)) ||
	    (a && !as && !(json_is_null(a) && !r->assignee)))
		return inc_err(err, "%s: expected a name (it cannot be cleared)",
			       g && !gs ? "group" : "assignee");
	if (as && !who) {
		char msg[INC_ERRLEN];

		inc_config_unknown_person(ctx->cfg, "technician", as, 1, msg);
		return inc_err(err, "assignee: %s", msg);
	}
	if ((gs && !inc_streq(gs, r->group)) || (as && !inc_streq(who, r->assignee))) {
		if (work(ctx, r, err) < 0 || inc_assign(ctx, r, gs, as, err) < 0)
			return -1;
		if (g)
			r->explicit_ |= INC_EXPLICIT_GROUP;
	}
	return 0;
}

static int
set_links(struct inc_ctx *ctx, struct inc_incident *r, json_t *add, char *err)
{
	json_t *links = json_loads(r->links ? r->links : "[]", 0, NULL);
	size_t i, n;
	json_t *l;
	int rc = 0;

	if (!links)
		links = json_array();
	n = json_array_size(links);
	json_array_foreach(add, i, l)
		if (inc_links_add(links, json_string_value(json_object_get(l, "type")),
				  json_string_value(json_object_get(l, "ref")), err) < 0)
			rc = -1;
	if (rc == 0 && json_array_size(links) != n && (rc = work(ctx, r, err)) == 0) {
		free(r->links);
		r->links = json_dumps(links, JSON_COMPACT);
	}
	json_decref(links);
	return rc;
}

static int
apply(struct inc_ctx *ctx, struct inc_incident *r, const struct inc_change *ch, char *err)
{
	if (set_fields(ctx, r, ch->set, err) < 0)
		return -1;
	if (ch->major >= 0 && !r->major != !ch->major) {
		if (work(ctx, r, err) < 0)
			return -1;
		if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_MAJOR, r->requester))
			return inc_err(err, "not allowed: only an incident manager or admin may %s a major incident",
				       ch->major ? "declare" : "undeclare");
		r->major = ch->major;
		r->explicit_ |= INC_EXPLICIT_MAJOR;
	}
	if (ch->links && set_links(ctx, r, ch->links, err) < 0)
		return -1;
	if (ch->status && strcmp(ch->status, inc_status_name(r->status)) != 0) {
		char msg[INC_ERRLEN];
		int to;

		if (work(ctx, r, err) < 0)
			return -1;
		if ((to = inc_update_status_target(ch->status, msg)) < 0)
			return inc_err(err, "status: %s", msg);
		if (to == INC_IN_PROGRESS && (r->status == INC_RESOLVED || r->status == INC_CLOSED))
			return inc_err(err, "cannot move from %s to in_progress: reopen with inc-close --reopen",
				       inc_status_name(r->status));
		if (inc_set_status(ctx, r, (enum inc_status)to, err) < 0)
			return -1;
	}
	if (ch->note || ch->reply) {
		if (!inc_may(ctx->cfg, ctx->actor, INC_ACT_NOTE, r->requester))
			return inc_err(err, "not allowed: requesters may only add notes to their own incidents");
		/* a note stays inside the desk; a reply goes to the requester */
		if (ch->note && inc_audit(ctx, r->id, INC_NULL, "note", NULL, NULL, ch->note, err) < 0)
			return -1;
		if (ch->reply && inc_audit(ctx, r->id, INC_NULL, "reply", NULL, NULL, ch->reply, err) < 0)
			return -1;
		/* the desk's public reply is the response; a note, or the
		 * requester's own reply, is not */
		if (ch->reply && ctx->role != INC_REQUESTER)
			inc_mark_response(ctx, r);
		r->updated_at = ctx->now;
	}
	return 0;
}

/* The fields whose change inc-update reports in event.changed: the
 * audited fields of the record that differ, in the record's order. */
static json_t *
changed(const struct inc_incident *a, const struct inc_incident *b)
{
	json_t *l = json_array();

	for (size_t i = 0; i < inc_nfields; i++) {
		const struct inc_field *f = &inc_fields[i];
		char ba[INC_TIMELEN], bb[INC_TIMELEN];

		if (!(f->flags & INC_F_AUDIT) || !f->json[0] || (f->flags & INC_F_SLA_OBJ))
			continue;
		if (!inc_streq(inc_field_text(a, f, ba), inc_field_text(b, f, bb)))
			json_array_append_new(l, json_string(f->name));
	}
	return l;
}

int
inc_update_record(struct inc_ctx *ctx, const char *where, json_t *line, int64_t id,
		  void *arg, char *err)
{
	const struct inc_change *opt = arg;
	struct inc_change ch = {.major = -1};
	struct inc_incident r, before;
	json_t *event;
	int rc;

	(void)where;
	inc_incident_init(&r);
	inc_incident_init(&before);
	ch.set = json_object();
	if ((rc = line ? parse_patch(line, &ch, err) : 0) < 0 ||
	    (rc = inc_load_may(ctx, id, INC_ACT_SEE, "not your incident", &r, err)) < 0)
		goto out;
	/* the options win where they name something */
	if (opt->status)
		ch.status = opt->status;
	if (opt->note)
		ch.note = opt->note;
	if (opt->reply)
		ch.reply = opt->reply;
	if (opt->major >= 0)
		ch.major = opt->major;
	if (opt->links) {
		json_decref(ch.links);
		ch.links = json_incref(opt->links);
	}
	json_object_update(ch.set, opt->set);
	if (json_object_get(opt->set, "custom") && line && json_is_object(json_object_get(line, "custom"))) {
		json_t *custom = json_copy(json_object_get(line, "custom"));

		json_object_update(custom, json_object_get(opt->set, "custom"));
		json_object_set_new(ch.set, "custom", custom);
	}
	inc_incident_copy(&before, &r);
	if ((rc = apply(ctx, &r, &ch, err)) < 0 ||
	    (rc = inc_incident_store(ctx, &before, &r, "updated", err)) < 0)
		goto out;
	event = json_pack("{s:s,s:o}", "kind", "updated", "changed", changed(&before, &r));
	if (!json_array_size(json_object_get(event, "changed")) && !ch.note && !ch.reply) {
		/* nothing happened (a status it had, a value it had): no event,
		 * as no audit row; the record is written all the same */
		json_decref(event);
		inc_emit(ctx, &r, NULL);
		goto out;
	}
	if (ch.note)
		json_object_set_new(event, "note", json_string(ch.note));
	if (ch.reply) {
		/* a public reply is the event: the requester is mailed it */
		json_object_set_new(event, "kind", json_string("replied"));
		json_object_set_new(event, "by", json_string(ctx->role == INC_REQUESTER ?
							      "requester" : "desk"));
		json_object_set_new(event, "text", json_string(ch.reply));
	}
	rc = inc_event(ctx, &r, event, err);
out:
	json_decref(ch.set);
	json_decref(ch.links);
	inc_incident_clear(&before);
	inc_incident_clear(&r);
	return rc < 0 ? -1 : 0;
}



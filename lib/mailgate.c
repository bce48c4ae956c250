/*
 * mailgate.c - the mail gateway's work (inc-mail): one inbound message
 * becomes a new incident, or is threaded onto the incident it answers (by
 * the [INC-n] tag of its subject, or by its In-Reply-To and References
 * naming a mail the desk sent or received), where it is a public reply, a
 * confirmation, a reopening or an internal note, as its sender is the
 * requester, someone of the desk, or anyone else. Its attachments are
 * stored by content hash beside the database. Robots, mail loops and
 * unwanted senders are dropped before anything is written; a message acted
 * on before (by Message-ID) is recognized and changes nothing again.
 *
 * The sender is the actor: the configured person whose e-mail the From
 * address is (by their name), else the address itself, a requester. Each
 * message is one transaction: all it does, or nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inc.h"

/* SPEC section 6: a field may be up to 16 MiB. */
#define FIELD_MAX ((size_t)16 << 20)

/* Who the sender is to the incident a message answers. */
enum rel { REL_REQUESTER, REL_DESK, REL_OTHER };

struct gate {
	struct inc_ctx *ctx;
	struct inc_mail m;
	const struct inc_person *person;	/* the sender among the people */
	char *key;		/* "<message-id>", or "sha256:HEX" without one */
	json_t *atts;		/* [{name, type, size, sha256}] kept */
	struct inc_buf notes;	/* what was not kept, one line each */
	struct inc_mailgate_result *res;
};

/* ---- who ---- */

static const char *
domain_of(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;

	return at && at[1] ? at + 1 : NULL;
}

/* The desk's own address: inc-notify's From. */
static const char *
desk_address(const struct inc_config *c)
{
	return c->mail_address ? c->mail_address : "inc@localhost";
}

static const struct inc_person *
person_of(const struct inc_config *c, const char *addr)
{
	for (size_t i = 0; i < c->npeople; i++)
		if (c->people[i].email && strcasecmp(c->people[i].email, addr) == 0)
			return &c->people[i];
	return NULL;
}

/* Names and addresses compare without regard to case, as access.c
 * compares them. */
static int
same_who(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static enum rel
relation(const struct gate *g, const struct inc_incident *r)
{
	const struct inc_person *p = g->person;

	if (same_who(r->requester, g->m.from_addr) ||
	    (p && (same_who(r->requester, p->name) || same_who(r->requester, p->email))))
		return REL_REQUESTER;
	if (p && p->role != INC_REQUESTER)
		return REL_DESK;
	return REL_OTHER;
}

/* A domain of the list, or a subdomain of one ("example.com" takes
 * mail.example.com too); "@example.com" is read as "example.com". */
static int
domain_listed(const json_t *list, const char *domain)
{
	size_t i, dl = strlen(domain);
	json_t *v;

	json_array_foreach(list, i, v) {
		const char *d = json_string_value(v);
		size_t n;

		if (!d)
			continue;
		if (*d == '@')
			d++;
		n = strlen(d);
		if (n == 0)
			continue;
		if (strcasecmp(domain, d) == 0 ||
		    (dl > n && domain[dl - n - 1] == '.' && strcasecmp(domain + dl - n, d) == 0))
			return 1;
	}
	return 0;
}

/* "INC-<id>@<domain>" or "INC-<id>.<anything>@<domain>": a Message-ID
 * inc-notify made for incident id. */
static int
desk_ref(const char *msgid, const char *domain, int64_t *id)
{
	const char *p, *at;
	int64_t v = 0;

	if (!msgid || strncasecmp(msgid, "INC-", 4) != 0)
		return 0;
	for (p = msgid + 4; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - (*p - '0')) / 10)
			return 0;
		v = v * 10 + (*p - '0');
	}
	if (p == msgid + 4 || (*p != '@' && *p != '.') || v <= 0)
		return 0;
	at = strrchr(msgid, '@');
	if (!at || strcasecmp(at + 1, domain) != 0)
		return 0;
	*id = v;
	return 1;
}

/* Why the message is not taken at all, or NULL. */
static const char *
drop_reason(const struct gate *g, char *buf, size_t len)
{
	const struct inc_config *c = g->ctx->cfg;
	const struct inc_mail *m = &g->m;
	const char *own = desk_address(c), *domain;
	int64_t id;

	/* first, so that a loop is called one whatever else the mail says */
	if (m->from_addr && strcasecmp(m->from_addr, own) == 0)
		return "from the desk's own address (a mail loop)";
	if (desk_ref(m->message_id, domain_of(own), &id))
		return "the desk's own message (a mail loop)";
	if (m->auto_reason) {
		snprintf(buf, len, "%s", strcmp(m->auto_reason, "list") == 0 ? "mailing list" :
			 m->auto_reason);
		return buf;
	}
	if (!m->from_addr)
		return "no From address";
	if (!(domain = domain_of(m->from_addr)))
		return "From address without a domain";
	if (c->mail_deny && domain_listed(c->mail_deny, domain)) {
		snprintf(buf, len, "sender domain %s is in mail.deny", domain);
		return buf;
	}
	if (c->mail_allow && !domain_listed(c->mail_allow, domain)) {
		snprintf(buf, len, "sender domain %s is not in mail.allow", domain);
		return buf;
	}
	return NULL;
}

/* ---- attachments on disk ---- */

static int
make_dir(const char *path, mode_t mode, char *err)
{
	if (mkdir(path, mode) == 0) {
		/* the umask must not widen or narrow what was chosen */
		if (chmod(path, mode) < 0)
			return inc_err(err, "%s: %s", path, strerror(errno));
		return 0;
	}
	if (errno != EEXIST)
		return inc_err(err, "%s: %s", path, strerror(errno));
	return 0;
}

static int
write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* data as <the database's folder>/attachments/ab/abcdef... (a server's
 * database: the data folder, inc_db_folder), written whole or not at all
 * (a temp file renamed), private like the database (or shared with its
 * group when its folder is setgid); a file of that hash already there is
 * kept: one copy however often it comes. */
static int
store_file(struct inc_ctx *ctx, const char *hex, const unsigned char *data, size_t len,
	   char *err)
{
	char dir[PATH_MAX], top[PATH_MAX + 16], sub[PATH_MAX + 32], path[PATH_MAX + 128],
	     tmp[PATH_MAX + 160];
	mode_t dmode = 0700, fmode = 0600;
	struct stat st;
	int fd, e;

	if (inc_db_folder(ctx->db, dir, sizeof dir, err) < 0)
		return -1;
	snprintf(top, sizeof top, "%s/attachments", dir);
	if (stat(dir, &st) == 0 && (st.st_mode & S_ISGID)) {
		dmode = 02770;
		fmode = 0660;
	}
	snprintf(sub, sizeof sub, "%s/%.2s", top, hex);
	snprintf(path, sizeof path, "%s/%s", sub, hex);
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len)
		return 0;
	if (make_dir(top, dmode, err) < 0 || make_dir(sub, dmode, err) < 0)
		return -1;
	snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%ld", sub, hex, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, fmode);
	if (fd < 0)
		return inc_err(err, "%s: %s", tmp, strerror(errno));
	if (fchmod(fd, fmode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno ? errno : EIO;
		close(fd);
		unlink(tmp);
		return inc_err(err, "%s: %s", tmp, strerror(e));
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		return inc_err(err, "%s: %s", path, strerror(e));
	}
	/* the new name must outlive a crash as the record will */
	if ((fd = open(sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

/* Every attachment within mail.max_attachment stored (none in a dry run)
 * and listed; the others named in g->notes. */
static int
store_attachments(struct gate *g, int dry_run, char *err)
{
	const struct inc_config *c = g->ctx->cfg;

	for (size_t i = 0; i < g->m.nattachments; i++) {
		const struct inc_mail_attachment *a = &g->m.attachments[i];
		char hex[65];

		if ((int64_t)a->size > c->attach_max) {
			inc_buf_printf(&g->notes, "%sattachment \"%s\" (%zu bytes) not kept: larger"
				       " than mail.max_attachment (%lld bytes)", g->notes.len ? "\n" : "",
				       a->name, a->size, (long long)c->attach_max);
			continue;
		}
		if (inc_mail_sha256_hex(a->data, a->size, hex) < 0)
			return inc_err(err, "attachment \"%s\": cannot hash it", a->name);
		if (!dry_run && store_file(g->ctx, hex, a->data, a->size, err) < 0)
			return -1;
		json_array_append_new(g->atts, json_pack("{s:s,s:s,s:I,s:s}", "name", a->name,
							 "type", a->content_type,
							 "size", (json_int_t)a->size, "sha256", hex));
	}
	return 0;
}

/* The attachments of the message added to r's; 1 when any was new. */
static int
add_attachments(const struct gate *g, struct inc_incident *r)
{
	json_t *have = json_loads(r->attachments ? r->attachments : "[]", 0, NULL), *a, *h;
	size_t i, j;
	int added = 0;

	if (!json_is_array(have)) {
		json_decref(have);
		have = json_array();
	}
	json_array_foreach(g->atts, i, a) {
		int dup = 0;

		json_array_foreach(have, j, h)
			if (json_equal(h, a))
				dup = 1;
		if (!dup) {
			json_array_append(have, a);
			added = 1;
		}
	}
	if (added) {
		free(r->attachments);
		r->attachments = json_dumps(have, JSON_COMPACT);
	}
	json_decref(have);
	return added;
}

/* ---- the database ---- */

/* The first column of sql bound to one text: 1 found (*id), 0 not, -1. */
static int
lookup(struct inc_ctx *ctx, const char *sql, const char *text, int64_t *id, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, sql);

	inc_sql_text(q, 1, text);
	return inc_sql_one_int(q, id, err);
}

static int
remember(struct gate *g, int64_t id, const char *kind, char *err)
{
	struct inc_sql *q = inc_sql(g->ctx->db, "INSERT INTO mail_seen(message_id, incident,"
				    " kind, at) VALUES(?, ?, ?, ?)");

	inc_sql_text(q, 1, g->key);
	inc_sql_int(q, 2, id);
	inc_sql_text(q, 3, kind);
	inc_sql_int(q, 4, g->ctx->now);
	g->res->incident = id;
	g->res->action = kind;
	return inc_sql_run(q, err);
}

/* A message seen before: the incident as it is now, nothing written. */
static int
existing(struct gate *g, int64_t id, const char *kind, char *err)
{
	struct inc_incident r;
	int rc;

	inc_incident_init(&r);
	rc = inc_incident_load(g->ctx, id, &r, err);
	if (rc > 0)
		inc_emit(g->ctx, &r, json_pack("{s:s,s:b}", "kind", kind, "existing", 1));
	inc_incident_clear(&r);
	g->res->incident = id;
	g->res->action = "existing";
	return rc < 0 ? -1 : 0;
}

/* The incident a Message-ID names: one inc-notify made (its form, or its
 * outbox), or one this gateway took (mail_seen, external_id). 1 (*id),
 * 0 none, -1. */
static int
ref_incident(struct inc_ctx *ctx, const char *ref, int64_t *id, char *err)
{
	char *bracketed;
	int rc;

	if (desk_ref(ref, domain_of(desk_address(ctx->cfg)), id))
		return 1;
	rc = lookup(ctx, "SELECT incident FROM outbox WHERE message_id = ?", ref, id, err);
	if (rc != 0)
		return rc;
	bracketed = inc_xmalloc(strlen(ref) + 3);
	sprintf(bracketed, "<%s>", ref);
	rc = lookup(ctx, "SELECT incident FROM mail_seen WHERE message_id = ?", bracketed, id, err);
	if (rc == 0)
		rc = lookup(ctx, "SELECT id FROM incident WHERE external_id = ?", bracketed, id, err);
	free(bracketed);
	return rc;
}

/* The incident a message answers: 1 (*id), 0 none. The subject's tag
 * first; then In-Reply-To and References, newest first. A tag or a
 * reference to no incident is none. */
static int
target(struct gate *g, int64_t *id, char *err)
{
	const struct inc_mail *m = &g->m;
	size_t n = m->nreferences + (m->in_reply_to ? 1 : 0);
	int64_t v;
	int rc;

	for (size_t i = 0; i <= n; i++) {
		if (i == 0)
			rc = inc_mail_ref(m->subject, &v);
		else if (m->in_reply_to && i == 1)
			rc = ref_incident(g->ctx, m->in_reply_to, &v, err);
		else
			rc = ref_incident(g->ctx, m->references[n - i], &v, err);
		if (rc > 0) {
			struct inc_incident r;

			inc_incident_init(&r);
			rc = inc_incident_load(g->ctx, v, &r, err);
			inc_incident_clear(&r);
		}
		if (rc < 0)
			return -1;
		if (rc > 0) {
			*id = v;
			return 1;
		}
	}
	return 0;
}

/* s cut to a field's 16 MiB at a character boundary; g->notes says so. */
static char *
capped(struct gate *g, const char *s, const char *what)
{
	size_t n = strlen(s);
	char *t;

	if (n <= FIELD_MAX)
		return inc_xstrdup(s);
	n = FIELD_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	t = inc_xmalloc(n + 1);
	memcpy(t, s, n);
	t[n] = '\0';
	inc_buf_printf(&g->notes, "%s%s cut at 16 MiB", g->notes.len ? "\n" : "", what);
	return t;
}

/* What was not kept, in the incident's history. */
static int
note_drops(struct gate *g, int64_t id, char *err)
{
	if (!g->notes.len)
		return 0;
	return inc_audit(g->ctx, id, INC_NULL, "note", NULL, NULL, g->notes.data, err);
}

static int
set_text(struct inc_incident *r, const struct inc_config *c, const char *k, const char *v,
	 char *err)
{
	json_t *j = json_string(v);
	int rc;

	if (!j)
		return inc_err(err, "%s: not valid UTF-8", k);
	rc = inc_field_set(c, r, k, j, err);
	json_decref(j);
	return rc < 0 ? -1 : 0;
}

/* A new incident, as inc-log logs one; linked to the incident a late
 * reply answered. */
static int
log_new(struct gate *g, int64_t linked, char *err)
{
	struct inc_ctx *ctx = g->ctx;
	const struct inc_mail *m = &g->m;
	struct inc_incident r;
	char *subject = capped(g, m->subject && *m->subject ? m->subject : "(no subject)",
			       "subject");
	char *text = capped(g, m->text, "description");
	int rc;

	inc_incident_init(&r);
	rc = set_text(&r, ctx->cfg, "subject", subject, err);
	if (rc == 0)
		rc = set_text(&r, ctx->cfg, "requester", m->from_addr, err);
	if (rc == 0 && *text)
		rc = set_text(&r, ctx->cfg, "description", text, err);
	if (rc == 0)
		rc = set_text(&r, ctx->cfg, "source", "email", err);
	if (rc == 0 && m->message_id)
		rc = set_text(&r, ctx->cfg, "external_id", g->key, err);
	free(subject);
	free(text);
	if (rc == 0 && linked != INC_NULL) {
		json_t *links = json_array();
		char ref[32];

		snprintf(ref, sizeof ref, "INC-%lld", (long long)linked);
		inc_links_add(links, "incident", ref, err);
		r.links = json_dumps(links, JSON_COMPACT);
		json_decref(links);
	}
	if (rc == 0)
		r.attachments = json_dumps(g->atts, JSON_COMPACT);
	if (rc == 0)
		rc = inc_incident_insert(ctx, &r, err);
	if (rc == 0 && json_array_size(g->atts))
		rc = inc_audit(ctx, r.id, INC_NULL, "logged", "attachments", NULL, r.attachments, err);
	if (rc == 0)
		rc = note_drops(g, r.id, err);
	if (rc == 0)
		rc = inc_event(ctx, &r, json_pack("{s:s}", "kind", "logged"), err);
	if (rc == 0)
		rc = remember(g, r.id, "logged", err);
	inc_incident_clear(&r);
	return rc;
}

/* A public reply (by "requester" or "desk"), or an internal note (by
 * NULL), with the message's attachments. A late confirmation of a closed
 * incident brings its rating, if it has none yet. */
static int
answer(struct gate *g, int64_t id, const char *text, const char *by, int rating,
       const char *feedback, char *err)
{
	struct inc_ctx *ctx = g->ctx;
	struct inc_incident r, before;
	const char *kind = by ? "replied" : "updated";
	json_t *ev;
	int rc;

	inc_incident_init(&r);
	inc_incident_init(&before);
	if ((rc = inc_incident_get(ctx, id, &r, err)) < 0)
		goto out;
	inc_incident_copy(&before, &r);
	add_attachments(g, &r);
	if ((rc = inc_audit(ctx, id, INC_NULL, by ? "reply" : "note", NULL, NULL, text, err)) < 0)
		goto out;
	/* the desk's public reply is the response; the requester's is not */
	if (by && strcmp(by, "desk") == 0)
		inc_mark_response(ctx, &r);
	if (rating > 0 && r.rating == INC_NULL) {
		r.rating = rating;
		if (feedback)
			inc_set_str(&r.feedback, feedback);
	}
	r.updated_at = ctx->now;
	if ((rc = inc_incident_store(ctx, &before, &r, "updated", err)) < 0 ||
	    (rc = note_drops(g, id, err)) < 0)
		goto out;
	if (by) {
		ev = json_pack("{s:s,s:s,s:s}", "kind", "replied", "by", by, "text", text);
	} else {
		ev = json_pack("{s:s,s:[],s:s}", "kind", "updated", "changed", "note", text);
		if (!inc_streq(before.attachments, r.attachments))
			json_array_append_new(json_object_get(ev, "changed"),
					      json_string("attachments"));
	}
	if ((rc = inc_event(ctx, &r, ev, err)) == 0)
		rc = remember(g, id, kind, err);
out:
	inc_incident_clear(&before);
	inc_incident_clear(&r);
	return rc;
}

/* Confirmation or reopening by the requester, the attachments first. */
static int
close_or_reopen(struct gate *g, int64_t id, const struct inc_close *o, char *err)
{
	struct inc_ctx *ctx = g->ctx;
	struct inc_incident r, before;
	int rc = 0;

	inc_incident_init(&r);
	inc_incident_init(&before);
	if (json_array_size(g->atts) || g->notes.len) {
		if ((rc = inc_incident_get(ctx, id, &r, err)) == 0) {
			inc_incident_copy(&before, &r);
			add_attachments(g, &r);
			rc = inc_incident_store(ctx, &before, &r, "updated", err);
		}
		if (rc == 0)
			rc = note_drops(g, id, err);
	}
	inc_incident_clear(&before);
	inc_incident_clear(&r);
	if (rc == 0)
		rc = inc_close_one(ctx, id, o, err);
	if (rc == 0)
		rc = remember(g, id, o->mode == INC_CLOSE_CONFIRM ? "closed" : "reopened", err);
	return rc;
}

/* The requester's answer to their incident in its status. */
static int
from_requester(struct gate *g, const struct inc_incident *r, const char *text, char *err)
{
	struct inc_ctx *ctx = g->ctx;
	struct inc_close o = {.rating = INC_NULL};
	char *feedback = NULL;
	int rating = 0, yes, rc;

	if (r->status != INC_RESOLVED && r->status != INC_CLOSED)
		return answer(g, r->id, text, "requester", 0, NULL, err);
	if (r->status == INC_CLOSED && r->closed_at + ctx->cfg->reopen_window < ctx->now)
		return log_new(g, r->id, err);	/* too late to reopen: a new one */
	yes = inc_mail_confirmation(text, &rating, &feedback);
	if (yes && r->status == INC_CLOSED) {
		rc = answer(g, r->id, text, "requester", rating, feedback, err);
	} else if (yes) {
		o.mode = INC_CLOSE_CONFIRM;
		o.rating = rating > 0 ? rating : INC_NULL;
		o.feedback = feedback;
		rc = close_or_reopen(g, r->id, &o, err);
	} else {
		o.mode = INC_CLOSE_REOPEN;
		o.reason = text;
		rc = close_or_reopen(g, r->id, &o, err);
	}
	free(feedback);
	return rc;
}

static int
apply(struct gate *g, char *err)
{
	struct inc_ctx *ctx = g->ctx;
	struct inc_sql *q = inc_sql(ctx->db, "SELECT incident, kind FROM mail_seen"
				    " WHERE message_id = ?");
	struct inc_incident r;
	char *kind = NULL, *stripped, *text;
	int64_t id = INC_NULL;
	int rc;

	inc_sql_text(q, 1, g->key);
	if ((rc = inc_sql_step(q)) > 0) {
		id = inc_sql_col_int(q, 0);
		kind = inc_sql_col_dup(q, 1);
	}
	inc_sql_reset(q);
	if (rc < 0)
		return inc_db_err(ctx->db, err);
	if (rc > 0) {
		rc = existing(g, id, kind, err);
		free(kind);
		return rc;
	}
	/* logged from this message by other means (inc-log with its id) */
	if (g->m.message_id &&
	    (rc = lookup(ctx, "SELECT id FROM incident WHERE external_id = ?", g->key, &id, err)) != 0)
		return rc < 0 ? -1 : existing(g, id, "logged", err);
	if ((rc = target(g, &id, err)) <= 0)
		return rc < 0 ? -1 : log_new(g, INC_NULL, err);

	inc_incident_init(&r);
	if (inc_incident_get(ctx, id, &r, err) < 0) {
		inc_incident_clear(&r);
		return -1;
	}
	stripped = inc_mail_strip_quoted(g->m.text);
	text = capped(g, *stripped ? stripped : "(no text)", "text");
	switch (relation(g, &r)) {
	case REL_REQUESTER:
		rc = from_requester(g, &r, text, err);
		break;
	case REL_DESK:
		rc = answer(g, id, text, "desk", 0, NULL, err);
		break;
	default:
		rc = answer(g, id, text, NULL, 0, NULL, err);
		break;
	}
	free(stripped);
	free(text);
	inc_incident_clear(&r);
	return rc;
}

/* Every record of the output marked as a dry run's. */
static void
mark_dry(struct inc_buf *out)
{
	struct inc_buf b = {0};
	char *line = out->data, *nl;

	while (line && (nl = strchr(line, '\n'))) {
		json_t *j = json_loadb(line, (size_t)(nl - line), 0, NULL);

		if (j && json_is_object(json_object_get(j, "event")))
			json_object_set_new(json_object_get(j, "event"), "dry_run", json_true());
		if (j) {
			inc_json_value(&b, j);
			inc_buf_add(&b, "\n", 1);
		}
		json_decref(j);
		line = nl + 1;
	}
	inc_buf_free(out);
	*out = b;
}

/* The database failed under the message: say where, for the retry. */
static int
db_failed(struct inc_ctx *ctx, char *err)
{
	char msg[INC_ERRLEN];

	inc_db_err(ctx->db, msg);
	inc_err(err, "%s: %s", inc_db_name(ctx->db), msg);
	return INC_MG_TEMPFAIL;
}

int
inc_mailgate(struct inc_ctx *ctx, const char *data, size_t len, size_t size, int dry_run,
	     struct inc_mailgate_result *res, char *err)
{
	struct gate g = {.ctx = ctx, .res = res};
	char actor[sizeof ctx->actor], why[INC_ERRLEN];
	enum inc_role role = ctx->role;
	const char *reason;
	int rc, outcome;

	memset(res, 0, sizeof *res);
	res->incident = INC_NULL;
	err[0] = '\0';
	rc = inc_mail_parse(data, len, &g.m, err);
	if (rc == 0 && g.m.message_id)
		snprintf(res->msgid, sizeof res->msgid, "<%s>", g.m.message_id);
	if (size > (uint64_t)ctx->cfg->mail_max) {
		inc_err(err, "larger than mail.max_size (%lld bytes): %zu bytes",
			(long long)ctx->cfg->mail_max, size);
		inc_mail_free(&g.m);
		return INC_MG_DROPPED;
	}
	if (rc < 0) {
		inc_mail_free(&g.m);
		return INC_MG_BAD;
	}
	if ((reason = drop_reason(&g, why, sizeof why))) {
		inc_err(err, "%s", reason);
		inc_mail_free(&g.m);
		return INC_MG_DROPPED;
	}
	if (g.m.message_id) {
		g.key = inc_xmalloc(strlen(g.m.message_id) + 3);
		sprintf(g.key, "<%s>", g.m.message_id);
	} else {
		char hex[65];

		inc_mail_sha256_hex(data, len, hex);
		g.key = inc_xmalloc(sizeof hex + 7);
		sprintf(g.key, "sha256:%s", hex);
	}
	g.atts = json_array();
	g.person = person_of(ctx->cfg, g.m.from_addr);

	/* the files first, outside the transaction: nobody waits on a large
	 * write, and a file no record names is only an unused copy */
	if (store_attachments(&g, dry_run, why) < 0) {
		inc_err(err, "%s", why);
		outcome = INC_MG_TEMPFAIL;
		goto out;
	}
	/* the sender acts, with the rights the config gives them */
	snprintf(actor, sizeof actor, "%s", ctx->actor);
	snprintf(ctx->actor, sizeof ctx->actor, "%s", g.person ? g.person->name : g.m.from_addr);
	ctx->role = inc_role(ctx->cfg, ctx->actor);
	if (inc_tx_begin(ctx) < 0) {
		outcome = db_failed(ctx, err);
	} else if (apply(&g, why) < 0) {
		if (inc_db_failed(ctx->db)) {
			inc_err(err, "%s: %s", inc_db_name(ctx->db), why);
			outcome = INC_MG_TEMPFAIL;
		} else {
			inc_err(err, "not recorded: %s", why);
			outcome = INC_MG_BAD;
		}
		inc_tx_rollback(ctx);
		res->incident = INC_NULL;
		res->action = NULL;
	} else if (dry_run) {
		struct inc_buf out = ctx->out;

		/* all done and undone: the records say what would be */
		ctx->out = (struct inc_buf){0};
		inc_tx_rollback(ctx);
		mark_dry(&out);
		inc_buf_free(&ctx->out);
		ctx->out = out;
		inc_ctx_flush(ctx);
		outcome = INC_MG_DELIVERED;
	} else if (inc_tx_commit(ctx) < 0) {
		outcome = db_failed(ctx, err);
		res->incident = INC_NULL;
		res->action = NULL;
	} else {
		outcome = INC_MG_DELIVERED;
	}
	snprintf(ctx->actor, sizeof ctx->actor, "%s", actor);
	ctx->role = role;
	if (outcome == INC_MG_DELIVERED && g.notes.len)
		snprintf(res->note, sizeof res->note, "%s", g.notes.data);
out:
	json_decref(g.atts);
	inc_buf_free(&g.notes);
	free(g.key);
	inc_mail_free(&g.m);
	return outcome;
}

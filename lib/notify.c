/*
 * notify.c - what inc-notify makes of the event log: for each event, who
 * hears of it (the config's notify section, and an escalation's own list),
 * a mail from a template to each, well-formed and threaded on the
 * incident, queued in the outbox in the transaction that moves the
 * consumer's cursor (so exactly once); then the outbox delivered through
 * sendmail, a message marked sent only once sendmail took it (so a failure
 * is retried on the next run, and a crash between the two sends it twice:
 * at least once).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

#include "inc.h"

/* ---- who ---- */

/* The list the config's notify section gives an event, and an
 * escalation's own (already resolved addresses). */
static json_t *
recipients(const struct inc_config *c, const struct inc_incident *r,
	   const struct inc_event_row *e)
{
	const char *kind = e->kind;
	json_t *to, *extra = json_object_get(e->data, "notify"), *v;
	size_t i;

	if (strcmp(kind, "replied") == 0 &&
	    inc_streq(json_string_value(json_object_get(e->data, "by")), "requester"))
		kind = "requester_replied";
	to = inc_esc_notify(c, r, json_object_get(c->notify_on, kind));
	json_array_foreach(extra, i, v)
		if (json_is_string(v) && !inc_json_array_has(to, json_string_value(v)))
			json_array_append(to, v);
	return to;
}

/* ---- templates ---- */

/* The template of kind: the config's folder, the one beside the config,
 * then the shipped one; "default" for a kind without its own. */
static char *
find_template(const struct inc_config *c, const char *kind, char *err)
{
	char dirs[3][PATH_MAX], cfgpath[PATH_MAX], def[PATH_MAX];
	const char *cfgdir;
	const char *names[] = {kind, "default"};
	int nd = 0;

	/* dirname's result, not its argument: "config.json" is left as it
	 * is, and "." returned */
	snprintf(cfgpath, sizeof cfgpath, "%s", c->path ? c->path : "");
	cfgdir = dirname(cfgpath);
	if (c->templates) {
		if (c->templates[0] == '/')
			snprintf(dirs[nd++], PATH_MAX, "%s", c->templates);
		else
			snprintf(dirs[nd++], PATH_MAX, "%.2000s/%.2000s", cfgdir, c->templates);
	}
	snprintf(dirs[nd++], PATH_MAX, "%.4000s/templates", cfgdir);
	if (inc_config_default_path(def, sizeof def))
		snprintf(dirs[nd++], PATH_MAX, "%.4000s/templates", dirname(def));
	for (int n = 0; n < 2; n++)
		for (int d = 0; d < nd; d++) {
			char path[3 * PATH_MAX + 64];
			FILE *f;
			struct inc_buf b = {0};
			char chunk[4096];
			size_t got;

			snprintf(path, sizeof path, "%s/%s.txt", dirs[d], names[n]);
			/* only a missing file passes on to the next: one that
			 * cannot be read is an error, not the shipped text */
			if (!(f = fopen(path, "r"))) {
				if (errno == ENOENT || errno == ENOTDIR)
					continue;
				inc_err(err, "%s: %s", path, strerror(errno));
				return NULL;
			}
			while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
				inc_buf_add(&b, chunk, got);
			if (ferror(f)) {
				inc_err(err, "%s: %s", path, strerror(errno));
				fclose(f);
				inc_buf_free(&b);
				return NULL;
			}
			fclose(f);
			inc_buf_add(&b, "", 0);
			/* UTF-8, as every text inc writes: a Latin-1 template
			 * made a subject no JSON line can carry */
			if (!inc_utf8_valid(b.data, strlen(b.data))) {
				inc_err(err, "%s: not UTF-8 text", path);
				inc_buf_free(&b);
				return NULL;
			}
			return b.data;
		}
	inc_err(err, "no template for %s (looked for %s.txt and default.txt)", kind, kind);
	return NULL;
}

/* The text of one {{name}}: a field of the record ("-" when unset), ref,
 * a member of the event (event.X), the event's at and actor, the desk's
 * name and address. */
static void
value(struct inc_buf *b, const char *name, const struct inc_config *c,
      const struct inc_incident *r, const struct inc_event_row *e)
{
	const struct inc_field *f;
	char tb[INC_TIMELEN];
	const char *s = NULL;

	if (strcmp(name, "ref") == 0) {
		inc_buf_printf(b, "INC-%lld", (long long)r->id);
	} else if (strcmp(name, "id") == 0) {
		inc_buf_printf(b, "%lld", (long long)r->id);
	} else if (strcmp(name, "at") == 0) {
		inc_buf_addstr(b, inc_time_format(e->at, tb));
	} else if (strcmp(name, "actor") == 0) {
		inc_buf_addstr(b, e->actor);
	} else if (strcmp(name, "desk") == 0) {
		inc_buf_addstr(b, c->mail_name ? c->mail_name : "the service desk");
	} else if (strcmp(name, "desk_address") == 0) {
		inc_buf_addstr(b, c->mail_address ? c->mail_address : "");
	} else if (strncmp(name, "event.", 6) == 0) {
		json_t *v = json_object_get(e->data, name + 6), *x;
		size_t i;

		if (json_is_string(v))
			s = json_string_value(v);
		else if (json_is_array(v))
			json_array_foreach(v, i, x) {
				inc_buf_addstr(b, i ? ", " : "");
				inc_buf_addstr(b, json_is_string(x) ? json_string_value(x) : "");
			}
		else if (v && !json_is_null(v))
			inc_json_value(b, v);
	} else if ((f = inc_field_find(name))) {
		s = inc_field_text(r, f, tb);
		if (!s)
			s = "-";	/* unset: said, not left a gap */
	}
	if (s)
		inc_buf_addstr(b, s);
}

/* {{name}} replaced in t[0..len); a name nobody knows is left empty. On
 * one line (a subject): the values' line breaks become spaces, so that no
 * value can end the header it is put in. */
static void
render(struct inc_buf *b, const char *t, size_t len, int oneline, const struct inc_config *c,
       const struct inc_incident *r, const struct inc_event_row *e)
{
	const char *open, *close, *end = t + len;

	while ((open = memmem(t, (size_t)(end - t), "{{", 2)) &&
	       (close = memmem(open + 2, (size_t)(end - open - 2), "}}", 2))) {
		char name[128];
		size_t n = (size_t)(close - open - 2), mark;

		inc_buf_add(b, t, (size_t)(open - t));
		while (n && open[2] == ' ') {
			open++;
			n--;
		}
		while (n && open[2 + n - 1] == ' ')
			n--;
		snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1),
			 open + 2);
		mark = b->len;
		value(b, name, c, r, e);
		for (size_t i = mark; oneline && i < b->len; i++)
			if ((unsigned char)b->data[i] < 0x20 || b->data[i] == 0x7f)
				b->data[i] = ' ';
		t = close + 2;
	}
	inc_buf_add(b, t, (size_t)(end - t));
}

/* ---- queueing ---- */

/* The domain of the desk's address for Message-IDs, which must be ASCII:
 * an IDN domain in its ACE form (xn--), so that a desk at bücher.example
 * does not make every event a message compose refuses, held up forever. */
static void
id_domain(const char *addr, char *out, size_t len)
{
	const char *at = addr ? strchr(addr, '@') : NULL, *d = at ? at + 1 : "localhost";
	char *ace = NULL;

	for (const char *p = d; *p; p++)
		if ((unsigned char)*p > 0x7e) {
			ace = g_hostname_to_ascii(d);
			break;
		}
	snprintf(out, len, "%s", ace ? ace : d);
	g_free(ace);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p > 0x7e || *p == '<' || *p == '>')
			*p = '-';
}

/* One mail to one address, into the outbox; a Message-ID made of the
 * incident, the event and the recipient, so that queueing it again is a
 * no-op and a resent mail is the same mail. */
static int
queue_one(struct inc_ctx *ctx, const struct inc_incident *r, const struct inc_event_row *e,
	  const char *to, int n, const char *subject, const char *body, char *err)
{
	const struct inc_config *c = ctx->cfg;
	const char *from = c->mail_address ? c->mail_address : "inc@localhost";
	char msgid[512], root[256], tag[64], domain[200];
	const char *refs[1] = {root};
	struct inc_mail_header hdrs[] = {
		{"Auto-Submitted", "auto-generated"},
		{"X-Inc-Ref", tag},
		{"X-Inc-Event", e->kind},
	};
	struct inc_mail_out o = {
		.from_addr = from, .from_name = c->mail_name, .to = &to, .nto = 1,
		.subject = subject, .body = body, .message_id = msgid, .in_reply_to = root,
		.references = refs, .nreferences = 1, .date = ctx->now,
		.headers = hdrs, .nheaders = sizeof hdrs / sizeof hdrs[0],
	};
	struct inc_buf msg = {0};
	struct inc_sql *q;
	int rc;

	id_domain(from, domain, sizeof domain);
	snprintf(tag, sizeof tag, "INC-%lld", (long long)r->id);
	snprintf(root, sizeof root, "INC-%lld@%s", (long long)r->id, domain);
	snprintf(msgid, sizeof msgid, "INC-%lld.%lld.%d@%s", (long long)r->id, (long long)e->seq,
		 n, domain);
	if (inc_mail_compose(&o, &msg, err) < 0) {
		inc_buf_free(&msg);
		return -1;
	}
	q = inc_sql(ctx->db, "INSERT INTO outbox(seq, incident, kind, rcpt, message_id, subject,"
		    " message, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"
		    " ON CONFLICT(message_id) DO NOTHING");
	inc_sql_int(q, 1, e->seq);
	inc_sql_int(q, 2, r->id);
	inc_sql_text(q, 3, e->kind);
	inc_sql_text(q, 4, to);
	inc_sql_text(q, 5, msgid);
	inc_sql_text(q, 6, subject);
	inc_sql_text(q, 7, msg.data);
	inc_sql_int(q, 8, ctx->now);
	rc = inc_sql_run(q, err);
	inc_buf_free(&msg);
	return rc;
}

/* The subject: the template's first line when it is "Subject: ...",
 * rendered on its own (so that a newline in a field stays in the one
 * header, where compose makes it a space), else the incident's subject;
 * "[INC-42] " in front unless the first reference it holds is this
 * incident's already (inc-mail threads a reply on the first one). *body is
 * the rest of the template, from its first non-blank line. */
static void
make_subject(struct inc_buf *subject, const char *tmpl, const char **body,
	     const struct inc_config *c, const struct inc_incident *r,
	     const struct inc_event_row *e)
{
	struct inc_buf text = {0};
	const char *nl = strchr(tmpl, '\n');
	int64_t ref;

	*body = tmpl;
	if (strncmp(tmpl, "Subject:", 8) == 0 && nl) {
		const char *s = tmpl + 8;
		size_t n;

		while (*s == ' ' || *s == '\t')
			s++;
		n = (size_t)(nl - s);
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		render(&text, s, n, 1, c, r, e);
		for (*body = nl + 1; **body == '\n' || (**body == '\r' && (*body)[1] == '\n'); )
			*body += **body == '\r' ? 2 : 1;
	} else {
		render(&text, "{{subject}}", 11, 1, c, r, e);
	}
	inc_buf_add(&text, "", 0);
	if (!inc_mail_ref(text.data, &ref) || ref != r->id)
		inc_buf_printf(subject, "[INC-%lld] ", (long long)r->id);
	inc_buf_addstr(subject, text.data);
	inc_buf_add(subject, "", 0);
	inc_buf_free(&text);
}

/* A warning's quoted value: no control character of a requester field
 * reaches the terminal or cron's mail raw. */
static void
warn_address(const struct inc_incident *r, const struct inc_event_row *e, const char *addr)
{
	struct inc_buf q = {0};
	json_t *s = json_string(addr);

	inc_json_value(&q, s);
	inc_buf_add(&q, "", 0);
	inc_warn("INC-%lld: %s: %s: not one mail address, not mailed", (long long)r->id,
		 e->kind, q.data);
	json_decref(s);
	inc_buf_free(&q);
}

int
inc_notify_queue(struct inc_ctx *ctx, const struct inc_event_row *e, char *err)
{
	const struct inc_config *c = ctx->cfg;
	struct inc_incident r;
	struct inc_buf text = {0}, subject = {0};
	const char *body;
	char *tmpl = NULL;
	json_t *to = NULL, *a;
	size_t i;
	int rc = 0, n = 0;

	inc_incident_init(&r);
	if ((rc = inc_incident_load(ctx, e->incident, &r, err)) <= 0)
		goto out;	/* gone: nobody to tell */
	to = recipients(c, &r, e);
	if (!json_array_size(to))
		goto out;
	if (!(tmpl = find_template(c, strcmp(e->kind, "replied") == 0 &&
				   inc_streq(json_string_value(json_object_get(e->data, "by")),
					     "requester") ? "requester_replied" : e->kind, err))) {
		rc = -1;
		goto out;
	}
	make_subject(&subject, tmpl, &body, c, &r, e);
	render(&text, body, strlen(body), 0, c, &r, e);
	inc_buf_add(&text, "", 0);
	json_array_foreach(to, i, a) {
		const char *addr = json_string_value(a);

		/* never to the desk itself: no loop with the mail gateway */
		if (c->mail_address && strcasecmp(addr, c->mail_address) == 0)
			continue;
		if (!inc_mail_address_valid(addr)) {
			/* a requester field that is no address (a name, a list) */
			warn_address(&r, e, addr);
			continue;
		}
		if ((rc = queue_one(ctx, &r, e, addr, n++, subject.data, text.data, err)) < 0)
			break;
	}
out:
	free(tmpl);
	json_decref(to);
	inc_buf_free(&text);
	inc_buf_free(&subject);
	inc_incident_clear(&r);
	return rc < 0 ? -1 : 0;
}

/* ---- delivery ---- */

/* The message on the command's stdin: 0 when it exits 0. The command
 * reads it from an unlinked file, not a pipe: when inc-notify is killed
 * while sendmail runs, sendmail still reads the whole message, never a
 * truncated one that it would deliver as it is (sendmail -i takes end of
 * input as the end of the message). */
static int
pipe_to(const char *cmd, const char *msg, char *err)
{
	size_t len = strlen(msg);
	FILE *f = tmpfile();
	int status;
	pid_t pid;

	if (!f)
		return inc_err(err, "a temporary file: %s", strerror(errno));
	if (fwrite(msg, 1, len, f) != len || fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) {
		inc_err(err, "a temporary file: %s", strerror(errno));
		fclose(f);
		return -1;
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		fclose(f);
		return inc_err(err, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fileno(f), 0);
		close(fileno(f));
		/* sendmail's own output is not ours: stdout carries records */
		dup2(2, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	fclose(f);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return inc_err(err, "wait: %s", strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return inc_err(err, "%s: exit status %d", cmd, WEXITSTATUS(status));
	return inc_err(err, "%s: killed by signal %d", cmd, WTERMSIG(status));
}

/* One run delivers at a time: two runs at once (cron's next minute while
 * a slow sendmail still works, an admin's run) would both take an unsent
 * message to sendmail. The database's lock "notify" (inc_db_lock: beside a
 * SQLite file, an advisory lock on PostgreSQL), dropped when the process
 * dies, kill -9 included, and not inherited by sendmail. */

/* A message's outcome, in a transaction of its own. */
static int
mark(struct inc_ctx *ctx, int64_t id, const char *error, char *err)
{
	struct inc_sql *q = error ?
		inc_sql(ctx->db, "UPDATE outbox SET attempts = attempts + 1, last_error = ?2"
			" WHERE id = ?1") :
		inc_sql(ctx->db, "UPDATE outbox SET attempts = attempts + 1, sent_at = ?3,"
			" last_error = NULL WHERE id = ?1");

	inc_sql_int(q, 1, id);
	if (error)
		inc_sql_text(q, 2, error);
	else
		inc_sql_int(q, 3, ctx->now);
	if (inc_tx_begin(ctx) < 0 || inc_sql_run(q, err) < 0 || inc_tx_commit(ctx) < 0) {
		inc_db_err(ctx->db, err);
		inc_tx_rollback(ctx);
		return -1;
	}
	return 0;
}

static void
outbox_clear(struct inc_outbox *m)
{
	free(m->kind);
	free(m->rcpt);
	free(m->message_id);
	free(m->subject);
	free(m->message);
}

static int
deliver(struct inc_ctx *ctx, inc_notify_fn fn, void *arg, char *err)
{
	struct inc_sql *q = inc_sql(ctx->db, "SELECT id, seq, incident, kind, rcpt, message_id,"
				    " subject, message FROM outbox WHERE sent_at IS NULL AND id > ?"
				    " ORDER BY id LIMIT 100");
	int64_t last = 0;
	int failed = 0;

	for (;;) {
		struct inc_outbox *box = NULL;
		size_t n = 0, cap = 0;
		int rc;

		inc_sql_int(q, 1, last);
		while ((rc = inc_sql_step(q)) > 0) {
			struct inc_outbox *m;

			if (n == cap)
				box = inc_xrealloc(box, (cap = cap ? 2 * cap : 16) * sizeof *box);
			m = &box[n++];
			m->id = inc_sql_col_int(q, 0);
			m->seq = inc_sql_col_int(q, 1);
			m->incident = inc_sql_col_int(q, 2);
			m->kind = inc_sql_col_dup(q, 3);
			m->rcpt = inc_sql_col_dup(q, 4);
			m->message_id = inc_sql_col_dup(q, 5);
			m->subject = inc_sql_col_dup(q, 6);
			m->message = inc_sql_col_dup(q, 7);
		}
		inc_sql_reset(q);
		if (rc < 0) {
			while (n > 0)
				outbox_clear(&box[--n]);
			free(box);
			return inc_db_err(ctx->db, err);
		}
		/* sendmail runs with no transaction open: nobody waits on it */
		for (size_t i = 0; i < n; i++) {
			struct inc_outbox *m = &box[i];
			char why[INC_ERRLEN];

			last = m->id;
			if (rc >= 0 && pipe_to(ctx->cfg->sendmail, m->message, why) < 0) {
				failed++;
				m->error = why;
				fn(ctx, m, arg);
				if (mark(ctx, m->id, why, err) < 0)
					rc = -1;
			} else if (rc >= 0) {
				m->error = NULL;
				if (mark(ctx, m->id, NULL, err) < 0)
					rc = -1;
				else
					fn(ctx, m, arg);
			}
			outbox_clear(m);
		}
		free(box);
		if (rc < 0)
			return -1;
		if (n < 100)
			return failed;
	}
}

int
inc_notify_send(struct inc_ctx *ctx, inc_notify_fn fn, void *arg, char *err)
{
	int handle, rc = inc_db_lock(ctx->db, "notify", &handle, err);

	if (rc == 0)
		return 0;	/* another run delivers: the outbox is its */
	if (rc < 0)
		return -1;
	rc = deliver(ctx, fn, arg, err);
	inc_db_unlock(ctx->db, "notify", handle);
	return rc;
}

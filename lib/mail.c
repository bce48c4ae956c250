/*
 * mail.c - inbound and outbound mail for inc-mail and inc-notify: an RFC
 * 5322 message parsed into struct inc_mail (headers decoded, the readable
 * body, attachments decoded, auto-replies and bounces told apart), an
 * outbound text/plain message composed for sendmail -t, address checks,
 * and the SHA-256 that names a stored attachment.
 *
 * GMime does all the MIME and RFC 2047 work; what is here is policy: which
 * part is the body, what counts as an attachment, what a robot looks like,
 * and the clean-up that keeps control characters and invalid UTF-8 out of
 * everything handed on (inc.h, "mail", states the guarantees).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <libxml/parser.h>

#include "inc.h"
#include "mail_int.h"

/* MIME nesting followed for text and attachments: real mail nests a few
 * levels; a deeper part is most likely an attack on the walker. */
#define MAXDEPTH 32

/* The outer text under which forwarded messages' text is appended to the
 * description (see forwarded()). */
#define LITTLE_TEXT 256

static const char fwd_mark[] = "---------- Forwarded message ----------";

void
inc_mail_init(void)
{
	g_mime_init();
	xmlInitParser();
}

void
inc_mail_shutdown(void)
{
	xmlCleanupParser();
	g_mime_shutdown();
}

struct walk {
	struct inc_mail *m;
	size_t cap;		/* of m->attachments */
	struct inc_buf fwd;	/* text of forwarded messages */
	int unnamed;		/* parts named part-N so far */
};

static int
is_type(GMimeObject *o, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return ct && g_mime_content_type_is_type(ct, type, subtype);
}

/* A signature part is proof for a mail client, not a file for the desk. */
static int
is_signature(GMimeObject *o)
{
	return is_type(o, "application", "pgp-signature") ||
	       is_type(o, "application", "pkcs7-signature") ||
	       is_type(o, "application", "x-pkcs7-signature");
}

/* A leaf part is a file rather than body text when the sender said so,
 * when it is named (a .txt attached inline is still a file), or when it
 * is not text a reader reads: inline images, calendars, anything else. */
static int
is_attachment(GMimePart *p)
{
	GMimeObject *o = GMIME_OBJECT(p);

	if (g_mime_part_is_attachment(p) || g_mime_part_get_filename(p))
		return 1;
	return !is_type(o, "text", "plain") && !is_type(o, "text", "html");
}

/* Decoded content (base64, quoted-printable, uuencode) of a leaf part. */
static GByteArray *
decoded(GMimePart *p)
{
	GMimeDataWrapper *content = g_mime_part_get_content(p);
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *a;

	if (content)
		g_mime_data_wrapper_write_to_stream(content, mem);
	a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_object_unref(mem);
	return a;
}

/* raw converted from charset to UTF-8, or NULL for a charset iconv does
 * not know. Bytes invalid in that charset are dropped by the filter. */
static GByteArray *
convert(const GByteArray *raw, const char *charset)
{
	GMimeFilter *f = g_mime_filter_charset_new(charset, "utf-8");
	GMimeStream *mem, *filtered;
	GByteArray *a;

	if (!f)
		return NULL;
	mem = g_mime_stream_mem_new();
	filtered = g_mime_stream_filter_new(mem);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), f);
	g_object_unref(f);
	g_mime_stream_write(filtered, (const char *)raw->data, raw->len);
	g_mime_stream_flush(filtered);
	g_object_unref(filtered);
	a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_object_unref(mem);
	return a;
}

static int
is_utf8_name(const char *cs)
{
	static const char *const names[] = { "utf-8", "utf8", "us-ascii", "ascii",
					     "ansi_x3.4-1968", NULL };

	for (const char *const *n = names; *n; n++)
		if (g_ascii_strcasecmp(cs, *n) == 0)
			return 1;
	return 0;
}

/* The text of a text part as UTF-8: the declared charset when iconv knows
 * it; otherwise UTF-8 when the bytes are UTF-8, else Windows-1252, the
 * de-facto meaning of undeclared 8-bit mail (a superset of Latin-1's
 * printable range). */
static void
part_text(GMimePart *p, struct inc_buf *out)
{
	const char *cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(p), "charset");
	GByteArray *raw = decoded(p), *conv = NULL;

	if (cs && !is_utf8_name(cs))
		conv = convert(raw, cs);
	if (!conv && !(cs && g_ascii_strncasecmp(cs, "utf", 3) == 0) &&
	    !inc_mail_utf8_ok(raw->data, raw->len))
		conv = convert(raw, "windows-1252");
	if (conv) {
		inc_mail_clean(out, (const char *)conv->data, conv->len, 1);
		g_byte_array_free(conv, TRUE);
	} else
		inc_mail_clean(out, (const char *)raw->data, raw->len, 1);
	g_byte_array_free(raw, TRUE);
	inc_mail_tidy(out, 0);
}

static int
blank(const struct inc_buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] != ' ' && b->data[i] != '\n' && b->data[i] != '\t')
			return 0;
	return 1;
}

/* Appends the readable text of o to out: 0 when it has none, 1 when it
 * came from text/plain, 2 from text/html. Alternatives give their first
 * non-blank text/plain, else their first non-blank other text; related and
 * signed parts their first part; mixed ones every inline text in order. */
static int
body_of(GMimeObject *o, struct inc_buf *out, int depth)
{
	if (depth > MAXDEPTH)
		return 0;
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);
		int n = g_mime_multipart_get_count(mp), kind = 0;
		struct inc_buf best = {0};

		if (is_type(o, "multipart", "encrypted"))
			return 0;
		if (is_type(o, "multipart", "related") || is_type(o, "multipart", "signed")) {
			if (n == 0)
				return 0;
			return body_of(g_mime_multipart_get_part(mp, 0), out, depth + 1);
		}
		for (int i = 0; i < n; i++) {
			struct inc_buf t = {0};
			int k = body_of(g_mime_multipart_get_part(mp, i), &t, depth + 1);

			if (!k || blank(&t)) {
				inc_buf_free(&t);
				continue;
			}
			if (is_type(o, "multipart", "alternative")) {
				if (!kind || k == 1) {
					inc_buf_free(&best);
					best = t;
					kind = k;
					if (k == 1)
						break;
				} else
					inc_buf_free(&t);
				continue;
			}
			if (out->len > 0)
				inc_buf_addstr(out, "\n\n");
			inc_buf_add(out, t.data, t.len);
			inc_buf_free(&t);
			if (!kind || k == 1)
				kind = k;
		}
		if (best.data) {
			inc_buf_add(out, best.data, best.len);
			inc_buf_free(&best);
		}
		return kind;
	}
	if (GMIME_IS_PART(o) && !is_attachment(GMIME_PART(o))) {
		struct inc_buf t = {0};

		part_text(GMIME_PART(o), &t);
		if (is_type(o, "text", "html")) {
			char *s = inc_mail_html_text(t.data, t.len);

			inc_buf_addstr(out, s);
			free(s);
			inc_buf_free(&t);
			return 2;
		}
		inc_buf_add(out, t.data, t.len);
		inc_buf_free(&t);
		return 1;
	}
	return 0;
}

/* A file name safe to show and to store beside others: no directory
 * (a sender's path is not ours), no control characters, at most 200
 * bytes; NULL when nothing usable is left. */
static char *
safe_name(const char *name, int strip_dir)
{
	char *s = inc_mail_clean_header(name), *base;
	size_t n;

	if (!s)
		return NULL;
	for (char *p = s; *p; p++)
		if (*p == '/' || *p == '\\')
			*p = strip_dir ? '/' : '_';
	base = strrchr(s, '/') ? strrchr(s, '/') + 1 : s;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		free(s);
		return NULL;
	}
	memmove(s, base, strlen(base) + 1);
	n = strlen(s);
	if (n > 200) {
		n = 200;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		s[n] = '\0';
	}
	return s;
}

/* part-N with an extension a viewer understands, for an unnamed part. */
static char *
made_name(struct walk *w, const char *type)
{
	static const char *const ext[][2] = {
		{ "text/plain", ".txt" }, { "text/html", ".html" }, { "text/calendar", ".ics" },
		{ "text/csv", ".csv" }, { "image/png", ".png" }, { "image/jpeg", ".jpg" },
		{ "image/gif", ".gif" }, { "image/webp", ".webp" }, { "application/pdf", ".pdf" },
		{ "message/rfc822", ".eml" }, { "message/delivery-status", ".txt" },
		{ NULL, NULL }
	};
	const char *e = ".bin";
	struct inc_buf b = {0};

	for (int i = 0; ext[i][0]; i++)
		if (strcmp(type, ext[i][0]) == 0)
			e = ext[i][1];
	inc_buf_printf(&b, "part-%d%s", ++w->unnamed, e);
	return b.data;
}

static char *
mime_type(GMimeObject *o)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);
	char *t = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	char *s = inc_mail_clean_header(t ? t : "application/octet-stream");

	g_free(t);
	if (!s)
		s = inc_xstrdup("application/octet-stream");
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

static void
add_attachment(struct walk *w, char *name, char *type, GByteArray *data)
{
	struct inc_mail *m = w->m;
	struct inc_mail_attachment *a;

	if (m->nattachments == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 4;
		m->attachments = inc_xrealloc(m->attachments, w->cap * sizeof *m->attachments);
	}
	a = &m->attachments[m->nattachments++];
	a->name = name ? name : made_name(w, type);
	a->content_type = type;
	a->size = data->len;
	a->data = g_byte_array_free(data, FALSE);
}

static char *
addr_of(InternetAddressMailbox *mb)
{
	char *s = inc_mail_clean_header(internet_address_mailbox_get_addr(mb)), *at;

	if (s && (at = strrchr(s, '@')))
		for (char *p = at; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	return s;
}

/* "Name <addr>" of the first mailbox, for a forwarded message's From. */
static char *
first_mailbox(InternetAddressList *l, char **name)
{
	for (int i = 0; l && i < internet_address_list_length(l); i++) {
		InternetAddress *ia = internet_address_list_get_address(l, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			char *a = addr_of(INTERNET_ADDRESS_MAILBOX(ia));

			if (!a)
				continue;
			*name = inc_mail_clean_header(internet_address_get_name(ia));
			return a;
		}
	}
	*name = NULL;
	return NULL;
}

static void
push(char ***v, size_t *n, char *s)
{
	if (!s)
		return;
	*v = inc_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static void
mailboxes(InternetAddressList *l, char ***v, size_t *n, int depth)
{
	for (int i = 0; l && i < internet_address_list_length(l); i++) {
		InternetAddress *ia = internet_address_list_get_address(l, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			push(v, n, addr_of(INTERNET_ADDRESS_MAILBOX(ia)));
		else if (INTERNET_ADDRESS_IS_GROUP(ia) && depth < 2)
			mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
				  v, n, depth + 1);
	}
}

/* A forwarded message (message/rfc822) is kept whole as NAME.eml, and its
 * text is set aside: when the sender wrote little of their own ("see
 * below"), the forwarded mail is the report and belongs in the text. Its
 * own attachments stay inside the .eml. */
static void
forwarded(struct walk *w, GMimeObject *o)
{
	GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *raw;
	char *name, *subject = NULL, *from, *from_name, *date;
	struct inc_buf b = {0};

	if (inner) {
		g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
		subject = inc_mail_clean_header(g_mime_message_get_subject(inner));
	}
	raw = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_object_unref(mem);

	name = safe_name(g_mime_object_get_content_disposition_parameter(o, "filename"), 1);
	if (!name)
		name = safe_name(g_mime_object_get_content_type_parameter(o, "name"), 1);
	if (!name && subject) {
		inc_buf_printf(&b, "%s.eml", subject);
		name = safe_name(b.data, 0);
		inc_buf_free(&b);
	}
	add_attachment(w, name ? name : inc_xstrdup("forwarded.eml"), mime_type(o), raw);
	if (!inner) {
		free(subject);
		return;
	}

	from = first_mailbox(g_mime_message_get_from(inner), &from_name);
	date = inc_mail_clean_header(g_mime_object_get_header(GMIME_OBJECT(inner), "Date"));
	if (w->fwd.len > 0)
		inc_buf_addstr(&w->fwd, "\n\n");
	inc_buf_printf(&w->fwd, "%s\n", fwd_mark);
	if (from && from_name)
		inc_buf_printf(&w->fwd, "From: %s <%s>\n", from_name, from);
	else if (from)
		inc_buf_printf(&w->fwd, "From: %s\n", from);
	if (date)
		inc_buf_printf(&w->fwd, "Date: %s\n", date);
	inc_buf_printf(&w->fwd, "Subject: %s\n", subject ? subject : "");
	if (g_mime_message_get_mime_part(inner)) {
		struct inc_buf t = {0};

		if (body_of(g_mime_message_get_mime_part(inner), &t, 1) && !blank(&t)) {
			inc_buf_addstr(&w->fwd, "\n");
			inc_buf_add(&w->fwd, t.data, t.len);
		}
		inc_buf_free(&t);
	}
	free(from);
	free(from_name);
	free(date);
	free(subject);
}

/* Every attachment under o, in order. */
static void
collect(struct walk *w, GMimeObject *o, int depth)
{
	if (depth > MAXDEPTH)
		return;
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);

		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			collect(w, g_mime_multipart_get_part(mp, i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		forwarded(w, o);
	} else if (GMIME_IS_PART(o) && !is_signature(o) && is_attachment(GMIME_PART(o))) {
		GMimePart *p = GMIME_PART(o);
		char *type = mime_type(o);

		add_attachment(w, safe_name(g_mime_part_get_filename(p), 1), type, decoded(p));
	}
}

static const char *
header(GMimeMessage *msg, const char *name)
{
	return g_mime_object_get_header(GMIME_OBJECT(msg), name);
}

/* The first word of a header, lowercased, into buf ("" when absent). */
static const char *
token(GMimeMessage *msg, const char *name, char *buf, size_t size)
{
	const char *v = header(msg, name);
	size_t n = 0;

	if (v) {
		while (*v == ' ' || *v == '\t')
			v++;
		while (v[n] && v[n] != ';' && v[n] != ' ' && v[n] != '\t' && n + 1 < size) {
			buf[n] = g_ascii_tolower(v[n]);
			n++;
		}
	}
	buf[n] = '\0';
	return buf;
}

static int
has_word(const char *v, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = v; p && *p; p++)
		if (g_ascii_strncasecmp(p, word, n) == 0 &&
		    (p == v || !g_ascii_isalnum(p[-1])) && !g_ascii_isalnum(p[n]))
			return 1;
	return 0;
}

/* Why no incident may come of this message. Bounces first (they often
 * carry Auto-Submitted too), then what RFC 3834 and the vendors mark as
 * automatic, then mailing lists. A List-Unsubscribe alone is not enough:
 * transactional mail (a monitoring service's alert) carries one too. */
static const char *
auto_reason(GMimeMessage *msg, const struct inc_mail *m)
{
	char prec[32], sub[64];
	const char *local_end;
	int bulk;
	GMimeObject *top = g_mime_message_get_mime_part(msg);

	if (m->return_path && !*m->return_path)
		return "bounce";
	if (m->from_addr && (local_end = strrchr(m->from_addr, '@'))) {
		size_t n = (size_t)(local_end - m->from_addr);

		if ((n == 13 && g_ascii_strncasecmp(m->from_addr, "mailer-daemon", n) == 0) ||
		    (n == 10 && g_ascii_strncasecmp(m->from_addr, "postmaster", n) == 0))
			return "bounce";
	}
	if (header(msg, "X-Failed-Recipients"))
		return "bounce";
	if (top && is_type(top, "multipart", "report")) {
		const char *rt = g_mime_object_get_content_type_parameter(top, "report-type");

		if (!rt || g_ascii_strcasecmp(rt, "disposition-notification") != 0)
			return "bounce";
		return "auto-reply";	/* a read receipt */
	}

	token(msg, "Auto-Submitted", sub, sizeof sub);
	if (*sub && strcmp(sub, "no") != 0)
		return "auto-reply";
	if (header(msg, "X-Autoreply") || header(msg, "X-Autorespond") ||
	    header(msg, "X-AutoReply-From") || header(msg, "X-Mail-Autoreply") ||
	    header(msg, "X-Autogenerated"))
		return "auto-reply";
	if (has_word(header(msg, "X-Auto-Response-Suppress"), "all"))
		return "auto-reply";
	token(msg, "Precedence", prec, sizeof prec);
	if (strcmp(prec, "auto_reply") == 0)
		return "auto-reply";

	if (strcmp(prec, "list") == 0 || header(msg, "List-Id"))
		return "list";
	bulk = strcmp(prec, "bulk") == 0 || strcmp(prec, "junk") == 0;
	if (bulk && header(msg, "List-Unsubscribe"))
		return "list";
	if (bulk)
		return "auto-reply";
	return NULL;
}

/* Return-Path as the MTA wrote it at delivery, else the envelope line of
 * an mbox or pipe(8) "From sender date" prefix, which GMime skips. */
static char *
envelope_sender(GMimeMessage *msg, const char *data, size_t len)
{
	const char *v = header(msg, "Return-Path");
	char *s;

	if (v) {
		InternetAddressList *l;
		char *name = NULL, *a;

		s = inc_mail_clean_header(v);
		if (!s || strcmp(s, "<>") == 0 || strspn(s, "<> ") == strlen(s)) {
			free(s);
			return inc_xstrdup("");
		}
		l = internet_address_list_parse(NULL, s);
		a = first_mailbox(l, &name);
		if (l)
			g_object_unref(l);
		free(name);
		if (a) {
			free(s);
			return a;
		}
		return s;
	}
	if (len > 5 && memcmp(data, "From ", 5) == 0) {
		size_t n = 0;
		struct inc_buf b = {0};

		while (5 + n < len && data[5 + n] != ' ' && data[5 + n] != '\t' &&
		       data[5 + n] != '\n' && data[5 + n] != '\r')
			n++;
		inc_buf_add(&b, data + 5, n);
		s = inc_mail_clean_header(b.data);
		inc_buf_free(&b);
		/* how mbox writers spell the null sender */
		if (s && (g_ascii_strcasecmp(s, "MAILER-DAEMON") == 0 || strcmp(s, "<>") == 0)) {
			free(s);
			return inc_xstrdup("");
		}
		return s;
	}
	return NULL;
}

static void
references(const char *value, char ***v, size_t *n)
{
	GMimeReferences *r;

	if (!value || !(r = g_mime_references_parse(NULL, value)))
		return;
	for (int i = 0; i < g_mime_references_length(r); i++)
		push(v, n, inc_mail_clean_header(g_mime_references_get_message_id(r, i)));
	g_mime_references_free(r);
}

int
inc_mail_parse(const char *data, size_t len, struct inc_mail *m, char *err)
{
	/* Raw 8-bit header text (not RFC 2047 encoded) is tried as UTF-8,
	 * then as Windows-1252, which maps every byte. */
	const char *fallback[] = { "utf-8", "windows-1252", NULL };
	GMimeParserOptions *opts;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GMimeObject *top;
	GDateTime *date;
	struct walk w = { .m = m };
	struct inc_buf text = {0};
	char **irt = NULL;
	size_t nirt = 0;

	memset(m, 0, sizeof *m);
	m->date = INC_NULL;
	m->size = len;
	if (!data && len > 0)
		return inc_err(err, "no message data");
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(opts, fallback);
	stream = g_mime_stream_mem_new_with_buffer(data ? data : "", len);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, opts);
	g_object_unref(parser);
	g_object_unref(stream);
	if (msg && g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(msg))) == 0) {
		g_object_unref(msg);
		msg = NULL;
	}
	if (!msg) {
		g_mime_parser_options_free(opts);
		m->text = inc_xstrdup("");
		return inc_err(err, "not a mail message: no header found");
	}

	m->message_id = inc_mail_clean_header(g_mime_message_get_message_id(msg));
	references(header(msg, "In-Reply-To"), &irt, &nirt);
	if (nirt > 0) {
		m->in_reply_to = irt[0];
		for (size_t i = 1; i < nirt; i++)
			free(irt[i]);
		free(irt);
	}
	references(header(msg, "References"), &m->references, &m->nreferences);
	m->subject = inc_mail_clean_header(g_mime_message_get_subject(msg));
	m->from_addr = first_mailbox(g_mime_message_get_from(msg), &m->from_name);
	mailboxes(g_mime_message_get_to(msg), &m->to, &m->nto, 0);
	mailboxes(g_mime_message_get_cc(msg), &m->cc, &m->ncc, 0);
	if ((date = g_mime_message_get_date(msg)))
		m->date = g_date_time_to_unix(date);
	m->return_path = envelope_sender(msg, data, len);

	if ((top = g_mime_message_get_mime_part(msg))) {
		body_of(top, &text, 0);
		collect(&w, top, 0);
	}
	inc_mail_tidy(&text, 0);
	if (w.fwd.len > 0 && text.len < LITTLE_TEXT) {
		if (text.len > 0)
			inc_buf_addstr(&text, "\n\n");
		inc_buf_add(&text, w.fwd.data, w.fwd.len);
		inc_mail_tidy(&text, 0);
	}
	inc_buf_free(&w.fwd);
	m->text = text.data ? text.data : inc_xstrdup("");
	m->auto_reason = auto_reason(msg, m);

	g_object_unref(msg);
	g_mime_parser_options_free(opts);
	return 0;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
inc_mail_free(struct inc_mail *m)
{
	if (!m)
		return;
	free(m->message_id);
	free(m->in_reply_to);
	free_list(m->references, m->nreferences);
	free(m->subject);
	free(m->from_addr);
	free(m->from_name);
	free_list(m->to, m->nto);
	free_list(m->cc, m->ncc);
	free(m->return_path);
	free(m->text);
	for (size_t i = 0; i < m->nattachments; i++) {
		free(m->attachments[i].name);
		free(m->attachments[i].content_type);
		g_free(m->attachments[i].data);	/* GLib's, from the decoder */
	}
	free(m->attachments);
	memset(m, 0, sizeof *m);
	m->date = INC_NULL;
}

/* ---- addresses ---- */

/* ASCII only: a UTF-8 local part needs SMTPUTF8 all the way and would
 * put 8-bit text in our To: header; a UTF-8 domain is IDN, written in
 * its ASCII (punycode) form. */
static int
atext(unsigned char c)
{
	return c && (g_ascii_isalnum(c) || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

int
inc_mail_address_valid(const char *s)
{
	const char *at, *p;
	InternetAddressList *l;
	InternetAddress *ia;
	size_t n;
	int ok = 0;

	if (!s || !*s || strlen(s) > 254 || !inc_utf8_valid(s, strlen(s)))
		return 0;
	if (!(at = strchr(s, '@')) || strchr(at + 1, '@') || at == s || !at[1])
		return 0;
	/* local part: a dot-atom; quoted local parts are legal but no
	 * requester of an IT desk needs one, and they carry spaces */
	for (p = s; p < at; p++) {
		int dot = *p == '.' && p > s && p[-1] != '.' && p + 1 < at;

		if (!atext((unsigned char)*p) && !dot)
			return 0;
	}
	/* domain: dotted labels of letters, digits and inner hyphens (IDN
	 * too); no domain literal */
	for (p = at + 1, n = 0;; p++) {
		if (*p == '.' || !*p) {
			if (n == 0 || p[-1] == '-')
				return 0;
			if (!*p)
				break;
			n = 0;
			continue;
		}
		if (!(g_ascii_isalnum(*p) || (unsigned char)*p >= 0x80 || (*p == '-' && n > 0)))
			return 0;
		n++;
	}
	if (!strchr(at + 1, '.') && g_ascii_strcasecmp(at + 1, "localhost") != 0)
		return 0;

	/* GMime must read it as the same single mailbox, so that what we
	 * write into a To: header is what we checked */
	if (!(l = internet_address_list_parse(NULL, s)))
		return 0;
	if (internet_address_list_length(l) == 1 &&
	    INTERNET_ADDRESS_IS_MAILBOX(ia = internet_address_list_get_address(l, 0))) {
		InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
		const char *name = internet_address_get_name(ia);
		const char *a = internet_address_mailbox_get_addr(mb);
		const char *idn = internet_address_mailbox_get_idn_addr(mb);

		ok = (!name || !*name) &&
		     ((a && strcmp(a, s) == 0) || (idn && strcmp(idn, s) == 0));
	}
	g_object_unref(l);
	return ok;
}

/* ---- composing ---- */

/* A msg-id we write between < >: printable ASCII, no space, no bracket. */
static int
msgid_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 250)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>')
			return 0;
	}
	return 1;
}

static int
header_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 76)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || *s == ':')
			return 0;
	return 1;
}

/* Headers compose writes itself, and those sendmail -t reads recipients
 * from: an extra header must not add a Bcc. */
static int
header_reserved(const char *s)
{
	static const char *const names[] = {
		"from", "sender", "to", "cc", "bcc", "apparently-to", "subject", "date",
		"message-id", "in-reply-to", "references", "mime-version", "return-path",
		NULL
	};

	for (const char *const *n = names; *n; n++)
		if (g_ascii_strcasecmp(s, *n) == 0)
			return 1;
	return g_ascii_strncasecmp(s, "content-", 8) == 0 ||
	       g_ascii_strncasecmp(s, "resent-", 7) == 0;
}

/* A refused value for an error message: one line, printable, short. */
#define SHOWN 80
static const char *
shown(const char *s, char buf[SHOWN])
{
	size_t n = 0;

	for (; s && *s && n + 4 < SHOWN; s++)
		buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
	if (s && *s) {
		/* not in the middle of a UTF-8 sequence */
		while (n > 0 && ((unsigned char)*s & 0xc0) == 0x80) {
			s--;
			n--;
		}
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
	return buf;
}

/* Quoted-printable when 7bit would not do: 8-bit text, or a line longer
 * than RFC 5322's recommended 78. */
static int
needs_qp(const char *s, size_t n)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80)
			return 1;
		col = s[i] == '\n' ? 0 : col + 1;
		if (col > 78)
			return 1;
	}
	return 0;
}

static void
add_mailbox(InternetAddressList *l, const char *name, const char *addr)
{
	InternetAddress *ia = internet_address_mailbox_new(name, addr);

	/* UTF-8 words, not whatever smallest charset GMime would pick */
	internet_address_set_charset(ia, "utf-8");
	internet_address_list_add(l, ia);
	g_object_unref(ia);
}

int
inc_mail_compose(const struct inc_mail_out *o, struct inc_buf *out, char *err)
{
	GMimeMessage *msg;
	GMimeObject *obj;
	GMimeTextPart *part;
	GMimeStream *bs, *mem;
	GMimeDataWrapper *content;
	GDateTime *date;
	GByteArray *bytes;
	struct inc_buf body = {0}, ids = {0};
	char *s, v[SHOWN];

	if (!inc_mail_address_valid(o->from_addr))
		return inc_err(err, "invalid sender address \"%s\"", shown(o->from_addr, v));
	if (o->nto == 0)
		return inc_err(err, "no recipient");
	for (size_t i = 0; i < o->nto; i++)
		if (!inc_mail_address_valid(o->to[i]))
			return inc_err(err, "invalid recipient address \"%s\"", shown(o->to[i], v));
	if (!msgid_valid(o->message_id))
		return inc_err(err, "invalid Message-ID \"%s\"", shown(o->message_id, v));
	if (o->date == INC_NULL)
		return inc_err(err, "no date");
	for (size_t i = 0; i < o->nheaders; i++) {
		const char *name = o->headers[i].name;

		if (!header_name_valid(name))
			return inc_err(err, "invalid header name \"%s\"", shown(name, v));
		if (header_reserved(name))
			return inc_err(err, "header %s is not an extra header", name);
	}

	msg = g_mime_message_new(FALSE);
	obj = GMIME_OBJECT(msg);
	s = inc_mail_clean_header(o->from_name);
	add_mailbox(g_mime_message_get_from(msg), s, o->from_addr);
	free(s);
	for (size_t i = 0; i < o->nto; i++)
		add_mailbox(g_mime_message_get_to(msg), NULL, o->to[i]);
	s = inc_mail_clean_header(o->subject);
	g_mime_message_set_subject(msg, s ? s : "", "utf-8");
	free(s);
	date = g_date_time_new_from_unix_utc(o->date);
	if (!date) {
		g_object_unref(msg);
		return inc_err(err, "date out of range");
	}
	g_mime_message_set_date(msg, date);
	g_date_time_unref(date);
	inc_buf_printf(&ids, "<%s>", o->message_id);
	g_mime_object_set_header(obj, "Message-ID", ids.data, NULL);
	ids.len = 0;
	/* Threading is a courtesy: an inbound id we cannot write back
	 * safely is left out rather than failing the notification. */
	if (msgid_valid(o->in_reply_to)) {
		inc_buf_printf(&ids, "<%s>", o->in_reply_to);
		g_mime_object_set_header(obj, "In-Reply-To", ids.data, NULL);
		ids.len = 0;
	}
	for (size_t i = 0; i < o->nreferences; i++)
		if (msgid_valid(o->references[i]))
			inc_buf_printf(&ids, "%s<%s>", ids.len ? " " : "", o->references[i]);
	if (ids.len > 0)
		g_mime_object_set_header(obj, "References", ids.data, NULL);
	inc_buf_free(&ids);
	for (size_t i = 0; i < o->nheaders; i++) {
		s = inc_mail_clean_header(o->headers[i].value);
		g_mime_object_append_header(obj, o->headers[i].name, s ? s : "", "utf-8");
		free(s);
	}

	inc_mail_clean(&body, o->body ? o->body : "", o->body ? strlen(o->body) : 0, 1);
	if (body.len == 0 || body.data[body.len - 1] != '\n')
		inc_buf_add(&body, "\n", 1);
	part = g_mime_text_part_new_with_subtype("plain");
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "utf-8");
	bs = g_mime_stream_mem_new_with_buffer(body.data, body.len);
	content = g_mime_data_wrapper_new_with_stream(bs, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(part), content);
	g_mime_part_set_content_encoding(GMIME_PART(part), needs_qp(body.data, body.len) ?
					 GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE :
					 GMIME_CONTENT_ENCODING_7BIT);
	g_object_unref(content);
	g_object_unref(bs);
	inc_buf_free(&body);
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
	g_object_unref(part);

	/* GMime's default format options write LF line ends */
	mem = g_mime_stream_mem_new();
	g_mime_object_write_to_stream(obj, NULL, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	inc_buf_add(out, (const char *)bytes->data, bytes->len);
	g_object_unref(mem);
	g_object_unref(msg);
	return 0;
}

/* ---- attachment storage ---- */

int
inc_mail_sha256_hex(const void *data, size_t len, char out[65])
{
	GChecksum *c;
	const unsigned char *p = data;

	out[0] = '\0';
	if (!data && len > 0)
		return -1;
	if (!(c = g_checksum_new(G_CHECKSUM_SHA256)))
		return -1;
	while (len > 0) {
		size_t n = len > (size_t)G_MAXSSIZE ? (size_t)G_MAXSSIZE : len;

		g_checksum_update(c, p, (gssize)n);
		p += n;
		len -= n;
	}
	memcpy(out, g_checksum_get_string(c), 64);
	out[64] = '\0';
	g_checksum_free(c);
	return 0;
}

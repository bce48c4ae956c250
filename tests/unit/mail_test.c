/*
 * mail_test.c - unit tests for lib/mail.c, lib/mail_reply.c and lib/html.c:
 * inbound messages of every common shape (charsets, encoded words,
 * alternatives, HTML only, forwards, a 10 MB attachment, robots, garbage),
 * the text of replies from the usual clients, [INC-n] tags, the CONFIRM
 * convention, and composed messages read back by the parser. Every
 * message is built here, in the source.
 */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib.h>

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

/* got == want, both maybe NULL; shows both with control characters
 * escaped when they differ. */
static void
streq(const char *what, const char *got, const char *want)
{
	struct inc_buf d = {0};

	if ((!got && !want) || (got && want && strcmp(got, want) == 0)) {
		check(1, what, NULL);
		return;
	}
	for (int k = 0; k < 2; k++) {
		const char *s = k ? want : got;

		inc_buf_addstr(&d, k ? " | want " : "got ");
		if (!s) {
			inc_buf_addstr(&d, "NULL");
			continue;
		}
		inc_buf_addstr(&d, "\"");
		for (; *s; s++)
			if (*s == '\n')
				inc_buf_addstr(&d, "\\n");
			else if (*s == '\t')
				inc_buf_addstr(&d, "\\t");
			else if ((unsigned char)*s < 0x20)
				inc_buf_printf(&d, "\\x%02x", (unsigned char)*s);
			else
				inc_buf_add(&d, s, 1);
		inc_buf_addstr(&d, "\"");
	}
	check(0, what, d.data);
	inc_buf_free(&d);
}

static void
inteq(const char *what, int64_t got, int64_t want)
{
	char d[96];

	snprintf(d, sizeof d, "got %" PRId64 ", want %" PRId64, got, want);
	check(got == want, what, d);
}

static int
contains(const char *s, const char *needle)
{
	return s && strstr(s, needle) != NULL;
}

static int
parse(const char *raw, struct inc_mail *m)
{
	char err[INC_ERRLEN] = "";
	int rc = inc_mail_parse(raw, strlen(raw), m, err);

	if (rc != 0)
		printf("parse failed: %s\n", err);
	return rc;
}

/* Every string field is valid UTF-8 without control characters (bodies:
 * but \n and \t). */
static int
clean(const char *s, int body)
{
	if (!s)
		return 1;
	if (!inc_utf8_valid(s, strlen(s)))
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 || c == 0x7f) && !(body && (c == '\n' || c == '\t')))
			return 0;
	}
	return 1;
}

static void
all_clean(const char *what, const struct inc_mail *m)
{
	int ok = clean(m->message_id, 0) && clean(m->in_reply_to, 0) && clean(m->subject, 0) &&
		 clean(m->from_addr, 0) && clean(m->from_name, 0) && clean(m->return_path, 0) &&
		 m->text && clean(m->text, 1);

	for (size_t i = 0; i < m->nreferences; i++)
		ok = ok && clean(m->references[i], 0);
	for (size_t i = 0; i < m->nto; i++)
		ok = ok && clean(m->to[i], 0);
	for (size_t i = 0; i < m->nattachments; i++)
		ok = ok && clean(m->attachments[i].name, 0) && clean(m->attachments[i].content_type, 0);
	check(ok, what, "a field is not clean UTF-8");
}

static double seconds(void);

/* ---- inbound ---- */

static void
test_plain(void)
{
	const char *raw =
		"Return-Path: <ana@example.com>\n"
		"Message-ID: <abc123@mail.example.com>\n"
		"Date: Fri, 27 Nov 2026 09:00:00 +0100\n"
		"From: Ana Lopez <Ana.Lopez@Example.COM>\n"
		"To: IT Desk <desk@example.com>, bob@example.com\n"
		"Cc: \"Group, All\" <grp@example.com>\n"
		"Subject: Printer on floor 3\n"
		"\tis down\n"
		"MIME-Version: 1.0\n"
		"Content-Type: text/plain; charset=us-ascii\n"
		"\n"
		"\n"
		"Hello,\n"
		"\n"
		"the printer on floor 3 shows error 42.   \n"
		"\tIndented line.\n"
		"\n"
		"Thanks,\n"
		"Ana\n"
		"\n\n";
	struct inc_mail m;

	if (parse(raw, &m) != 0) {
		check(0, "plain: parses", NULL);
		return;
	}
	streq("plain: message-id", m.message_id, "abc123@mail.example.com");
	streq("plain: subject folded", m.subject, "Printer on floor 3 is down");
	streq("plain: from addr, domain lowercased", m.from_addr, "Ana.Lopez@example.com");
	streq("plain: from name", m.from_name, "Ana Lopez");
	inteq("plain: to count", (int64_t)m.nto, 2);
	if (m.nto == 2) {
		streq("plain: to 1", m.to[0], "desk@example.com");
		streq("plain: to 2", m.to[1], "bob@example.com");
	}
	inteq("plain: cc count", (int64_t)m.ncc, 1);
	if (m.ncc == 1)
		streq("plain: cc", m.cc[0], "grp@example.com");
	inteq("plain: date", m.date, INT64_C(1795766400));
	streq("plain: return path", m.return_path, "ana@example.com");
	streq("plain: text", m.text,
	      "Hello,\n\nthe printer on floor 3 shows error 42.\n\tIndented line.\n\nThanks,\nAna");
	check(m.auto_reason == NULL, "plain: not automatic", m.auto_reason);
	inteq("plain: no attachment", (int64_t)m.nattachments, 0);
	inteq("plain: size", (int64_t)m.size, (int64_t)strlen(raw));
	check(m.in_reply_to == NULL && m.nreferences == 0, "plain: no threading", NULL);
	all_clean("plain: clean", &m);
	inc_mail_free(&m);
}

/* Maildir files written by some MTAs, and Windows tools, keep CRLF. */
static void
test_crlf(void)
{
	struct inc_mail m;

	if (parse("From: Ana <ana@example.com>\r\n"
		  "Subject: =?utf-8?q?caf=C3=A9?=\r\n"
		  " crlf\r\n"
		  "Content-Type: text/plain; charset=utf-8\r\n"
		  "Content-Transfer-Encoding: quoted-printable\r\n"
		  "\r\n"
		  "line one =\r\n"
		  "continued\r\n"
		  "line two\r\n", &m) == 0) {
		streq("crlf: subject", m.subject, "café crlf");
		streq("crlf: text", m.text, "line one continued\nline two");
		streq("crlf: from", m.from_addr, "ana@example.com");
		inc_mail_free(&m);
	}
}

static void
test_charsets(void)
{
	struct inc_mail m;

	if (parse("From: a@example.com\n"
		  "Subject: =?ISO-8859-1?Q?Caf=E9?= machine\n"
		  "Content-Type: text/plain; charset=ISO-8859-1\n"
		  "Content-Transfer-Encoding: quoted-printable\n"
		  "\n"
		  "La machine =E0 caf=E9 est en panne depuis ce matin, impossible d'avoir =\n"
		  "un caf=E9.\n", &m) == 0) {
		streq("latin-1: Q encoded-word subject", m.subject, "Café machine");
		streq("latin-1: QP body, soft break", m.text,
		      "La machine à café est en panne depuis ce matin, impossible d'avoir un café.");
		all_clean("latin-1: clean", &m);
		inc_mail_free(&m);
	}

	if (parse("From: a@example.com\n"
		  "Subject: =?UTF-8?B?w4ljcmFuIG5vaXIg8J+Ygg==?=\n"
		  "MIME-Version: 1.0\n"
		  "Content-Type: text/plain; charset=\"UTF-8\"\n"
		  "Content-Transfer-Encoding: base64\n"
		  "\n"
		  "w4ljcmFuIG5vaXIgYXByw6hzIGxhIG1pc2Ugw6Agam91ci4KTWVyY2ksIFpvw6sK\n", &m) == 0) {
		streq("utf-8: B encoded-word subject", m.subject, "Écran noir 😂");
		streq("utf-8: base64 body", m.text, "Écran noir après la mise à jour.\nMerci, Zoë");
		inc_mail_free(&m);
	}

	/* q-encoded UTF-8 across two encoded words, and a raw 8-bit Latin-1
	 * header nobody declared */
	if (parse("From: =?utf-8?q?J=C3=B6rg?= =?utf-8?q?_M=C3=BCller?= <jm@example.de>\n"
		  "Subject: caf\xe9 au lait\n"
		  "\n"
		  "undeclared caf\xe9 \x93quoted\x94\n", &m) == 0) {
		streq("encoded words joined: display name", m.from_name, "Jörg Müller");
		streq("raw 8-bit header as windows-1252", m.subject, "café au lait");
		streq("undeclared 8-bit body as windows-1252", m.text, "undeclared café “quoted”");
		inc_mail_free(&m);
	}

	/* invalid UTF-8 in a UTF-8 body, control characters everywhere */
	if (parse("From: a@example.com\n"
		  "Subject: =?utf-8?q?line=0D=0ABcc=3A_x=40y?= \x01tab\there\n"
		  "Content-Type: text/plain; charset=utf-8\n"
		  "\n"
		  "bad \xff byte, bell \x07, cr\r\nlf, nul-free\x1b[31m escape\n", &m) == 0) {
		streq("controls in a decoded subject become spaces", m.subject,
		      "line Bcc: x@y tab here");
		streq("invalid UTF-8 replaced, controls dropped", m.text,
		      "bad \xef\xbf\xbd byte, bell , cr\nlf, nul-free[31m escape");
		all_clean("controls: clean", &m);
		inc_mail_free(&m);
	}

	/* a charset iconv has never heard of: UTF-8 when it is, else 1252 */
	if (parse("From: a@example.com\n"
		  "Content-Type: text/plain; charset=x-unknown-42\n"
		  "\n"
		  "na\xc3\xafve\n", &m) == 0) {
		streq("unknown charset, UTF-8 bytes", m.text, "naïve");
		inc_mail_free(&m);
	}
	if (parse("From: a@example.com\n"
		  "Content-Type: text/plain; charset=windows-1251\n"
		  "\n"
		  "\xcf\xf0\xe8\xed\xf2\xe5\xf0\n", &m) == 0) {
		streq("windows-1251 body", m.text, "Принтер");
		inc_mail_free(&m);
	}
}

static void
test_alternative(void)
{
	struct inc_mail m;

	if (parse("From: a@example.com\n"
		  "Subject: alt\n"
		  "MIME-Version: 1.0\n"
		  "Content-Type: multipart/alternative; boundary=\"XX\"\n"
		  "\n"
		  "preamble\n"
		  "--XX\n"
		  "Content-Type: text/plain; charset=utf-8\n"
		  "\n"
		  "The plain version.\n"
		  "--XX\n"
		  "Content-Type: text/html; charset=utf-8\n"
		  "\n"
		  "<p>The <b>HTML</b> version.</p>\n"
		  "--XX--\n"
		  "epilogue\n", &m) == 0) {
		streq("alternative: text/plain chosen", m.text, "The plain version.");
		inteq("alternative: no attachment", (int64_t)m.nattachments, 0);
		inc_mail_free(&m);
	}

	/* HTML first, and an empty plain part: the text that exists wins */
	if (parse("From: a@example.com\n"
		  "Content-Type: multipart/alternative; boundary=XX\n"
		  "\n"
		  "--XX\n"
		  "Content-Type: text/html; charset=utf-8\n"
		  "\n"
		  "<p>Only the HTML says something.</p>\n"
		  "--XX\n"
		  "Content-Type: text/plain; charset=utf-8\n"
		  "\n"
		  "  \n"
		  "--XX--\n", &m) == 0) {
		streq("alternative: blank plain part passed over", m.text,
		      "Only the HTML says something.");
		inc_mail_free(&m);
	}

	/* Outlook's shape: mixed(alternative(plain, related(html, image)), pdf) */
	if (parse("From: a@example.com\n"
		  "Content-Type: multipart/mixed; boundary=M\n"
		  "\n"
		  "--M\n"
		  "Content-Type: multipart/alternative; boundary=A\n"
		  "\n"
		  "--A\n"
		  "Content-Type: text/plain; charset=us-ascii\n"
		  "\n"
		  "See the screenshot.\n"
		  "--A\n"
		  "Content-Type: multipart/related; boundary=R\n"
		  "\n"
		  "--R\n"
		  "Content-Type: text/html; charset=us-ascii\n"
		  "\n"
		  "<p>See the screenshot.<img src=\"cid:img1\"></p>\n"
		  "--R\n"
		  "Content-Type: image/png\n"
		  "Content-ID: <img1>\n"
		  "Content-Transfer-Encoding: base64\n"
		  "\n"
		  "iVBORw0KGgo=\n"
		  "--R--\n"
		  "--A--\n"
		  "--M\n"
		  "Content-Type: application/pdf; name=\"../../etc/report.pdf\"\n"
		  "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\n"
		  "Content-Transfer-Encoding: base64\n"
		  "\n"
		  "JVBERi0xLjQK\n"
		  "--M\n"
		  "Content-Type: text/plain; name=\"log.txt\"\n"
		  "Content-Disposition: inline; filename=\"C:\\\\Temp\\\\log.txt\"\n"
		  "\n"
		  "ERROR 42\n"
		  "--M\n"
		  "Content-Type: application/pgp-signature; name=signature.asc\n"
		  "\n"
		  "-----BEGIN PGP SIGNATURE-----\n"
		  "--M--\n", &m) == 0) {
		streq("nested: plain text of the alternative", m.text, "See the screenshot.");
		inteq("nested: attachments (inline image, pdf, named text; no signature)",
		      (int64_t)m.nattachments, 3);
		if (m.nattachments == 3) {
			streq("inline image: generated name", m.attachments[0].name, "part-1.png");
			streq("inline image: type", m.attachments[0].content_type, "image/png");
			check(m.attachments[0].size == 8 &&
			      memcmp(m.attachments[0].data, "\x89PNG\r\n\x1a\n", 8) == 0,
			      "inline image: decoded", NULL);
			streq("RFC 2231 file name", m.attachments[1].name, "résumé.pdf");
			streq("pdf type", m.attachments[1].content_type, "application/pdf");
			check(m.attachments[1].size == 9 &&
			      memcmp(m.attachments[1].data, "%PDF-1.4\n", 9) == 0, "pdf decoded", NULL);
			streq("a path in a file name is dropped", m.attachments[2].name, "log.txt");
			/* the line end before a boundary belongs to the boundary */
			check(m.attachments[2].size == 8 &&
			      memcmp(m.attachments[2].data, "ERROR 42", 8) == 0,
			      "named text part kept whole", NULL);
		}
		all_clean("nested: clean", &m);
		inc_mail_free(&m);
	}

	/* Apple Mail splits text around an inline image: both halves are text */
	if (parse("From: a@example.com\n"
		  "Content-Type: multipart/mixed; boundary=M\n"
		  "\n"
		  "--M\n"
		  "Content-Type: text/plain\n"
		  "\n"
		  "Before the picture.\n"
		  "--M\n"
		  "Content-Type: image/jpeg; name=photo.jpg\n"
		  "Content-Disposition: inline; filename=photo.jpg\n"
		  "Content-Transfer-Encoding: base64\n"
		  "\n"
		  "/9j/\n"
		  "--M\n"
		  "Content-Type: text/plain\n"
		  "\n"
		  "After the picture.\n"
		  "--M--\n", &m) == 0) {
		streq("mixed: inline text parts joined", m.text,
		      "Before the picture.\n\nAfter the picture.");
		check(m.nattachments == 1 && strcmp(m.attachments[0].name, "photo.jpg") == 0,
		      "mixed: inline image is an attachment", NULL);
		inc_mail_free(&m);
	}
}

static void
test_html(void)
{
	struct inc_mail m;
	char *t;

	if (parse("From: a@example.com\n"
		  "Subject: html\n"
		  "Content-Type: text/html; charset=iso-8859-1\n"
		  "Content-Transfer-Encoding: quoted-printable\n"
		  "\n"
		  "<html><head><meta charset=3D\"windows-1251\"><title>Ticket</title>\n"
		  "<style>p { color: red }</style><script>alert('head')</script></head>\n"
		  "<body><p>Dear&nbsp;support,</p>\n"
		  "<p>The   VPN\n fails &amp; I get &lt;error 809&gt; &eacute;t=E9.</p>\n"
		  "<ul><li>Windows 11</li><li>Client <b>5.2</b></li></ul>\n"
		  "<script type=3D\"text/javascript\">document.write('evil')</script>\n"
		  "<div>Line1<br>Line2</div>\n"
		  "<p>See <a href=3D\"https://status.example.com/x\">status page</a> or\n"
		  "<a href=3D\"mailto:ops@example.com\">ops@example.com</a>.</p>\n"
		  "</body></html>\n", &m) == 0) {
		streq("html only: readable text", m.text,
		      "Dear support,\n\n"
		      "The VPN fails & I get <error 809> été.\n\n"
		      "- Windows 11\n"
		      "- Client 5.2\n\n"
		      "Line1\nLine2\n\n"
		      "See status page <https://status.example.com/x> or ops@example.com.");
		check(!contains(m.text, "evil") && !contains(m.text, "alert") &&
		      !contains(m.text, "color"), "html only: script and style dropped", m.text);
		inc_mail_free(&m);
	}

	{
		const char *h = "<ol><li>one<ul><li>sub</li></ul></li><li>two</li></ol>"
				"<table><tr><td>Server</td><td>Status</td></tr>"
				"<tr><td>db1</td><td>down</td></tr></table>"
				"<pre>  keep   this\n    indented</pre>"
				"<hr><h1>Title</h1>text";

		t = inc_mail_html_text(h, strlen(h));
		streq("html: lists, table, pre, hr, heading", t,
		      "1. one\n  - sub\n2. two\n\n"
		      "Server Status\ndb1 down\n\n"
		      "  keep   this\n    indented\n\n"
		      "________________________________\n\n"
		      "Title\n\ntext");
		free(t);
	}
	{
		const char *h = "<div>Fixed, thanks!</div><br>"
				"<div class=\"gmail_quote\">On Fri, 27 Nov 2026 at 10:00, Desk "
				"&lt;desk@example.com&gt; wrote:<br>"
				"<blockquote>Please confirm.<br><br>Line two"
				"<blockquote>deeper</blockquote></blockquote></div>";

		t = inc_mail_html_text(h, strlen(h));
		streq("html: blockquote quoted with >", t,
		      "Fixed, thanks!\n\n"
		      "On Fri, 27 Nov 2026 at 10:00, Desk <desk@example.com> wrote:\n"
		      "> Please confirm.\n>\n> Line two\n>> deeper");
		free(t);
	}
	{
		const char *h = "<ol start=\"3\"><li>c</li><li>d</li></ol><ol><li>a</li></ol>";

		t = inc_mail_html_text(h, strlen(h));
	}
	streq("html: ol start, a new list restarts", t, "3. c\n4. d\n\n1. a");
	free(t);
	{
		/* a long list costs one step per item */
		struct inc_buf b = {0};
		double t0 = seconds();
		char d[32];

		inc_buf_addstr(&b, "<ol>");
		for (int i = 0; i < 50000; i++)
			inc_buf_addstr(&b, "<li>x</li>");
		t = inc_mail_html_text(b.data, b.len);
		snprintf(d, sizeof d, "%.2f s", seconds() - t0);
		check(contains(t, "\n50000. x"), "html: 50000 items numbered", NULL);
		check(seconds() - t0 < 30.0, "html: 50000 items in time", d);
		free(t);
		inc_buf_free(&b);
	}
	t = inc_mail_html_text("", 0);
	streq("html: empty", t, "");
	free(t);
	t = inc_mail_html_text("just text &amp; no tags", strlen("just text &amp; no tags"));
	streq("html: bare text", t, "just text & no tags");
	free(t);
	{
		/* nesting: the walk is iterative; libxml2 itself gives up
		 * past 256 levels, which costs the text, not the process */
		struct inc_buf b = {0};

		for (int i = 0; i < 100; i++)
			inc_buf_addstr(&b, "<div><span>");
		inc_buf_addstr(&b, "deep");
		t = inc_mail_html_text(b.data, b.len);
		streq("html: 200 levels deep", t, "deep");
		free(t);
		for (int i = 0; i < 50000; i++)
			inc_buf_addstr(&b, "<div><blockquote>");
		t = inc_mail_html_text(b.data, b.len);
		check(t != NULL, "html: 100000 levels deep", NULL);
		free(t);
		inc_buf_free(&b);
	}
}

static void
test_forwarded(void)
{
	static const char inner[] =
		"From: Carl Ops <carl@example.org>\n"
		"Date: Thu, 26 Nov 2026 17:00:00 +0000\n"
		"Subject: Disk full on srv-db/01\n"
		"Content-Type: text/plain\n"
		"\n"
		"/var is at 100%.\n";
	struct inc_buf raw = {0};
	struct inc_mail m;

	inc_buf_printf(&raw,
		       "From: Ana <ana@example.com>\n"
		       "Subject: Fwd: Disk full\n"
		       "Content-Type: multipart/mixed; boundary=\"b1\"\n"
		       "\n"
		       "--b1\n"
		       "Content-Type: text/plain; charset=utf-8\n"
		       "\n"
		       "FYI, see below.\n"
		       "--b1\n"
		       "Content-Type: message/rfc822\n"
		       "Content-Disposition: attachment\n"
		       "\n"
		       "%s"
		       "--b1--\n", inner);
	if (parse(raw.data, &m) == 0) {
		streq("forward: text appended under the outer text", m.text,
		      "FYI, see below.\n\n"
		      "---------- Forwarded message ----------\n"
		      "From: Carl Ops <carl@example.org>\n"
		      "Date: Thu, 26 Nov 2026 17:00:00 +0000\n"
		      "Subject: Disk full on srv-db/01\n\n"
		      "/var is at 100%.");
		inteq("forward: one attachment", (int64_t)m.nattachments, 1);
		if (m.nattachments == 1) {
			streq("forward: named after its subject", m.attachments[0].name,
			      "Disk full on srv-db_01.eml");
			streq("forward: type", m.attachments[0].content_type, "message/rfc822");
			check(m.attachments[0].size > 0 &&
			      g_strstr_len((const char *)m.attachments[0].data,
					   (gssize)m.attachments[0].size, "/var is at 100%.") &&
			      g_strstr_len((const char *)m.attachments[0].data,
					   (gssize)m.attachments[0].size, "From: Carl Ops"),
			      "forward: the .eml holds the message", NULL);
		}
		streq("forward: outer subject", m.subject, "Fwd: Disk full");
		inc_mail_free(&m);
	}
	inc_buf_free(&raw);

	/* a sender who wrote a real report keeps it: the forward stays an
	 * attachment only */
	inc_buf_printf(&raw,
		       "From: Ana <ana@example.com>\n"
		       "Subject: Fwd: Disk full\n"
		       "Content-Type: multipart/mixed; boundary=\"b1\"\n"
		       "\n"
		       "--b1\n"
		       "Content-Type: text/plain\n"
		       "\n");
	for (int i = 0; i < 6; i++)
		inc_buf_addstr(&raw, "The database server has been failing since this morning, details follow.\n");
	inc_buf_printf(&raw,
		       "--b1\n"
		       "Content-Type: message/rfc822\n"
		       "\n"
		       "%s"
		       "--b1--\n", inner);
	if (parse(raw.data, &m) == 0) {
		check(!contains(m.text, "Forwarded message") && !contains(m.text, "/var"),
		      "forward: not appended to a long text", NULL);
		check(m.nattachments == 1, "forward: still attached", NULL);
		inc_mail_free(&m);
	}
	inc_buf_free(&raw);
}

/* A deterministic byte stream, so that the attachment is not all zeros. */
static unsigned char *
noise(size_t n)
{
	unsigned char *p = inc_xmalloc(n);
	uint32_t x = 2463534242u;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
	return p;
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_big_attachment(void)
{
	const size_t size = 10u * 1024 * 1024;
	unsigned char *data = noise(size);
	gchar *b64 = g_base64_encode(data, size);
	size_t blen = strlen(b64);
	struct inc_buf raw = {0};
	struct inc_mail m;
	char want[65], got[65], d[64];
	double t0, t;

	inc_buf_addstr(&raw,
		       "From: a@example.com\n"
		       "Subject: big\n"
		       "Content-Type: multipart/mixed; boundary=\"=_b\"\n"
		       "\n"
		       "--=_b\n"
		       "Content-Type: text/plain\n"
		       "\n"
		       "The dump.\n"
		       "--=_b\n"
		       "Content-Type: application/octet-stream; name=core.bin\n"
		       "Content-Disposition: attachment; filename=core.bin\n"
		       "Content-Transfer-Encoding: base64\n"
		       "\n");
	for (size_t i = 0; i < blen; i += 76) {
		inc_buf_add(&raw, b64 + i, blen - i < 76 ? blen - i : 76);
		inc_buf_add(&raw, "\n", 1);
	}
	inc_buf_addstr(&raw, "--=_b--\n");
	g_free(b64);

	t0 = seconds();
	if (parse(raw.data, &m) == 0) {
		t = seconds() - t0;
		inteq("10 MB: one attachment", (int64_t)m.nattachments, 1);
		if (m.nattachments == 1) {
			inteq("10 MB: size", (int64_t)m.attachments[0].size, (int64_t)size);
			inc_mail_sha256_hex(data, size, want);
			inc_mail_sha256_hex(m.attachments[0].data, m.attachments[0].size, got);
			streq("10 MB: sha256", got, want);
			check(m.attachments[0].size == size &&
			      memcmp(m.attachments[0].data, data, size) == 0, "10 MB: bytes", NULL);
		}
		inteq("10 MB: raw size", (int64_t)m.size, (int64_t)raw.len);
		streq("10 MB: text", m.text, "The dump.");
		snprintf(d, sizeof d, "%.2f s", t);
		/* generous: valgrind runs this too (about 0.1 s natively) */
		check(t < 60.0, "10 MB: parse time", d);
		if (getenv("MAIL_TEST_VERBOSE"))
			printf("10 MB attachment parsed in %s\n", d);
		inc_mail_free(&m);
	}
	inc_buf_free(&raw);
	free(data);
}

static void
test_malformed(void)
{
	static const struct {
		const char *raw;
		size_t len;
	} bad[] = {
		{ "", 0 },
		{ "this is not a mail at all\njust some text\n", 41 },
		{ "\x01\x02\x03\xff\xfe garbage", 10 },
		{ "\nonly a body after an empty header\n", 35 },
		{ "\0\0\0\0", 4 },
	};
	struct inc_mail m;
	char err[INC_ERRLEN];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char what[64];

		err[0] = '\0';
		snprintf(what, sizeof what, "malformed %zu refused with a message", i);
		check(inc_mail_parse(bad[i].raw, bad[i].len, &m, err) == -1 && err[0], what, err);
		check(m.text != NULL, "malformed: m still freeable", NULL);
		inc_mail_free(&m);
	}

	/* a header alone is a message: GMime reads whatever has one */
	if (parse("Subject: no body\n", &m) == 0) {
		streq("headers only: subject", m.subject, "no body");
		streq("headers only: empty text", m.text, "");
		check(m.from_addr == NULL && m.message_id == NULL && m.date == INC_NULL,
		      "headers only: absent fields NULL", NULL);
		inc_mail_free(&m);
	}
	/* broken MIME: no closing boundary, bad date, bad From, junk lines */
	if (parse("From: not an address at all\n"
		  "Date: the day after tomorrow\n"
		  "Message-ID: no-brackets@example.com\n"
		  "Content-Type: multipart/mixed; boundary=zz\n"
		  "\n"
		  "--zz\n"
		  "Content-Type: text/plain\n"
		  "\n"
		  "text before the end that never comes\n", &m) == 0) {
		streq("broken MIME: text recovered", m.text, "text before the end that never comes");
		inteq("bad date: null", m.date, INC_NULL);
		streq("message-id without brackets", m.message_id, "no-brackets@example.com");
		check(m.from_addr == NULL, "From without an address: NULL", m.from_addr);
		all_clean("broken: clean", &m);
		inc_mail_free(&m);
	}
	/* a body that is not a header at all after a valid header, binary */
	{
		static const char raw[] = "Subject: bin\nContent-Type: text/plain\n\n\x00\x01\xff\x00tail\n";
		static const char raw8[] =
			"Subject: bin\nContent-Type: text/plain; charset=utf-8\n\n\x00\x01\xff\x00tail\n";

		/* undeclared 8-bit: windows-1252, whose 0xff is a y-diaeresis */
		if (inc_mail_parse(raw, sizeof raw - 1, &m, err) == 0) {
			streq("NUL and binary in an undeclared body", m.text, "\xc3\xbftail");
			inc_mail_free(&m);
		} else
			check(0, "binary body parses", err);
		if (inc_mail_parse(raw8, sizeof raw8 - 1, &m, err) == 0) {
			streq("NUL and binary in a UTF-8 body", m.text, "\xef\xbf\xbdtail");
			inc_mail_free(&m);
		} else
			check(0, "binary UTF-8 body parses", err);
	}
}

static const char *
reason_of(const char *headers)
{
	static char buf[32];
	struct inc_buf raw = {0};
	struct inc_mail m;
	const char *r = "parse error";

	inc_buf_printf(&raw, "%sSubject: x\n\nbody\n", headers);
	if (parse(raw.data, &m) == 0) {
		snprintf(buf, sizeof buf, "%s", m.auto_reason ? m.auto_reason : "(none)");
		r = buf;
		inc_mail_free(&m);
	}
	inc_buf_free(&raw);
	return r;
}

static void
test_auto(void)
{
	static const struct {
		const char *headers, *want;
	} cases[] = {
		{ "From: ana@example.com\n", "(none)" },
		{ "From: ana@example.com\nAuto-Submitted: auto-replied\n", "auto-reply" },
		{ "From: ana@example.com\nAuto-Submitted: auto-generated\n", "auto-reply" },
		{ "From: ana@example.com\nAuto-Submitted: Auto-Replied; owner-email=\"a@b.c\"\n",
		  "auto-reply" },
		{ "From: ana@example.com\nAuto-Submitted: no\n", "(none)" },
		{ "From: ana@example.com\nX-Autoreply: yes\n", "auto-reply" },
		{ "From: ana@example.com\nX-Autorespond: Out of office\n", "auto-reply" },
		{ "From: ana@example.com\nPrecedence: auto_reply\n", "auto-reply" },
		{ "From: ana@example.com\nPrecedence: bulk\n", "auto-reply" },
		{ "From: ana@example.com\nPrecedence: junk\n", "auto-reply" },
		{ "From: ana@example.com\nX-Auto-Response-Suppress: All\n", "auto-reply" },
		{ "From: ana@example.com\nX-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply\n",
		  "(none)" },
		{ "Return-Path: <>\nFrom: Mail Delivery System <mailer@example.com>\n", "bounce" },
		{ "Return-Path: < >\nFrom: someone@example.com\n", "bounce" },
		{ "From: MAILER-DAEMON@mx.example.com\n", "bounce" },
		{ "From: Mail Delivery Subsystem <Mailer-Daemon@mx.example.com>\n", "bounce" },
		{ "From: postmaster@example.com\n", "bounce" },
		{ "From: ana@example.com\nX-Failed-Recipients: nobody@example.com\n", "bounce" },
		{ "From: ana@example.com\nAuto-Submitted: auto-replied\nReturn-Path: <>\n", "bounce" },
		{ "From: ana@example.com\nList-Id: Users <users.lists.example.com>\n", "list" },
		{ "From: ana@example.com\nPrecedence: list\n", "list" },
		{ "From: news@example.com\nPrecedence: bulk\nList-Unsubscribe: <mailto:u@example.com>\n",
		  "list" },
		{ "From: alerts@monitor.example.com\nList-Unsubscribe: <https://x.example.com/u>\n",
		  "(none)" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[160];

		snprintf(what, sizeof what, "auto: %s", cases[i].headers);
		for (char *p = what; *p; p++)
			if (*p == '\n')
				*p = ' ';
		streq(what, reason_of(cases[i].headers), cases[i].want);
	}
}

static void
test_bounce_report(void)
{
	struct inc_mail m;

	if (parse("From: Mail Delivery System <mailer@mx.example.com>\n"
		  "To: ana@example.com\n"
		  "Subject: Undelivered Mail Returned to Sender\n"
		  "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n"
		  "\n"
		  "--R\n"
		  "Content-Type: text/plain\n"
		  "\n"
		  "I'm sorry to have to inform you that your message could not be delivered.\n"
		  "--R\n"
		  "Content-Type: message/delivery-status\n"
		  "\n"
		  "Reporting-MTA: dns; mx.example.com\n"
		  "\n"
		  "Final-Recipient: rfc822; nobody@example.com\n"
		  "Action: failed\n"
		  "--R--\n", &m) == 0) {
		streq("multipart/report delivery-status: bounce", m.auto_reason, "bounce");
		check(contains(m.text, "could not be delivered"), "bounce: human part is the text", m.text);
		inc_mail_free(&m);
	}
	if (parse("From: ana@example.com\n"
		  "Content-Type: multipart/report; report-type=disposition-notification; boundary=R\n"
		  "\n"
		  "--R\n"
		  "Content-Type: text/plain\n"
		  "\n"
		  "Your message was displayed.\n"
		  "--R--\n", &m) == 0) {
		streq("read receipt: auto-reply", m.auto_reason, "auto-reply");
		inc_mail_free(&m);
	}
	/* pipe(8) and mbox envelopes: GMime skips the line, we read it */
	if (parse("From MAILER-DAEMON Fri Nov 27 10:00:00 2026\n"
		  "From: someone@example.com\n"
		  "Subject: x\n\nbody\n", &m) == 0) {
		streq("mbox null sender", m.return_path, "");
		streq("mbox null sender: bounce", m.auto_reason, "bounce");
		inc_mail_free(&m);
	}
	if (parse("From ana@example.com Fri Nov 27 10:00:00 2026\n"
		  "From: Ana <ana@example.com>\n"
		  "Subject: x\n\nbody\n", &m) == 0) {
		streq("mbox envelope sender", m.return_path, "ana@example.com");
		streq("mbox: headers after the envelope", m.subject, "x");
		check(m.auto_reason == NULL, "mbox: a person", m.auto_reason);
		inc_mail_free(&m);
	}
}

static void
test_threading(void)
{
	struct inc_mail m;

	if (parse("From: ana@example.com\n"
		  "Message-ID: <reply-1@example.com>\n"
		  "In-Reply-To: <inc-42.1@desk.example.com> (Desk's message of Fri)\n"
		  "References: <root@example.com>\n"
		  "\t<mid@example.com>   <inc-42.1@desk.example.com>\n"
		  "Subject: Re: [INC-42] Printer\n"
		  "\n"
		  "ok\n", &m) == 0) {
		streq("in-reply-to", m.in_reply_to, "inc-42.1@desk.example.com");
		inteq("references count", (int64_t)m.nreferences, 3);
		if (m.nreferences == 3) {
			streq("references 1", m.references[0], "root@example.com");
			streq("references 2", m.references[1], "mid@example.com");
			streq("references 3", m.references[2], "inc-42.1@desk.example.com");
		}
		inc_mail_free(&m);
	}
	if (parse("From: ana@example.com\n"
		  "In-Reply-To: <first@example.com> <second@example.com>\n"
		  "\n"
		  "ok\n", &m) == 0) {
		streq("in-reply-to: the first of two", m.in_reply_to, "first@example.com");
		inc_mail_free(&m);
	}
}

/* ---- replies ---- */

static void
stripped(const char *what, const char *text, const char *want)
{
	char *got = inc_mail_strip_quoted(text);

	streq(what, got, want);
	free(got);
}

static void
test_strip_quoted(void)
{
	stripped("gmail",
		 "It works again, thanks!\n"
		 "\n"
		 "On Fri, 27 Nov 2026 at 10:00, IT Desk <desk@example.com> wrote:\n"
		 "\n"
		 "> [INC-42] has been resolved.\n"
		 "> \n"
		 "> Reply with CONFIRM\n",
		 "It works again, thanks!");
	stripped("gmail, attribution wrapped over two lines",
		 "CONFIRM 5\n"
		 "\n"
		 "On Fri, Nov 27, 2026 at 10:00 AM IT Service Desk of Example Corp <\n"
		 "desk@example.com> wrote:\n"
		 "> resolved\n",
		 "CONFIRM 5");
	stripped("outlook: -----Original Message-----",
		 "Still broken.\r\n"
		 "\r\n"
		 "Regards,\r\n"
		 "Bob\r\n"
		 "\r\n"
		 "-----Original Message-----\r\n"
		 "From: IT Desk <desk@example.com>\r\n"
		 "Sent: Friday, November 27, 2026 10:00 AM\r\n"
		 "To: Bob <bob@example.com>\r\n"
		 "Subject: [INC-42] resolved\r\n"
		 "\r\n"
		 "Your incident was resolved.\r\n",
		 "Still broken.\n\nRegards,\nBob");
	stripped("outlook: rule, From:, Sent:",
		 "Thanks, confirmed.\n"
		 "\n"
		 "________________________________\n"
		 "From: IT Desk <desk@example.com>\n"
		 "Sent: Friday, November 27, 2026 10:00\n"
		 "To: Bob\n"
		 "Subject: [INC-42] resolved\n"
		 "\n"
		 "Your incident was resolved.\n",
		 "Thanks, confirmed.");
	stripped("outlook: bold From:/Sent: block without a rule",
		 "Done.\n"
		 "\n"
		 "*From:* IT Desk <desk@example.com>\n"
		 "*Sent:* Friday, November 27, 2026 10:00\n"
		 "*To:* Bob\n"
		 "*Subject:* [INC-42] resolved\n"
		 "text\n",
		 "Done.");
	stripped("outlook french: De : / Envoyé :",
		 "C'est réparé.\n"
		 "\n"
		 "De : IT Desk <desk@example.com>\n"
		 "Envoyé : vendredi 27 novembre 2026 10:00\n"
		 "À : Bob\n"
		 "Objet : [INC-42] résolu\n",
		 "C'est réparé.");
	stripped("thunderbird: bottom-posting and a signature",
		 "On 27/11/2026 10:00, IT Desk wrote:\n"
		 "> Can you restart the printer?\n"
		 "\n"
		 "Done, it prints again.\n"
		 "\n"
		 "-- \n"
		 "Ana Lopez\n"
		 "Accounting, ext. 4242\n",
		 "Done, it prints again.");
	stripped("inline reply keeps every answer",
		 "On 27/11/2026 10:00, IT Desk wrote:\n"
		 "> Which floor?\n"
		 "Third.\n"
		 "\n"
		 "> Which model?\n"
		 ">\n"
		 "> (see the label)\n"
		 "HP 4250.\n",
		 "Third.\n\nHP 4250.");
	stripped("apple mail: device line, quoted attribution",
		 "Confirmed, thank you\n"
		 "\n"
		 "Sent from my iPhone\n"
		 "\n"
		 "> On 27 Nov 2026, at 10:00, IT Desk <desk@example.com> wrote:\n"
		 "> \n"
		 "> Resolved.\n",
		 "Confirmed, thank you");
	stripped("french attribution",
		 "Merci !\n"
		 "\n"
		 "Le ven. 27 nov. 2026 à 10:00, IT Desk <desk@example.com> a écrit :\n"
		 "> Résolu.\n",
		 "Merci !");
	stripped("french attribution wrapped",
		 "Merci !\n"
		 "\n"
		 "Le ven. 27 nov. 2026 à 10:00, IT Desk <desk@example.com> a\n"
		 "écrit :\n"
		 "\n"
		 "> Résolu.\n",
		 "Merci !");
	stripped("german attribution",
		 "Danke, geht wieder.\n"
		 "\n"
		 "Am 27.11.2026 um 10:00 schrieb IT Desk <desk@example.com>:\n"
		 "> Gelöst.\n",
		 "Danke, geht wieder.");
	stripped("signature with bare -- (trailing space lost)",
		 "Please check again.\n"
		 "--\n"
		 "Bob\n",
		 "Please check again.");
	stripped("no quote, no signature: unchanged but trimmed",
		 "\n\nLine one\n\n\n\nLine two  \n\n\n",
		 "Line one\n\nLine two");
	stripped("a person's own 'wrote:' line is kept",
		 "The backup job wrote:\n"
		 "> disk full\n"
		 "What does it mean?\n",
		 "The backup job wrote:\nWhat does it mean?");
	stripped("dashes inside a sentence are no signature",
		 "Use -- carefully -- please\n",
		 "Use -- carefully -- please");
	stripped("only quoted text", "> a\n> b\n", "");
	stripped("NULL", NULL, "");
	stripped("empty", "", "");

	/* the whole path: an HTML Gmail reply parsed, then stripped */
	{
		struct inc_mail m;
		char *t;

		if (parse("From: ana@example.com\n"
			  "Content-Type: text/html; charset=utf-8\n"
			  "\n"
			  "<div dir=\"ltr\">confirm 4 quick fix</div><br>"
			  "<div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">"
			  "On Fri, Nov 27, 2026 at 10:00 AM IT Desk &lt;<a href=\"mailto:desk@example.com\">"
			  "desk@example.com</a>&gt; wrote:<br></div>"
			  "<blockquote class=\"gmail_quote\">Your incident is resolved.</blockquote></div>\n",
			  &m) == 0) {
			int rating;
			char *feedback;

			t = inc_mail_strip_quoted(m.text);
			streq("html gmail reply stripped", t, "confirm 4 quick fix");
			check(inc_mail_confirmation(t, &rating, &feedback) == 1 && rating == 4 &&
			      feedback && strcmp(feedback, "quick fix") == 0,
			      "html gmail reply confirms", feedback);
			free(feedback);
			free(t);
			inc_mail_free(&m);
		}
	}
}

/* Outlook's HTML reply: its own text, then a bordered div with a bold
 * From:/Sent:/To:/Subject: block and the original, unquoted. */
static void
test_outlook_html_reply(void)
{
	struct inc_mail m;
	char *t;

	if (parse("From: bob@example.com\n"
		  "Content-Type: text/html; charset=\"us-ascii\"\n"
		  "\n"
		  "<html><body lang=EN-US><div class=WordSection1>"
		  "<p class=MsoNormal>Still not working.<o:p></o:p></p>"
		  "<p class=MsoNormal><o:p>&nbsp;</o:p></p>"
		  "<p class=MsoNormal>Bob<o:p></o:p></p>"
		  "<div style='border:none;border-top:solid #E1E1E1 1.0pt'>"
		  "<p class=MsoNormal><b>From:</b> IT Desk &lt;desk@example.com&gt; <br>"
		  "<b>Sent:</b> Friday, November 27, 2026 10:00 AM<br>"
		  "<b>To:</b> Bob &lt;bob@example.com&gt;<br>"
		  "<b>Subject:</b> [INC-42] resolved<o:p></o:p></p></div>"
		  "<p class=MsoNormal>Your incident was resolved.<o:p></o:p></p>"
		  "</div></body></html>\n", &m) == 0) {
		t = inc_mail_strip_quoted(m.text);
		streq("outlook html reply stripped", t, "Still not working.\n\nBob");
		free(t);
		inc_mail_free(&m);
	}
}

static void
test_ref(void)
{
	static const struct {
		const char *subject;
		int found;
		int64_t id;
	} cases[] = {
		{ "[INC-42] Printer", 1, 42 },
		{ "Re: [inc-7] VPN", 1, 7 },
		{ "RE: AW: Fwd: [Inc-12] x", 1, 12 },
		{ "Re: [INC-42] was [INC-7]", 1, 42 },
		{ "[[INC-5]]", 1, 5 },
		{ "[INC-1][INC-2]", 1, 1 },
		{ "[INC-9223372036854775807] max", 1, INT64_MAX },
		{ "INC-42 without brackets", 0, 0 },
		{ "[INC-] x", 0, 0 },
		{ "[INC-0] zero", 0, 0 },
		{ "[INC-42a] suffix", 0, 0 },
		{ "[INC- 42] space", 0, 0 },
		{ "[INC-42 ] space", 0, 0 },
		{ "[INCIDENT-42]", 0, 0 },
		{ "[INC-99999999999999999999] overflow", 0, 0 },
		{ "[INC-x] then [INC-8]", 1, 8 },
		{ "", 0, 0 },
		{ NULL, 0, 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t id = -1;
		int found = inc_mail_ref(cases[i].subject, &id);
		char what[128];

		snprintf(what, sizeof what, "ref \"%s\"", cases[i].subject ? cases[i].subject : "NULL");
		inteq(what, found, cases[i].found);
		if (cases[i].found)
			inteq(what, id, cases[i].id);
	}
}

static void
test_confirmation(void)
{
	static const struct {
		const char *text;
		int confirmed, rating;
		const char *feedback;
	} cases[] = {
		{ "CONFIRM", 1, 0, NULL },
		{ "confirm", 1, 0, NULL },
		{ "  Confirmed.", 1, 0, NULL },
		{ "CONFIRM 5", 1, 5, NULL },
		{ "Confirm 4 great job", 1, 4, "great job" },
		{ "CONFIRM: 3 - slow but fine", 1, 3, "slow but fine" },
		{ "CONFIRM 5/5", 1, 5, NULL },
		{ "CONFIRM\nThe printer works again.\nThanks Bob!", 1, 0,
		  "The printer works again.\nThanks Bob!" },
		{ "CONFIRM 2\n\nIt took a week.\n", 1, 2, "It took a week." },
		{ "Confirmed, thanks!", 1, 0, "thanks!" },
		{ "*CONFIRM* 5", 1, 5, NULL },
		{ "CONFIRM 6", 1, 0, "6" },
		{ "CONFIRM 10 out of 10", 1, 0, "10 out of 10" },
		{ "CONFIRM 4.5", 1, 0, "4.5" },
		{ "CONFIRM 0", 1, 0, "0" },
		{ "I still can't print", 0, 0, NULL },
		{ "Not confirmed: still broken", 0, 0, NULL },
		{ "confirmation please", 0, 0, NULL },
		{ "confirm2", 0, 0, NULL },
		{ "Please CONFIRM that it works", 0, 0, NULL },
		{ "", 0, 0, NULL },
		{ NULL, 0, 0, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rating = -1;
		char *feedback = (char *)"untouched";
		int got = inc_mail_confirmation(cases[i].text, &rating, &feedback);
		char what[128];

		snprintf(what, sizeof what, "confirmation \"%s\"", cases[i].text ? cases[i].text : "NULL");
		for (char *p = what; *p; p++)
			if (*p == '\n')
				*p = '|';
		inteq(what, got, cases[i].confirmed);
		inteq(what, rating, cases[i].rating);
		streq(what, feedback, cases[i].feedback);
		free(feedback);
	}
}

/* ---- outbound ---- */

static int
has_line(const char *msg, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = msg; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, prefix, n) == 0)
			return 1;
	}
	return 0;
}

/* The header block only: up to the first empty line. */
static char *
headers_of(const char *msg)
{
	const char *e = strstr(msg, "\n\n");
	size_t n = e ? (size_t)(e - msg) + 1 : strlen(msg);
	char *h = inc_xmalloc(n + 1);

	memcpy(h, msg, n);
	h[n] = '\0';
	return h;
}

static void
test_compose(void)
{
	const char *to[] = { "ana@example.com", "bob@example.org" };
	const char *refs[] = { "root@example.com", "reply-1@example.com" };
	const struct inc_mail_header extra[] = {
		{ "Auto-Submitted", "auto-generated" },
		{ "X-Inc-Ref", "INC-42" },
	};
	struct inc_mail_out o = {
		.from_addr = "desk@example.com",
		.from_name = "Service Desk – Zürich",
		.to = to,
		.nto = 2,
		.subject = "[INC-42] Résolu : l'imprimante fonctionne à nouveau, merci de confirmer",
		.body = "Bonjour Ana,\n\nvotre incident est résolu.\n\nReply with CONFIRM.\n",
		.message_id = "inc-42.7@desk.example.com",
		.in_reply_to = "reply-1@example.com",
		.references = refs,
		.nreferences = 2,
		.date = INT64_C(1795773600),
		.headers = extra,
		.nheaders = 2,
	};
	struct inc_buf out = {0};
	char err[INC_ERRLEN] = "";
	struct inc_mail m;
	char *h;

	check(inc_mail_compose(&o, &out, err) == 0, "compose", err);
	if (!out.data)
		return;
	h = headers_of(out.data);
	check(!strchr(out.data, '\r'), "compose: LF line ends", NULL);
	check(has_line(h, "MIME-Version: 1.0"), "compose: MIME-Version", h);
	check(has_line(h, "Content-Type: text/plain; charset=utf-8"), "compose: Content-Type", h);
	check(has_line(h, "Content-Transfer-Encoding: quoted-printable"), "compose: QP for 8-bit", h);
	check(has_line(h, "Message-ID: <inc-42.7@desk.example.com>") ||
	      has_line(h, "Message-Id: <inc-42.7@desk.example.com>"), "compose: Message-ID", h);
	check(has_line(h, "Date: Fri, 27 Nov 2026 10:00:00 +0000"), "compose: Date", h);
	check(has_line(h, "In-Reply-To: <reply-1@example.com>"), "compose: In-Reply-To", h);
	check(has_line(h, "References: <root@example.com> <reply-1@example.com>"),
	      "compose: References", h);
	check(has_line(h, "Auto-Submitted: auto-generated"), "compose: extra header", h);
	check(has_line(h, "X-Inc-Ref: INC-42"), "compose: X-Inc-Ref", h);
	check(has_line(h, "Subject: [INC-42] =?"), "compose: subject encoded", h);
	for (const char *p = h; *p; p++)
		if ((unsigned char)*p >= 0x80) {
			check(0, "compose: headers are 7-bit", h);
			break;
		}
	free(h);

	if (parse(out.data, &m) == 0) {
		streq("round trip: subject", m.subject, o.subject);
		streq("round trip: message-id", m.message_id, o.message_id);
		streq("round trip: in-reply-to", m.in_reply_to, o.in_reply_to);
		check(m.nreferences == 2 && strcmp(m.references[0], refs[0]) == 0 &&
		      strcmp(m.references[1], refs[1]) == 0, "round trip: references", NULL);
		streq("round trip: body", m.text,
		      "Bonjour Ana,\n\nvotre incident est résolu.\n\nReply with CONFIRM.");
		streq("round trip: from", m.from_addr, "desk@example.com");
		streq("round trip: from name", m.from_name, o.from_name);
		check(m.nto == 2 && strcmp(m.to[1], "bob@example.org") == 0, "round trip: to", NULL);
		inteq("round trip: date", m.date, o.date);
		streq("round trip: our own mail is automatic", m.auto_reason, "auto-reply");
		inc_mail_free(&m);
	}
	inc_buf_free(&out);

	/* ASCII and short lines: 7bit; a long line: quoted-printable */
	o.body = "All fine.";
	o.subject = "plain";
	o.from_name = NULL;
	o.in_reply_to = NULL;
	o.nreferences = 0;
	o.nheaders = 0;
	check(inc_mail_compose(&o, &out, err) == 0 &&
	      has_line(out.data, "Content-Transfer-Encoding: 7bit") &&
	      !has_line(out.data, "In-Reply-To:") && !has_line(out.data, "References:") &&
	      has_line(out.data, "From: desk@example.com"), "compose: 7bit, no threading", out.data);
	if (parse(out.data, &m) == 0) {
		streq("7bit round trip", m.text, "All fine.");
		check(m.from_name == NULL, "no display name", m.from_name);
		inc_mail_free(&m);
	}
	inc_buf_free(&out);
	{
		struct inc_buf body = {0};

		for (int i = 0; i < 30; i++)
			inc_buf_addstr(&body, "word ");
		o.body = body.data;
		check(inc_mail_compose(&o, &out, err) == 0 &&
		      has_line(out.data, "Content-Transfer-Encoding: quoted-printable"),
		      "compose: long line is QP", out.data);
		if (parse(out.data, &m) == 0) {
			char *want = g_strstrip(g_strdup(body.data));

			streq("long line round trip", m.text, want);
			g_free(want);
			inc_mail_free(&m);
		}
		inc_buf_free(&out);
		inc_buf_free(&body);
		o.body = "All fine.";
	}

	/* an IDN domain goes out in its ASCII form */
	{
		const char *idn[] = { "ana@bücher.de" };

		o.to = idn;
		o.nto = 1;
		check(inc_mail_compose(&o, &out, err) == 0 &&
		      has_line(out.data, "To: ana@xn--bcher-kva.de"), "compose: IDN as punycode", out.data);
		inc_buf_free(&out);
		o.to = to;
		o.nto = 2;
	}

	/* header injection: CR LF in free text cannot start a header */
	o.subject = "Hello\r\nBcc: victim@evil.example\r\n\r\nbody";
	o.from_name = "Eve\nBcc: x@evil.example";
	o.body = "text\r\n.\r\nmore";
	{
		const struct inc_mail_header inj[] = { { "X-Note", "a\r\nCc: y@evil.example" } };

		o.headers = inj;
		o.nheaders = 1;
		check(inc_mail_compose(&o, &out, err) == 0, "injection: composed", err);
		h = out.data ? headers_of(out.data) : inc_xstrdup("");
		check(!has_line(h, "Bcc:") && !has_line(h, "Cc:") && !has_line(h, "bcc:"),
		      "injection: no Bcc/Cc header", h);
		if (parse(out.data, &m) == 0) {
			streq("injection: subject on one line", m.subject,
			      "Hello Bcc: victim@evil.example body");
			streq("injection: display name on one line", m.from_name,
			      "Eve Bcc: x@evil.example");
			check(m.nto == 2 && m.ncc == 0, "injection: recipients unchanged", NULL);
			streq("body CRLF to LF", m.text, "text\n.\nmore");
			inc_mail_free(&m);
		}
		free(h);
		inc_buf_free(&out);
		o.nheaders = 0;
	}

	/* refusals */
	{
		struct inc_mail_out bad;
		const char *bad_to[] = { "a@x.com, b@y.com" };
		const struct inc_mail_header bcc[] = { { "Bcc", "x@evil.example" } };
		const struct inc_mail_header colon[] = { { "X-A: b\nBcc", "x" } };
		const struct inc_mail_header ctype[] = { { "content-type", "text/html" } };

		bad = o;
		bad.from_addr = "Desk <desk@example.com>";
		check(inc_mail_compose(&bad, &out, err) == -1 && out.len == 0, "refuse: bad from", err);
		bad = o;
		bad.to = bad_to;
		bad.nto = 1;
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: two recipients in one", err);
		bad = o;
		bad.nto = 0;
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: no recipient", err);
		bad = o;
		bad.message_id = "a b@c";
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: message-id with space", err);
		bad.message_id = "<a@b>";
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: message-id with brackets", err);
		bad.message_id = NULL;
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: no message-id", err);
		bad = o;
		bad.date = INC_NULL;
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: no date", err);
		bad = o;
		bad.headers = bcc;
		bad.nheaders = 1;
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: extra Bcc", err);
		bad.headers = colon;
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: header name with colon", err);
		bad.headers = ctype;
		check(inc_mail_compose(&bad, &out, err) == -1, "refuse: extra content-type", err);
		check(out.len == 0, "refusals write nothing", out.data);
		bad = o;
		bad.from_addr = "x\nBcc: y@z.example";
		check(inc_mail_compose(&bad, &out, err) == -1 && !strchr(err, '\n'),
		      "refusal message on one line", err);
		inc_buf_free(&out);

		/* a malformed inbound id only loses the threading */
		bad = o;
		bad.in_reply_to = "bad id\r\nBcc: x@y";
		check(inc_mail_compose(&bad, &out, err) == 0 && !has_line(out.data, "In-Reply-To:") &&
		      !has_line(out.data, "Bcc:"), "bad in-reply-to left out", out.data);
		inc_buf_free(&out);
	}
}

static void
test_address_valid(void)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{ "ana@example.com", 1 },
		{ "Ana.Lopez+it@mail.example.co.uk", 1 },
		{ "o'brien@example.ie", 1 },
		{ "root@localhost", 1 },
		{ "a@b-c.example", 1 },
		{ "ana@bücher.de", 1 },
		{ "ana@xn--bcher-kva.de", 1 },
		{ "jörg@example.de", 0 },
		{ "a@x.com, b@y.com", 0 },
		{ "a@x.com,b@y.com", 0 },
		{ "a@x.com\nBcc: c@z.com", 0 },
		{ "a@x.com\r\n", 0 },
		{ "Ana <ana@example.com>", 0 },
		{ "<ana@example.com>", 0 },
		{ "ana@example.com (Ana)", 0 },
		{ "\"a b\"@example.com", 0 },
		{ "a b@example.com", 0 },
		{ " ana@example.com", 0 },
		{ "ana@example.com ", 0 },
		{ "ana\t@example.com", 0 },
		{ "ana@example", 0 },
		{ "ana@", 0 },
		{ "@example.com", 0 },
		{ "ana", 0 },
		{ "", 0 },
		{ "a@@example.com", 0 },
		{ "a@b@example.com", 0 },
		{ "a.@example.com", 0 },
		{ ".a@example.com", 0 },
		{ "a..b@example.com", 0 },
		{ "a@example..com", 0 },
		{ "a@.example.com", 0 },
		{ "a@example.com.", 0 },
		{ "a@-example.com", 0 },
		{ "a@example-.com", 0 },
		{ "a@[192.0.2.1]", 0 },
		{ "a;b@example.com", 0 },
		{ "group: a@example.com;", 0 },
		{ "a\x01@example.com", 0 },
		{ "a\x7f@example.com", 0 },
		{ "a@exa\xffmple.com", 0 },
		{ NULL, 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[128];

		snprintf(what, sizeof what, "address_valid \"%s\"", cases[i].s ? cases[i].s : "NULL");
		for (char *p = what; *p; p++)
			if ((unsigned char)*p < 0x20)
				*p = '|';
		inteq(what, inc_mail_address_valid(cases[i].s), cases[i].ok);
	}
}

static void
test_sha256(void)
{
	char out[65];

	check(inc_mail_sha256_hex("", 0, out) == 0 &&
	      strcmp(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0,
	      "sha256 of nothing", out);
	check(inc_mail_sha256_hex("abc", 3, out) == 0 &&
	      strcmp(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0,
	      "sha256 of abc", out);
	check(inc_mail_sha256_hex(NULL, 0, out) == 0, "sha256 of NULL, 0", out);
	check(inc_mail_sha256_hex(NULL, 1, out) == -1, "sha256 of NULL, 1 refused", NULL);
}

int
main(void)
{
	inc_mail_init();
	test_plain();
	test_crlf();
	test_charsets();
	test_alternative();
	test_html();
	test_forwarded();
	test_big_attachment();
	test_malformed();
	test_auto();
	test_bounce_report();
	test_threading();
	test_strip_quoted();
	test_outlook_html_reply();
	test_ref();
	test_confirmation();
	test_compose();
	test_address_valid();
	test_sha256();
	inc_mail_shutdown();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

/*
 * import_xes.c - the XES reader (IEEE 1849, the process-mining event log):
 * expat's push parser fed from a fixed buffer; one <trace> is an incident,
 * each of its <event>s one row through the mapping, handed on at </event>.
 * Only the trace's and the event's own attributes are kept (nested ones,
 * lists, the log's metadata, extensions and globals are skipped), so memory
 * holds one event at a time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "inc.h"
#include "import_int.h"

struct xattr {
	struct inc_buf key, val;
	enum imp_type type;
};

struct attrs {
	struct xattr *a;
	size_t n, cap;
};

enum xstate { X_TOP, X_LOG, X_TRACE, X_EVENT, X_DONE };

struct xes_rd {
	const struct inc_import_map *m;
	struct imp_out *out;
	XML_Parser p;
	enum xstate state;
	int skip;		/* depth inside an element skipped whole */
	struct attrs tr, ev;	/* the trace's and the event's attributes */
	long ev_line;
	const char *ev_bad;	/* why the event is refused, or NULL */
	long long events;
	const char **vals, **tvals;
	enum imp_type *types, *ttypes;
	struct imp_extra *extra;
	size_t nextra, capextra;
	int stop;
};

static int
attr_type(const char *el, enum imp_type *t)
{
	static const struct {
		const char *el;
		enum imp_type t;
	} kinds[] = {
		{"string", T_STRING}, {"id", T_STRING}, {"date", T_TIME},
		{"int", T_INTEGER}, {"float", T_NUMBER}, {"boolean", T_BOOLEAN},
	};

	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (strcmp(el, kinds[i].el) == 0) {
			*t = kinds[i].t;
			return 1;
		}
	return 0;
}

static void
stop(struct xes_rd *rd, const char *fmt, const char *arg)
{
	char msg[INC_ERRLEN];

	snprintf(msg, sizeof msg, fmt, arg);
	imp_line_msg(rd->out->err, (long)XML_GetCurrentLineNumber(rd->p), msg);
	rd->stop = 1;
	XML_StopParser(rd->p, XML_FALSE);
}

static void
attrs_add(struct xes_rd *rd, struct attrs *as, const char **atts, enum imp_type t)
{
	const char *key = NULL, *val = NULL;
	struct xattr *x;

	for (size_t i = 0; atts[i]; i += 2) {
		if (strcmp(atts[i], "key") == 0)
			key = atts[i + 1];
		else if (strcmp(atts[i], "value") == 0)
			val = atts[i + 1];
	}
	if (!key)
		return;
	if (!val)
		val = "";
	if (strlen(val) > IMP_FIELD_MAX) {
		rd->ev_bad = "an attribute longer than 16 MiB";
		return;
	}
	if (as->n == as->cap) {
		size_t n = as->cap ? as->cap * 2 : 16;

		as->a = inc_xrealloc(as->a, n * sizeof *as->a);
		memset(as->a + as->cap, 0, (n - as->cap) * sizeof *as->a);
		as->cap = n;
	}
	x = &as->a[as->n++];
	x->key.len = x->val.len = 0;
	inc_buf_addstr(&x->key, key);
	inc_buf_addstr(&x->val, val);
	x->type = t;
}

/* The value of key among as (the last one, should it repeat), or NULL. */
static const struct xattr *
attrs_get(const struct attrs *as, const char *key)
{
	for (size_t i = as->n; i-- > 0; )
		if (strcmp(as->a[i].key.data, key) == 0)
			return &as->a[i];
	return NULL;
}

static int
named(const struct inc_import_map *m, const char *key)
{
	for (size_t i = 0; i < m->nnames; i++)
		if (strcmp(m->names[i], key) == 0)
			return 1;
	for (size_t i = 0; i < m->ntnames; i++)
		if (strcmp(m->tnames[i], key) == 0)
			return 1;
	for (size_t i = 0; i < m->nignore; i++)
		if (strcmp(m->ignore[i], key) == 0)
			return 1;
	return 0;
}

/* What no mapping entry names: an error, or custom values (the event's
 * first, then the trace's). */
static int
extras(struct xes_rd *rd, const struct attrs *as)
{
	const struct inc_import_map *m = rd->m;

	for (size_t i = 0; i < as->n && m->unmapped != UNMAPPED_IGNORE; i++) {
		const struct xattr *x = &as->a[i];

		if (named(m, x->key.data))
			continue;
		if (m->unmapped == UNMAPPED_ERROR) {
			stop(rd, "attribute \"%s\" is in no entry of the mapping "
			     "(map it, or list it in \"ignore\")", x->key.data);
			return -1;
		}
		if (rd->nextra == rd->capextra) {
			rd->capextra = rd->capextra ? rd->capextra * 2 : 16;
			rd->extra = inc_xrealloc(rd->extra, rd->capextra * sizeof *rd->extra);
		}
		rd->extra[rd->nextra].key = x->key.data;
		rd->extra[rd->nextra].val = x->val.data;
		rd->extra[rd->nextra].type = x->type;
		rd->nextra++;
	}
	return 0;
}

static void
event_end(struct xes_rd *rd)
{
	const struct inc_import_map *m = rd->m;
	struct imp_src src = {0};

	rd->events++;
	if (rd->ev_bad) {
		if (imp_refuse(rd->out, rd->ev_line, "%s", rd->ev_bad) < 0) {
			rd->stop = 1;	/* the caller said stop; err is theirs */
			XML_StopParser(rd->p, XML_FALSE);
		}
		return;
	}
	for (size_t k = 0; k < m->nnames; k++) {
		const struct xattr *x = attrs_get(&rd->ev, m->names[k]);

		rd->vals[k] = x ? x->val.data : NULL;
		rd->types[k] = x ? x->type : T_STRING;
	}
	for (size_t k = 0; k < m->ntnames; k++) {
		const struct xattr *x = attrs_get(&rd->tr, m->tnames[k]);

		rd->tvals[k] = x ? x->val.data : NULL;
		rd->ttypes[k] = x ? x->type : T_STRING;
	}
	rd->nextra = 0;
	if (extras(rd, &rd->ev) < 0 || extras(rd, &rd->tr) < 0)
		return;
	src.vals = rd->vals;
	src.types = rd->types;
	src.tvals = rd->tvals;
	src.ttypes = rd->ttypes;
	src.extra = rd->extra;
	src.nextra = rd->nextra;
	src.line = rd->ev_line;
	src.seq = rd->events;
	if (imp_apply(m, &src, rd->out) < 0) {
		rd->stop = 1;	/* the message is the caller's, already in err */
		XML_StopParser(rd->p, XML_FALSE);
	}
}

static void XMLCALL
xes_start(void *data, const XML_Char *el, const XML_Char **atts)
{
	struct xes_rd *rd = data;
	enum imp_type t;

	if (rd->stop)
		return;
	if (rd->skip) {
		rd->skip++;
		return;
	}
	switch (rd->state) {
	case X_TOP:
		if (strcmp(el, "log") != 0) {
			stop(rd, "not an XES log: the root element is <%s>, not <log>", el);
			return;
		}
		rd->state = X_LOG;
		return;
	case X_LOG:
		if (strcmp(el, "trace") == 0) {
			rd->state = X_TRACE;
			rd->tr.n = 0;
			return;
		}
		break;
	case X_TRACE:
		if (strcmp(el, "event") == 0) {
			rd->state = X_EVENT;
			rd->ev.n = 0;
			rd->ev_bad = NULL;
			rd->ev_line = (long)XML_GetCurrentLineNumber(rd->p);
			return;
		}
		if (attr_type(el, &t))
			attrs_add(rd, &rd->tr, atts, t);
		break;
	case X_EVENT:
		if (attr_type(el, &t))
			attrs_add(rd, &rd->ev, atts, t);
		break;
	case X_DONE:
		break;
	}
	rd->skip = 1;	/* everything inside: nested attributes, metadata */
}

static void XMLCALL
xes_end(void *data, const XML_Char *el)
{
	struct xes_rd *rd = data;

	(void)el;
	if (rd->stop)
		return;
	if (rd->skip) {
		rd->skip--;
		return;
	}
	switch (rd->state) {
	case X_EVENT:
		rd->state = X_TRACE;
		event_end(rd);
		break;
	case X_TRACE:
		rd->state = X_LOG;
		break;
	case X_LOG:
		rd->state = X_DONE;
		break;
	default:
		break;
	}
}

static void
attrs_free(struct attrs *as)
{
	for (size_t i = 0; i < as->cap; i++) {
		inc_buf_free(&as->a[i].key);
		inc_buf_free(&as->a[i].val);
	}
	free(as->a);
}

int
imp_read_xes(FILE *in, const struct inc_import_map *m, struct imp_out *out)
{
	struct xes_rd rd = {0};
	int rc = 0;

	rd.m = m;
	rd.out = out;
	rd.p = XML_ParserCreate(NULL);
	if (!rd.p)
		return inc_err(out->err, "out of memory");
	XML_SetUserData(rd.p, &rd);
	XML_SetElementHandler(rd.p, xes_start, xes_end);
	rd.vals = inc_xmalloc((m->nnames + 1) * sizeof *rd.vals);
	rd.types = inc_xmalloc((m->nnames + 1) * sizeof *rd.types);
	rd.tvals = inc_xmalloc((m->ntnames + 1) * sizeof *rd.tvals);
	rd.ttypes = inc_xmalloc((m->ntnames + 1) * sizeof *rd.ttypes);
	for (;;) {
		void *buf = XML_GetBuffer(rd.p, IMP_BLOCK);
		size_t n;
		int done;

		if (!buf) {
			rc = inc_err(out->err, "out of memory");
			break;
		}
		n = fread(buf, 1, IMP_BLOCK, in);
		if (ferror(in)) {
			rc = inc_err(out->err, "line %lu: cannot read: %s",
				     (unsigned long)XML_GetCurrentLineNumber(rd.p),
				     strerror(errno));
			break;
		}
		done = n < IMP_BLOCK;
		if (XML_ParseBuffer(rd.p, (int)n, done) == XML_STATUS_ERROR) {
			if (!rd.stop)
				inc_err(out->err, "line %lu: %s",
					(unsigned long)XML_GetCurrentLineNumber(rd.p),
					XML_ErrorString(XML_GetErrorCode(rd.p)));
			rc = -1;
			break;
		}
		if (done)
			break;
	}
	XML_ParserFree(rd.p);
	attrs_free(&rd.tr);
	attrs_free(&rd.ev);
	free(rd.vals);
	free(rd.types);
	free(rd.tvals);
	free(rd.ttypes);
	free(rd.extra);
	return rc;
}

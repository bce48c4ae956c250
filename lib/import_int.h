/*
 * import_int.h - what the parts of the import reader share, private to
 * import_map.c (the mapping file), import_event.c (one source row or event
 * made into normalized events, and their validation), import_read.c (CSV
 * and JSON lines) and import_xes.c (XES).
 */
#ifndef INC_IMPORT_INT_H
#define INC_IMPORT_INT_H

#include <regex.h>
#include <stdint.h>

#include "inc.h"

/* A field's value, a JSON line, a CSV field or an XES attribute: up to
 * SPEC's 16 MiB per field; a whole event line may hold several. */
#define IMP_FIELD_MAX ((size_t)16 << 20)
#define IMP_LINE_MAX ((size_t)64 << 20)
/* The reading buffer of every reader. */
#define IMP_BLOCK 65536

enum imp_fmt { IMP_CSV, IMP_XES };

/* Value types: AUTO is a string in a CSV, the attribute's own type
 * (int, float, boolean, date) in an XES log. */
enum imp_type { T_AUTO, T_STRING, T_INTEGER, T_NUMBER, T_BOOLEAN, T_TIME };

enum imp_unmapped { UNMAPPED_ERROR, UNMAPPED_IGNORE, UNMAPPED_CUSTOM };

/* "when" bits are 1 << enum inc_status, and W_OPENING is the synthetic
 * opening event. */
#define W_OPENING (1u << INC_NSTATUS)

/* One part of a "format" template: literal text, then a name (or -1). */
struct imp_piece {
	char *lit;
	int name;
};

/* Where a value comes from (see share/import/README.md). */
struct imp_spec {
	enum { SP_NONE, SP_FROM, SP_TRACE, SP_FORMAT, SP_VALUE } kind;
	int *names;		/* FROM: indexes in map->names; TRACE: in tnames */
	size_t nnames;
	struct imp_piece *pieces;	/* FORMAT */
	size_t npieces;
	json_t *value;		/* VALUE */
	json_t *map;		/* source value -> our value, or NULL */
	json_t *dflt;		/* for a value the map lacks, or NULL */
	enum imp_type type;
	unsigned when;		/* status bits, W_OPENING; 0: every event */
	char *label;		/* "state", "impact", "custom.location" */
};

struct imp_field {
	char *name;		/* our field, or the custom key */
	struct imp_spec spec;
};

struct imp_tier {
	regex_t re;
	int tier;
};

/* The fields an event may set, status first: their order in an event. */
#define IMP_NFIELDS 17
int imp_field_rank(const char *name);	/* -1: not a field */
const char *imp_field_name(int rank);

struct inc_import_map {
	char *path;
	enum imp_fmt fmt;
	char *time;		/* strptime form, or NULL: ISO 8601 */
	char **missing;
	size_t nmissing;
	int missing_null;	/* a missing value clears the field */
	enum imp_unmapped unmapped;
	char **ignore;
	size_t nignore;
	struct imp_spec id, at, seq, actor, status;
	struct imp_field *fields;
	size_t nfields;
	const struct imp_field *byrank[IMP_NFIELDS];	/* fields by rank, or NULL */
	struct imp_field *custom;
	size_t ncustom;
	struct imp_tier *tiers;
	size_t ntiers;
	int opening;		/* synthesize an opening event per incident */
	int *open_at;		/* names, the earliest present wins */
	size_t nopen_at;
	struct imp_spec open_actor;
	char *open_status;
	char **open_fields;	/* our field names, or "custom" */
	size_t nopen_fields;
	unsigned char open_has[IMP_NFIELDS];	/* open_fields by rank */
	int open_custom;
	char **names;		/* columns or event attributes the mapping reads */
	size_t nnames;
	char **tnames;		/* XES trace attributes the mapping reads */
	size_t ntnames;
	json_t *root;		/* the file, which owns the maps' JSON */
};

/* One source row or event, as the readers hand it over: values (NULL when
 * absent) indexed like map->names and map->tnames, types for AUTO (XES), and
 * what no mapping entry names, for "unmapped": "custom". */
struct imp_extra {
	const char *key, *val;
	enum imp_type type;
};

struct imp_src {
	const char **vals;
	const enum imp_type *types;	/* NULL: every value a string (CSV) */
	const char **tvals;
	const enum imp_type *ttypes;
	const struct imp_extra *extra;
	size_t nextra;
	long line;		/* where the row or event starts */
	long long seq;		/* the row or event number, seq's default */
};

/* What a reader keeps between rows, and the caller's callback. */
struct imp_out {
	inc_import_fn fn;
	void *arg;
	size_t refused;
	char *last_id;		/* the incident of the last opening event */
	char *err;		/* the caller's, INC_ERRLEN */
};

/* "line N: msg" into err (INC_ERRLEN), msg cut to fit. */
void imp_line_msg(char *err, long line, const char *msg);
/* Refuse a row: fn(NULL) with "line N: msg". 0 go on, -1 stop. */
int imp_refuse(struct imp_out *, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Hand one event to fn (it is released here). 0 go on, -1 stop. */
int imp_emit(struct imp_out *, json_t *event);
/* One row or event through the mapping: 0 go on, -1 stop. */
int imp_apply(const struct inc_import_map *, const struct imp_src *,
	      struct imp_out *);
/* A normalized event from any JSON value: a new object, keys in their
 * documented order, "at" in UTC, "seq" defaulted to dflt_seq; NULL with msg
 * (INC_ERRLEN) when the event is invalid. */
json_t *imp_normalize(json_t *ev, long long dflt_seq, char *msg);
/* Whether v is a valid value of our field name (msg says why not). */
int imp_field_ok(const char *name, const json_t *v, char *msg);
/* Whether name is a field an event may set ("custom" excluded). */
int imp_is_field(const char *name);
/* A source time by the map's "time" form, or ISO 8601 / epoch. */
int imp_time(const struct inc_import_map *, const char *s, int64_t *out);

int imp_read_csv(FILE *, const struct inc_import_map *, struct imp_out *);
int imp_read_xes(FILE *, const struct inc_import_map *, struct imp_out *);
int imp_read_jsonl(FILE *, struct imp_out *);

#endif

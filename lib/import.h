/*
 * import.h - the reading half of inc-import: another desk's event log
 * (a ServiceNow CSV export, an XES process-mining log, a helpdesk CSV, or
 * inc's own JSON lines) read as one stream of normalized events, one JSON
 * object per event:
 *
 *	{"id":"INC0000045","at":"2016-02-29T01:16:00Z","seq":3,
 *	 "actor":"Updated by 21","status":"in_progress","group":"Group 56",
 *	 "tier":1,"assignee":"Resolver 5",...,"custom":{"made_sla":true}}
 *
 * The source's values are turned into inc's by a mapping file (JSON,
 * share/import/README.md). The readers stream: a fixed read buffer, one
 * row or event in memory at a time, whatever the length of the log.
 */
#ifndef INC_IMPORT_H
#define INC_IMPORT_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/*
 * Called once per normalized event, in file order. event is borrowed: take
 * a reference (json_incref) to keep it past the call. Return 0 to go on,
 * -1 (with err, INC_ERRLEN bytes) to stop the reading.
 *
 * A refused row or event (an unknown state, a bad time, a wrong type) is
 * reported through the same callback with event == NULL and err holding
 * the message, "line 12: unknown state \"Foo\"": return 0 to go on (the
 * row is counted in *refused), or -1 to stop (err then says why).
 */
typedef int (*inc_import_fn)(json_t *event, void *arg, char *err);

/* A loaded, validated mapping file. */
struct inc_import_map;

/* NULL with err ("PATH: status.map.\"Foo\": ...") when the file cannot be
 * read or is not a valid mapping. */
struct inc_import_map *inc_import_map_load(const char *path, char *err);
/* The same from a JSON text; name stands for the path in messages. */
struct inc_import_map *inc_import_map_parse(const char *text, const char *name,
					    char *err);
void inc_import_map_free(struct inc_import_map *);

/*
 * Reads in (to its end) as format: "servicenow", "helpdesk" or "csv" (a CSV
 * file with a header line), "xes", or "jsonl" (the normalized events
 * themselves, validated: map may be NULL and is not used). Calls fn once
 * per event, in file order. *refused (may be NULL) counts the rows or
 * events refused and reported through fn.
 *
 * Returns 0 when the whole input was read (some rows may have been
 * refused), -1 with err when the reading stopped: fn returned -1, the
 * input cannot be read or parsed any further (malformed XML, an unclosed
 * CSV quote, a field over 16 MiB), or the input does not fit the mapping
 * (a column the mapping names is not in the header). Errors name the line.
 */
int inc_import_read(FILE *in, const char *format, const struct inc_import_map *map,
		    inc_import_fn fn, void *arg, size_t *refused, char *err);

#endif

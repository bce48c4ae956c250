/*
 * config_mut_fuzz.c - structure-aware libFuzzer harness for the config
 * loader: the input is not a config but a list of edits to the shipped one
 * (share/config.json, or INC_FUZZ_CONFIG), so that every run is valid JSON
 * and gets past the syntax into validation and into what the tools do with
 * a config that loads (config_use.h). Each edit reads from the input:
 *
 *   byte    what to do (below)
 *   2 bytes which node of the tree (depth-first order, the root excluded)
 *   ...     the operand: a dictionary word, input bytes, a number, another
 *           node
 *
 * replace the node by a word, by input text, by an integer, by a scalar, by
 * a copy of another node, or by an empty container; delete it; add a key
 * (a word) or an element to it. Up to 16 edits, then the tree is dumped and
 * loaded as "fuzz.json". Invariants: those of config_use.h.
 */
#define _GNU_SOURCE
#include "fuzz.h"
#include "config_use.h"

/* the shipped config's text, read once: the one global */
static char *shipped;
static size_t shipped_len;

static const char *const words[] = {
	/* keys */
	"levels", "priority_matrix", "defaults", "categories", "rules", "groups", "people",
	"calendars", "sla", "escalation", "closure_codes", "reopen_window", "impact",
	"urgency", "priority", "group", "subcategories", "form", "required", "match", "set",
	"subject", "description", "text", "requester", "source", "category", "subcategory",
	"major", "name", "email", "role", "skills", "available", "max_open", "tier",
	"manager", "escalate_to", "strategy", "members", "timezone", "hours", "holidays",
	"mon", "tue", "wed", "thu", "fri", "sat", "sun", "response", "resolve", "calendar",
	"warn", "on", "after", "action", "notify", "status", "assignee",
	/* values */
	"high", "medium", "low", "critical", "network", "hardware", "access", "service",
	"vpn", "printer", "outage", "service-desk", "l2-infra", "l3-network", "alice",
	"maria", "omar", "root", "technician", "admin", "requester", "incident_manager",
	"process_owner", "round_robin", "least_loaded", "skills", "response_warning",
	"response_breached", "resolve_warning", "resolve_breached", "notify", "functional",
	"hierarchical", "a@example.com", "24x7", "office-berlin", "UTC", "Etc/UTC",
	"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu",
	"America/St_Johns", "Pacific/Kiritimati", "Etc/GMT+12", "Europe/Dublin",
	"Africa/Casablanca", "posixrules", "Factory", "zone.tab", "../../etc/passwd",
	"09:00-17:00", "00:00-24:00", "22:00-24:00", "00:00-06:00", "00:00-00:01",
	"23:59-24:00", "02:00-03:00", "12-25", "02-29", "01-01", "2026-03-29", "2026-10-25",
	"2026-12-24", "2000-02-30", "0s", "1s", "90s", "15m", "4h", "16h", "1d", "1w",
	"1h30m", "2305843009213693951", "99999999999999999999", "(a+)+$", "(?i)vpn", "[",
	"\\", "(*LIMIT_MATCH=1)x", "\\p{L}+", "(?=a)*", "", "x", "fixed", "cancelled",
};
#define NWORDS (sizeof words / sizeof words[0])

static const int64_t ints[] = {
	0, 1, 2, -1, 3, 7, 24, 59, 60, 3600, 86400, 604800, 1000000, INT32_MAX,
	(int64_t)INT32_MAX + 1, INT64_MAX / 4, INT64_MAX, INT64_MIN, INT64_MIN + 1,
};

static const double reals[] = {0.0, 0.5, 0.75, 1.0, 1e-300, 1.0000001, -0.5, 1e300};

struct src {
	const uint8_t *p;
	size_t n;
};

static unsigned
take(struct src *s, int bytes)
{
	unsigned v = 0;

	for (int i = 0; i < bytes && s->n; i++, s->p++, s->n--)
		v = v << 8 | *s->p;
	return v;
}

/* A node of the tree: its parent and where in it. */
struct slot {
	json_t *parent, *value;
	const char *key;	/* parent an object */
	size_t index;		/* parent an array */
};

struct slots {
	struct slot *v;
	size_t n, cap;
};

static void
collect(struct slots *s, json_t *parent)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_object(parent)) {
		json_object_foreach(parent, k, v) {
			if (s->n == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 256;
				s->v = inc_xrealloc(s->v, s->cap * sizeof *s->v);
			}
			s->v[s->n++] = (struct slot){parent, v, k, 0};
			collect(s, v);
		}
	} else if (json_is_array(parent)) {
		json_array_foreach(parent, i, v) {
			if (s->n == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 256;
				s->v = inc_xrealloc(s->v, s->cap * sizeof *s->v);
			}
			s->v[s->n++] = (struct slot){parent, v, NULL, i};
			collect(s, v);
		}
	}
}

/* Put v (stolen) where slot is. */
static void
put(const struct slot *sl, json_t *v)
{
	if (!v)
		return;
	if (sl->key)
		json_object_set_new(sl->parent, sl->key, v);
	else
		json_array_set_new(sl->parent, sl->index, v);
}

static void
edit(json_t *root, struct src *in)
{
	struct slots s = {0};
	const struct slot *sl;
	unsigned op = take(in, 1) % 10, which = take(in, 2);

	collect(&s, root);
	if (!s.n) {
		free(s.v);
		return;
	}
	sl = &s.v[which % s.n];
	switch (op) {
	case 0:
	case 1:
		put(sl, json_string(words[take(in, 1) % NWORDS]));
		break;
	case 2: {
		size_t len = take(in, 1) % 24;
		char *t = fuzz_utf8(in->p, len < in->n ? len : in->n);

		in->p += len < in->n ? len : in->n;
		in->n -= len < in->n ? len : in->n;
		put(sl, json_string(t));
		free(t);
		break;
	}
	case 3: {
		unsigned k = take(in, 1);
		uint64_t hi, lo;

		if (k < 128) {
			put(sl, json_integer(ints[k % (sizeof ints / sizeof ints[0])]));
			break;
		}
		hi = take(in, 4);
		lo = take(in, 4);
		put(sl, json_integer((json_int_t)(hi << 32 | lo)));
		break;
	}
	case 4: {
		unsigned k = take(in, 1) % 11;

		put(sl, k < 8 ? json_real(reals[k]) : k == 8 ? json_true() :
		    k == 9 ? json_false() : json_null());
		break;
	}
	case 5:
		put(sl, json_deep_copy(s.v[take(in, 2) % s.n].value));
		break;
	case 6:
		if (sl->key)
			json_object_del(sl->parent, sl->key);
		else
			json_array_remove(sl->parent, sl->index);
		break;
	case 7:
		put(sl, take(in, 1) & 1 ? json_object() : json_array());
		break;
	case 8:
	case 9: {
		/* grow the node: a key of the dictionary, or one more element */
		json_t *v = take(in, 1) & 1 ? json_string(words[take(in, 1) % NWORDS]) :
			    json_deep_copy(s.v[take(in, 2) % s.n].value);

		if (json_is_object(sl->value))
			json_object_set_new(sl->value, words[take(in, 1) % NWORDS], v);
		else if (json_is_array(sl->value))
			json_array_append_new(sl->value, v);
		else
			json_decref(v);
		break;
	}
	}
	free(s.v);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *where;

	(void)argc;
	(void)argv;
	shipped = fuzz_config_text(&shipped_len, &where);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct src in = {data, size};
	json_t *root = json_loadb(shipped, shipped_len, 0, NULL);
	char *text;

	FUZZ_CHECK(root, "the shipped config is not JSON");
	for (int i = 0; i < 16 && in.n; i++)
		edit(root, &in);
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (text)
		fuzz_config_try(text, strlen(text));
	free(text);
	return 0;
}

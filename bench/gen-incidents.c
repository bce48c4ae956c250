/*
 * gen-incidents - write N realistic incident JSON lines for inc-log, the
 * same lines for the same N and SEED on every machine.
 *
 *	gen-incidents [--profile desk|issue15] [--offset K] N [SEED] > incidents.jsonl
 *
 * The mix is what a service desk sees: mail, portal, phone, chat and
 * monitoring alerts about VPN, Wi-Fi, printers, passwords, mail, laptops
 * and outages, so that inc-classify's shipped rules hit about as often as
 * they would for real. Some callers name a category themselves (hardware
 * ones with the form's asset_tag), some send impact and urgency, fields of
 * their own (into custom) and links; every mail, portal, chat, API and
 * monitoring line carries a unique external_id; most lines carry a
 * created_at spread over the year before 2026-11-27 (an import of
 * history), the rest are logged "now".
 *
 * Profile "issue15" is the input issue 15 measured against its reference
 * loader (loader15.c): the same mix of topics, sources, categories and
 * times, but every line carries a unique external_id, a custom object of
 * exactly two keys and a description of 10 to 70 words; no links and no
 * top-level fields inc does not know. About 490 bytes a line.
 *
 * --offset K numbers the lines from K instead of 0: the same lines, but for
 * their external_id (the same input again, as new incidents).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: tiny, fast, and the same sequence everywhere */
struct rng {
	uint64_t s;
};

static uint64_t
next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static unsigned
pick(struct rng *r, unsigned n)
{
	return (unsigned)((next(r) >> 32) * n >> 32);
}

/* true with probability pct/100 */
static int
chance(struct rng *r, unsigned pct)
{
	return pick(r, 100) < pct;
}

#define N_(a) (sizeof(a) / sizeof((a)[0]))

enum src { S_EMAIL, S_WEB, S_PHONE, S_CHAT, S_API, S_MON };
static const char *const src_name[] = {"email", "web", "phone", "chat", "api", "monitoring"};

/*
 * What people (and monitors) write. %s is a place, a host or an
 * application, filled from the lists below; cat/sub is the category a
 * caller who names one would give (NULL: callers do not).
 */
struct topic {
	const char *subject, *cat;
	unsigned weight;	/* relative frequency */
	char fill;		/* what %s is: Place, App, Dept, Host (monitoring only) */
};

static const struct topic topics[] = {
	{"VPN disconnects every few minutes", "network/vpn", 6, 0},
	{"Cannot connect to VPN from home", "network/vpn", 6, 0},
	{"VPN tunnel to the %s office is down", "network/vpn", 2, 'P'},
	{"Wi-Fi very slow in %s", "network/wifi", 5, 'P'},
	{"Wireless keeps dropping on my laptop", "network/wifi", 3, 0},
	{"No network on the desk port in %s", "network/lan", 2, 'P'},
	{"Password reset please", "access/password", 8, 0},
	{"Locked out of my account", "access/password", 5, 0},
	{"Password expired, cannot log in to %s", "access/password", 3, 'A'},
	{"Need access to the %s share", "access/account", 4, 'D'},
	{"New starter in %s needs an account", "access/account", 2, 'D'},
	{"Printer in %s is jammed", "hardware/printer", 4, 'P'},
	{"Printer in %s out of toner", "hardware/printer", 3, 'P'},
	{"Laptop will not boot", "hardware/laptop", 4, 0},
	{"Laptop battery swelling", "hardware/laptop", 1, 0},
	{"Laptop screen cracked", "hardware/laptop", 1, 0},
	{"Second monitor flickering", "hardware/monitor", 2, 0},
	{"Email not syncing on my phone", "email", 5, 0},
	{"Outlook keeps asking for my credentials", "email", 3, 0},
	{"Mailbox full, cannot send", "email", 3, 0},
	{"Mails to external addresses bounce", "email", 2, 0},
	{"%s outage: all users get error 500", "service/outage", 1, 'A'},
	{"%s is down for everyone", "service/outage", 1, 'A'},
	{"%s very slow since this morning", "service/degradation", 3, 'A'},
	{"Teams calls drop after a minute", NULL, 3, 0},
	{"Excel crashes when opening \"Budget 2027.xlsx\"", NULL, 2, 0},
	{"Request: install %s on my laptop", NULL, 3, 'A'},
	{"Shared calendar of %s not updating", NULL, 1, 'D'},
	{"Phone handset has no dial tone", NULL, 1, 0},
	{"Cannot open attachments in %s", NULL, 1, 'A'},
	{"[ALERT] Disk usage above 90%% on %s", NULL, 4, 'H'},
	{"[ALERT] CPU load high on %s", NULL, 3, 'H'},
	{"[ALERT] HTTP check failed for %s", NULL, 2, 'H'},
	{"[ALERT] %s unreachable (ping)", NULL, 2, 'H'},
	{"[ALERT] Backup job failed on %s", NULL, 1, 'H'},
	{"[ALERT] Certificate expires in 7 days on %s", NULL, 1, 'H'},
};

static const char *const places[] = {"Berlin", "Munich", "Hamburg", "Vienna", "Zurich",
	"building B", "the 3rd floor", "meeting room Orion", "the warehouse", "Lyon"};
static const char *const apps[] = {"SAP", "Salesforce", "Intranet", "Jira",
	"Confluence", "Workday", "CRM", "Payroll", "Ticket portal", "Zoom"};
static const char *const hosts[] = {"srv-db-01", "srv-db-02", "web-03", "web-07",
	"fs-01", "mail-02", "k8s-node-11", "backup-01", "https://intranet.example.com",
	"lb-edge-2"};

static const char *const sentences[] = {
	"It started this morning after the update.",
	"Rebooting did not help.",
	"This blocks my work, I have a customer call at 14:00.",
	"Colleagues next to me have the same problem.",
	"Error message: \"The operation timed out\".",
	"I tried another browser, same result.",
	"Happens only when working from home.",
	"It worked fine yesterday.",
	"Please call me back on my mobile.",
	"Screenshot attached.",
	"Urgent: month-end closing depends on it.",
	"Not urgent, whenever you have time.",
	"Ticket reopened from last week, problem is back.",
	"Tried the steps from the knowledge base article.",
	"The whole team is affected.",
};

static const char *const first[] = {"anna", "ben", "clara", "david", "elena", "felix",
	"greta", "hugo", "ines", "jonas", "karin", "lukas", "mia", "noah", "olga", "paul",
	"quentin", "rosa", "stefan", "tanja", "ulrich", "vera", "walter", "xenia", "yusuf",
	"zoe", "amir", "bianca", "carlos", "dmitri", "eva", "fatima", "georg", "hana",
	"ivan", "julia", "kemal", "lena", "marco", "nina"};
static const char *const last[] = {"mueller", "schmidt", "schneider", "fischer", "weber",
	"meyer", "wagner", "becker", "schulz", "hoffmann", "koch", "richter", "klein",
	"wolf", "neumann", "schwarz", "zimmermann", "braun", "krueger", "hofmann",
	"hartmann", "lange", "schmitt", "werner", "krause", "meier", "lehmann", "huber",
	"kaya", "nowak", "rossi", "garcia", "novak", "yilmaz", "jensen", "dubois", "silva",
	"petrov", "ivanova", "kim"};
static const char *const levels[] = {"high", "medium", "low"};
static const char *const depts[] = {"finance", "sales", "hr", "engineering", "logistics",
	"legal", "marketing", "support"};

/* A JSON string, escaped. */
static void
put_str(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putc('\\', f);
		putc(*s, f);
	}
	putc('"', f);
}

static void
key(FILE *f, const char *k, int *n)
{
	fprintf(f, "%s\"%s\":", (*n)++ ? "," : "", k);
}

static const struct topic *
draw_topic(struct rng *r, int monitoring)
{
	unsigned total = 0, x;
	size_t i;

	for (i = 0; i < N_(topics); i++)
		if ((topics[i].fill == 'H') == monitoring)
			total += topics[i].weight;
	x = pick(r, total);
	for (i = 0; i < N_(topics); i++) {
		if ((topics[i].fill == 'H') != monitoring)
			continue;
		if (x < topics[i].weight)
			break;
		x -= topics[i].weight;
	}
	return &topics[i];
}

static const char *
filler(struct rng *r, const struct topic *t)
{
	switch (t->fill) {
	case 'P': return places[pick(r, N_(places))];
	case 'A': return apps[pick(r, N_(apps))];
	case 'D': return depts[pick(r, N_(depts))];
	case 'H': return hosts[pick(r, N_(hosts))];
	default: return "";
	}
}

/* Epoch seconds as "YYYY-MM-DDTHH:MM:SS" (civil_from_days, Howard Hinnant). */
static void
civil(int64_t t, char *buf, size_t len)
{
	int64_t days = t / 86400, secs = t % 86400;
	int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	snprintf(buf, len, "%04" PRId64 "-%02" PRId64 "-%02" PRId64 "T%02" PRId64 ":%02"
		 PRId64 ":%02" PRId64, y, m, d, secs / 3600, secs / 60 % 60, secs % 60);
}

/* Mostly UTC, some with a Berlin offset as a mailer writes it, some epoch
 * seconds as an API sends them: inc-log reads all three. */
static void
put_time(FILE *f, int64_t t, unsigned style)
{
	char b[64];

	if (style < 17) {
		civil(t, b, sizeof b);
		fprintf(f, "\"%sZ\"", b);
	} else if (style < 19) {
		civil(t + 3600, b, sizeof b);
		fprintf(f, "\"%s+01:00\"", b);
	} else {
		fprintf(f, "%" PRId64, t);
	}
}

static enum src
draw_source(struct rng *r)
{
	unsigned x = pick(r, 100);

	if (x < 34)
		return S_EMAIL;
	if (x < 58)
		return S_WEB;
	if (x < 78)
		return S_PHONE;
	if (x < 88)
		return S_CHAT;
	if (x < 92)
		return S_API;
	return S_MON;
}

/* Line i of n (its place in the year of history); id numbers its external_id. */
static void
incident(FILE *f, struct rng *r, uint64_t i, uint64_t id, uint64_t n, uint64_t seed)
{
	const int64_t end = 1795773600, start = end - 365 * 86400;	/* 2026-11-27T10:00Z */
	enum src s = draw_source(r);
	const struct topic *t = draw_topic(r, s == S_MON);
	const char *fn = first[pick(r, N_(first))], *ln = last[pick(r, N_(last))];
	char subject[256];
	int k = 0;

	fputc('{', f);
	key(f, "subject", &k);
	snprintf(subject, sizeof subject, t->subject, filler(r, t));
	put_str(f, subject);
	if (s == S_MON) {
		key(f, "description", &k);
		fprintf(f, "\"Trigger: %s. Severity: high. Problem started %u minutes ago.\"",
			subject + 8, 1 + pick(r, 30));
	} else if (chance(r, 80)) {
		unsigned ns = 1 + pick(r, 3), s0 = pick(r, N_(sentences)), step = 1 + pick(r, 4);
		char d[1024] = "";

		/* up to three different sentences */
		for (unsigned j = 0; j < ns; j++) {
			if (j)
				strcat(d, " ");
			strcat(d, sentences[(s0 + j * step) % N_(sentences)]);
		}
		key(f, "description", &k);
		put_str(f, d);
	}
	key(f, "requester", &k);
	if (s == S_MON)
		fputs("\"zabbix@monitoring.example.com\"", f);
	else if (s == S_PHONE && chance(r, 30))
		fprintf(f, "\"%c%s %c%s\"", fn[0] - 32, fn + 1, ln[0] - 32, ln + 1);
	else
		fprintf(f, "\"%s.%s@example.com\"", fn, ln);
	key(f, "source", &k);
	put_str(f, src_name[s]);
	/* every channel but the phone has a key of its own, unique per line */
	switch (s) {
	case S_EMAIL:
		key(f, "external_id", &k);
		fprintf(f, "\"<%016" PRIx64 ".%" PRIu64 "@mail.example.com>\"", next(r), id);
		break;
	case S_WEB: case S_CHAT: case S_API:
		key(f, "external_id", &k);
		fprintf(f, "\"%s-%" PRIu64 "-%08" PRIu64 "\"", s == S_WEB ? "portal" :
			s == S_CHAT ? "chat" : "api", seed, id);
		break;
	case S_MON:
		key(f, "external_id", &k);
		fprintf(f, "\"zbx-%" PRIu64 "-%" PRIu64 "\"", seed, 10000000 + id);
		break;
	case S_PHONE:
		break;
	}
	if (t->cat && chance(r, 15)) {
		/* a caller who knows the category; hardware needs its form */
		key(f, "category", &k);
		put_str(f, t->cat);
		if (strncmp(t->cat, "hardware", 8) == 0) {
			key(f, "custom", &k);
			fprintf(f, "{\"asset_tag\":\"%s-%04u\"}", strstr(t->cat, "printer") ?
				"PRN" : strstr(t->cat, "monitor") ? "MON" : "LAPTOP", pick(r, 5000));
		}
	}
	if (chance(r, 10)) {
		key(f, "impact", &k);
		put_str(f, levels[pick(r, 3)]);
		key(f, "urgency", &k);
		put_str(f, levels[pick(r, 3)]);
	}
	if (s != S_MON && chance(r, 30)) {
		/* fields inc does not know: they go into custom */
		key(f, "department", &k);
		put_str(f, depts[pick(r, N_(depts))]);
		if (chance(r, 50)) {
			key(f, "phone", &k);
			fprintf(f, "\"+49 30 %07u\"", pick(r, 10000000));
		}
	}
	if (chance(r, 3)) {
		key(f, "links", &k);
		fprintf(f, "[{\"type\":\"%s\",\"ref\":\"%s-%u\"}]", s == S_MON ? "change" :
			"problem", s == S_MON ? "CHG" : "PRB", 1 + pick(r, 900));
	}
	if (chance(r, 90)) {
		/* history in input order, a few minutes of jitter */
		int64_t at = start + (int64_t)((double)i / (double)n * 365 * 86400) +
			(int64_t)pick(r, 600);

		key(f, "created_at", &k);
		put_time(f, at < end ? at : end, pick(r, 20));
	}
	fputs("}\n", f);
}

/*
 * Profile "issue15": n words of description, the lead's first (a monitoring
 * trigger), then sentences of the pool, none naming what the shipped
 * classification rules look for.
 */
static const char *const more[] = {
	"The problem comes and goes during the day.",
	"I have already restarted the computer twice and logged in again.",
	"My manager asked me to open a ticket for this.",
	"It is the same on the laptop and on the desktop in the office.",
	"Could somebody please have a look before the end of the week?",
	"The last time this happened the service desk fixed it remotely.",
	"I am working on a deadline for a client presentation on Monday.",
	"Nothing was changed on my side as far as I know.",
	"The error appears right after signing in with my usual account.",
	"I can provide more details or a screen share if that helps.",
	"Authentication against the application server intermittently fails with timeouts.",
	"Troubleshooting steps attempted: cleared browser cache, reinstalled certificates.",
};

static void
add_words(char *d, size_t *len, size_t cap, const char *src, unsigned *left)
{
	while (*left && *src) {
		while (*src == ' ')
			src++;
		if (!*src)
			break;
		if (*len && *len + 1 < cap)
			d[(*len)++] = ' ';
		while (*src && *src != ' ' && *len + 1 < cap)
			d[(*len)++] = *src++;
		(*left)--;
	}
	d[*len] = '\0';
}

static void
put_description(FILE *f, struct rng *r, const char *lead, unsigned words)
{
	char d[2048];
	size_t len = 0;

	d[0] = '\0';
	if (lead)
		add_words(d, &len, sizeof d, lead, &words);
	while (words) {
		unsigned x = pick(r, N_(sentences) + N_(more));

		add_words(d, &len, sizeof d, x < N_(sentences) ? sentences[x] :
			  more[x - N_(sentences)], &words);
	}
	if (len && !strchr(".!?", d[len - 1]) && len + 1 < sizeof d) {
		d[len++] = '.';
		d[len] = '\0';
	}
	put_str(f, d);
}

static void
incident15(FILE *f, struct rng *r, uint64_t i, uint64_t id, uint64_t n, uint64_t seed)
{
	const int64_t end = 1795773600, start = end - 365 * 86400;	/* 2026-11-27T10:00Z */
	enum src s = draw_source(r);
	const struct topic *t = draw_topic(r, s == S_MON);
	const char *fn = first[pick(r, N_(first))], *ln = last[pick(r, N_(last))];
	const char *fill = filler(r, t), *cat = NULL;
	char subject[256], lead[512];
	int k = 0;

	fputc('{', f);
	key(f, "subject", &k);
	snprintf(subject, sizeof subject, t->subject, fill);
	put_str(f, subject);
	key(f, "description", &k);
	if (s == S_MON) {
		snprintf(lead, sizeof lead, "Trigger: %s. Severity: high. Problem started %u"
			 " minutes ago.", subject + 8, 1 + pick(r, 30));
		put_description(f, r, lead, 10 + pick(r, 61));
	} else {
		put_description(f, r, NULL, 10 + pick(r, 61));
	}
	key(f, "requester", &k);
	if (s == S_MON)
		fputs("\"zabbix@monitoring.example.com\"", f);
	else if (s == S_PHONE && chance(r, 30))
		fprintf(f, "\"%c%s %c%s\"", fn[0] - 32, fn + 1, ln[0] - 32, ln + 1);
	else
		fprintf(f, "\"%s.%s@example.com\"", fn, ln);
	key(f, "source", &k);
	put_str(f, src_name[s]);
	/* every line has a key of its own, the phone's from the call system */
	key(f, "external_id", &k);
	switch (s) {
	case S_EMAIL:
		fprintf(f, "\"<%016" PRIx64 ".%" PRIu64 "@mail.example.com>\"", next(r), id);
		break;
	case S_MON:
		fprintf(f, "\"zbx-%" PRIu64 "-%" PRIu64 "\"", seed, 10000000 + id);
		break;
	default:
		fprintf(f, "\"%s-%" PRIu64 "-%08" PRIu64 "\"", s == S_WEB ? "portal" :
			s == S_CHAT ? "chat" : s == S_API ? "api" : "call", seed, id);
		break;
	}
	if (t->cat && chance(r, 15)) {
		cat = t->cat;
		key(f, "category", &k);
		put_str(f, cat);
	}
	if (chance(r, 10)) {
		key(f, "impact", &k);
		put_str(f, levels[pick(r, 3)]);
		key(f, "urgency", &k);
		put_str(f, levels[pick(r, 3)]);
	}
	/* exactly two keys: a hardware category's form needs its asset_tag */
	key(f, "custom", &k);
	if (cat && strncmp(cat, "hardware", 8) == 0)
		fprintf(f, "{\"asset_tag\":\"%s-%04u\",\"department\":\"%s\"}",
			strstr(cat, "printer") ? "PRN" : strstr(cat, "monitor") ? "MON" :
			"LAPTOP", pick(r, 5000), depts[pick(r, N_(depts))]);
	else if (s == S_MON)
		fprintf(f, "{\"host\":\"%s\",\"trigger_id\":%u}", fill, 10000 + pick(r, 90000));
	else if (chance(r, 50))
		fprintf(f, "{\"department\":\"%s\",\"phone\":\"+49 30 %07u\"}",
			depts[pick(r, N_(depts))], pick(r, 10000000));
	else
		fprintf(f, "{\"cost_center\":\"CC-%04u\",\"site\":\"%s\"}", pick(r, 10000),
			places[pick(r, N_(places))]);
	if (chance(r, 90)) {
		int64_t at = start + (int64_t)((double)i / (double)n * 365 * 86400) +
			(int64_t)pick(r, 600);

		key(f, "created_at", &k);
		put_time(f, at < end ? at : end, pick(r, 20));
	}
	fputs("}\n", f);
}

static int
number(const char *s, unsigned long long *v)
{
	char *end;

	*v = strtoull(s, &end, 10);
	if (*end || !*s || *s == '-') {
		fprintf(stderr, "gen-incidents: %s: not a number\n", s);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const char usage[] =
		"usage: gen-incidents [--profile desk|issue15] [--offset K] N [SEED]\n";
	unsigned long long n, seed = 1, offset = 0;
	int issue15 = 0;
	struct rng r;

	for (; argc > 1 && strncmp(argv[1], "--", 2) == 0; argc--, argv++) {
		if (strcmp(argv[1], "--") == 0) {
			argc--, argv++;
			break;
		}
		if (argc < 3)
			goto bad;
		if (strcmp(argv[1], "--profile") == 0) {
			if (strcmp(argv[2], "issue15") == 0)
				issue15 = 1;
			else if (strcmp(argv[2], "desk") == 0)
				issue15 = 0;
			else
				goto bad;
		} else if (strcmp(argv[1], "--offset") == 0) {
			if (number(argv[2], &offset) < 0)
				return 2;
		} else {
			goto bad;
		}
		argc--, argv++;
	}
	if (argc < 2 || argc > 3)
		goto bad;
	if (number(argv[1], &n) < 0 || (argc == 3 && number(argv[2], &seed) < 0))
		return 2;
	r.s = seed;
	for (uint64_t i = 0; i < n; i++) {
		if (issue15)
			incident15(stdout, &r, i, offset + i, n, seed);
		else
			incident(stdout, &r, i, offset + i, n, seed);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen-incidents: stdout");
		return 1;
	}
	return 0;
bad:
	fputs(usage, stderr);
	return 2;
}

/*
 * mailbox.c - where the mail gateway's messages come from, as bytes: one
 * message read whole up to a size limit (the rest counted, not kept), an
 * mbox split at its "From " lines (mboxrd's ">From " unquoted), and a
 * maildir's messages listed (new/, then cur/ not yet seen) and moved to
 * cur/ with flags once handled. No parsing of the messages themselves:
 * that is mail.c's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inc.h"

int
inc_mail_read(FILE *f, size_t limit, struct inc_buf *out, size_t *size, char *err)
{
	char chunk[65536];
	size_t n;

	out->len = 0;
	*size = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		/* past the limit the bytes are only counted: the pipe is
		 * drained, so that the MTA sees its message taken */
		if (*size < limit)
			inc_buf_add(out, chunk, *size + n <= limit ? n : limit - *size);
		*size += n;
	}
	inc_buf_add(out, "", 0);
	if (ferror(f))
		return inc_err(err, "%s", strerror(errno ? errno : EIO));
	return 0;
}

/* ---- mbox ---- */

struct inc_mbox {
	FILE *f;
	char *line;		/* the line read ahead: the next message's "From " */
	size_t cap;
	ssize_t len;
};

struct inc_mbox *
inc_mbox_open(FILE *f)
{
	struct inc_mbox *mb = inc_xmalloc(sizeof *mb);

	memset(mb, 0, sizeof *mb);
	mb->f = f;
	mb->len = -1;
	return mb;
}

void
inc_mbox_close(struct inc_mbox *mb)
{
	if (!mb)
		return;
	free(mb->line);
	free(mb);
}

static int
from_line(const char *s, ssize_t n)
{
	return n >= 5 && memcmp(s, "From ", 5) == 0;
}

/* ">From ", ">>From ": a body line an mbox writer quoted */
static int
quoted_from(const char *s, ssize_t n)
{
	ssize_t i = 0;

	while (i < n && s[i] == '>')
		i++;
	return i > 0 && from_line(s + i, n - i);
}

int
inc_mbox_next(struct inc_mbox *mb, size_t limit, struct inc_buf *out, size_t *size,
	      char *err)
{
	int blank = 1, any = 0;

	out->len = 0;
	*size = 0;
	if (mb->len < 0)
		mb->len = getline(&mb->line, &mb->cap, mb->f);
	/* anything before the first "From " line is no message */
	while (mb->len >= 0 && !from_line(mb->line, mb->len))
		mb->len = getline(&mb->line, &mb->cap, mb->f);
	while (mb->len >= 0) {
		const char *s = mb->line;
		ssize_t n = mb->len;

		/* a "From " line after a blank one starts the next message */
		if (any && blank && from_line(s, n))
			break;
		if (quoted_from(s, n)) {
			s++;
			n--;
		}
		if (*size < limit)
			inc_buf_add(out, s, *size + (size_t)n <= limit ? (size_t)n : limit - *size);
		*size += (size_t)n;
		any = 1;
		blank = n == 1 || (n == 2 && s[0] == '\r');
		mb->len = getline(&mb->line, &mb->cap, mb->f);
	}
	inc_buf_add(out, "", 0);
	if (ferror(mb->f))
		return inc_err(err, "%s", strerror(errno ? errno : EIO));
	return any;
}

/* ---- maildir ---- */

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The flags of a maildir name ("unique:2,FS" -> "FS"), or "". */
static const char *
flags_of(const char *name)
{
	const char *info = strstr(name, ":2,");

	return info ? info + 3 : "";
}

static int
list_sub(const char *dir, const char *sub, char ***v, size_t *n, char *err)
{
	char path[4096];
	DIR *d;
	struct dirent *e;
	size_t first = *n;

	snprintf(path, sizeof path, "%s/%s", dir, sub);
	if (!(d = opendir(path)))
		return inc_err(err, "%s: %s", path, strerror(errno));
	errno = 0;
	while ((e = readdir(d))) {
		char full[8192];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		/* seen: the gateway (or a person) has dealt with it */
		if (strcmp(sub, "cur") == 0 && strchr(flags_of(e->d_name), 'S'))
			continue;
		snprintf(full, sizeof full, "%s/%s", path, e->d_name);
		if (stat(full, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		*v = inc_xrealloc(*v, (*n + 2) * sizeof **v);
		snprintf(full, sizeof full, "%s/%s", sub, e->d_name);
		(*v)[(*n)++] = inc_xstrdup(full);
		(*v)[*n] = NULL;
		errno = 0;
	}
	if (errno) {
		int e2 = errno;

		closedir(d);
		return inc_err(err, "%s: %s", path, strerror(e2));
	}
	closedir(d);
	/* maildir names begin with the delivery time: name order is
	 * arrival order, near enough */
	qsort(*v + first, *n - first, sizeof **v, by_name);
	return 0;
}

char **
inc_maildir_list(const char *dir, char *err)
{
	char **v = inc_xmalloc(sizeof *v);
	size_t n = 0;

	v[0] = NULL;
	if (list_sub(dir, "new", &v, &n, err) < 0 || list_sub(dir, "cur", &v, &n, err) < 0) {
		inc_maildir_free(v);
		return NULL;
	}
	return v;
}

void
inc_maildir_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

int
inc_maildir_done(const char *dir, const char *path, const char *add, char *err)
{
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *info = strstr(name, ":2,");
	char flags[64], from[8192], to[8192];
	size_t n = 0;

	/* the message's own flags and the new ones, in ASCII order as the
	 * maildir convention wants */
	for (int c = 'A'; c <= 'z'; c++)
		if ((info && strchr(info + 3, c)) || strchr(add, c))
			if (n + 1 < sizeof flags)
				flags[n++] = (char)c;
	flags[n] = '\0';
	snprintf(from, sizeof from, "%s/%s", dir, path);
	snprintf(to, sizeof to, "%s/cur/%.*s:2,%s", dir,
		 (int)(info ? (size_t)(info - name) : strlen(name)), name, flags);
	if (strcmp(from, to) != 0 && rename(from, to) < 0)
		return inc_err(err, "%s: %s", from, strerror(errno));
	return 0;
}

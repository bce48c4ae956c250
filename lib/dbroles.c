/*
 * dbroles.c - identities the server enforces (PostgreSQL): the desk's
 * group roles, their grants and row-level security (inc init), and the
 * people of the config given logins in them (inc db roles). The SQL is
 * migration 010's functions (share/migrations/pg/010-identity.sql); here
 * only the order they are called in, inside one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

/* Only the owner makes roles and grants: say so before the server does. */
static int
owner(struct inc_db *db, const char *what, char *err)
{
	char login[256], msg[INC_ERRLEN];
	enum inc_standing st;
	int rc = inc_db_login(db, login, sizeof login, &st, msg);

	if (rc < 0)
		return inc_err(err, "%s", msg);
	if (rc == 0)
		return inc_err(err, "%s: a SQLite desk has no logins: its file's permissions are"
			       " the boundary", what);
	if (st != INC_LOGIN_OWNER)
		return inc_err(err, "%s: only the database's owner may (logged in as %s)", what,
			       login);
	return 0;
}

/* A login the config lists by name (its logins are its names). */
static int
listed(const struct inc_config *cfg, const char *login)
{
	for (size_t i = 0; i < cfg->npeople; i++)
		if (strcmp(cfg->people[i].name, login) == 0)
			return 1;
	return 0;
}

static int
secure(struct inc_db *db, char *err)
{
	struct inc_sql *q = inc_sql(db, "SELECT inc_secure()");
	int rc = inc_sql_step(q);

	inc_sql_reset(q);
	return rc < 0 ? inc_db_err(db, err) : 0;
}

static int
fail(struct inc_db *db, char *err)
{
	inc_db_err(db, err);
	inc_db_rollback(db);
	return -1;
}

int
inc_db_secure(struct inc_db *db, char *err)
{
	if (owner(db, "roles", err) < 0)
		return -1;
	if (inc_db_begin(db) < 0 || secure(db, err) < 0 || inc_db_commit(db) < 0)
		return fail(db, err);
	return 0;
}

struct did {
	char *login, *role, *did;
};

static void
dids_free(struct did *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].login);
		free(d[i].role);
		free(d[i].did);
	}
	free(d);
}

int
inc_db_roles(struct inc_db *db, const struct inc_config *cfg,
	     void (*fn)(const char *login, const char *role, const char *did, void *arg),
	     void *arg, char *err)
{
	struct inc_sql *set, *all;
	struct did *d = NULL;
	size_t n = 0, cap = 0;
	char **gone = NULL;
	size_t ngone = 0;
	int rc;

	if (owner(db, "db roles", err) < 0)
		return -1;
	if (cfg->npeople == 0)
		return inc_err(err, "db roles: the config lists no people");
	if (inc_db_begin(db) < 0 || secure(db, err) < 0)
		return fail(db, err);
	set = inc_sql(db, "SELECT inc_login(?1, ?2)");
	all = inc_sql(db, "SELECT DISTINCT login FROM inc_logins() ORDER BY 1");
	/* the logins in the desk's groups that the config no longer lists */
	while ((rc = inc_sql_step(all)) > 0) {
		const char *l = inc_sql_col_text(all, 0);

		if (listed(cfg, l))
			continue;
		gone = inc_xrealloc(gone, (ngone + 1) * sizeof *gone);
		gone[ngone++] = inc_xstrdup(l);
	}
	inc_sql_reset(all);
	if (rc < 0)
		goto failed;
	for (size_t i = 0; i < cfg->npeople + ngone; i++) {
		const char *login = i < cfg->npeople ? cfg->people[i].name : gone[i - cfg->npeople];
		const char *role = i < cfg->npeople ? inc_role_name(cfg->people[i].role) : NULL;

		inc_sql_text(set, 1, login);
		inc_sql_text(set, 2, role);
		if ((rc = inc_sql_step(set)) <= 0) {
			inc_sql_reset(set);
			if (rc == 0)
				inc_db_fail(db, INC_DBE_FATAL, "inc_login() returned nothing");
			goto failed;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			d = inc_xrealloc(d, cap * sizeof *d);
		}
		d[n].login = inc_xstrdup(login);
		d[n].role = role ? inc_xstrdup(role) : NULL;
		d[n].did = inc_xstrdup(inc_sql_col_text(set, 0));
		n++;
		inc_sql_reset(set);
	}
	if (inc_db_commit(db) < 0)
		goto failed;
	/* told once committed: what is printed is what the server holds */
	for (size_t i = 0; i < n; i++)
		fn(d[i].login, d[i].role, d[i].did, arg);
	dids_free(d, n);
	for (size_t i = 0; i < ngone; i++)
		free(gone[i]);
	free(gone);
	return 0;
failed:
	dids_free(d, n);
	for (size_t i = 0; i < ngone; i++)
		free(gone[i]);
	free(gone);
	return fail(db, err);
}

/*
 * sla_int.h - the SLA clocks as the library's SLA and escalation modules
 * share them (sla_clock.c computes, sla_store.c keeps, sla_explain.c and
 * escalate.c read): not part of the tools' API.
 */
#ifndef INC_SLA_INT_H
#define INC_SLA_INT_H

#include "inc.h"

struct inc_sla_hold {
	int64_t start, end;	/* end INC_NULL: on hold now */
};

/* An incident's two clocks at `now`. Each counts working seconds of the
 * policy's calendar from created_at, stopped by holds that start before the
 * instant sought and before the target was decided. */
struct inc_sla_clock {
	const struct inc_policy *policy;
	const struct inc_incident *r;
	int64_t now;
	int open;			/* status new, assigned, in_progress, on_hold */
	int64_t target[2], warn[2];	/* working seconds, by enum inc_target */
	int64_t warn_at[2], due[2];	/* instants; INT64_MAX: never */
	int frozen[2], wfrozen[2];	/* an open hold holds due / warning back */
	int64_t decided[2];		/* responded_at, resolved_at, or INC_NULL */
	enum inc_sla_state state[2];
	int64_t paused_s;		/* working seconds on hold that moved the resolve due */
	struct inc_sla_hold *holds;	/* by start; owned */
	size_t nholds;
	const struct inc_escrule *rules;	/* the config's, and when each applies */
	int64_t *rule_at;
	size_t nrules;
	int stored;			/* from the stored instants (inc_sla_clock_stored) */
};

/* Both clocks of r under policy p at now, holds (sorted by start, taken
 * over: freed by inc_sla_clock_free) stopping them. */
void inc_sla_clock_compute(const struct inc_config *, const struct inc_policy *p,
			   const struct inc_incident *r, int64_t now,
			   struct inc_sla_hold *holds, size_t nholds, struct inc_sla_clock *);
/* The clocks as stored, while an edited SLA config waits for inc-sla
 * --recompute: states from the stored warning and due instants; rules
 * delayed by `after` wait. */
void inc_sla_clock_stored(const struct inc_config *, const struct inc_incident *r, int64_t now,
			  struct inc_sla_clock *);
void inc_sla_clock_free(struct inc_sla_clock *);
/* The instant target's clock reaches `amount` working seconds; *frozen set
 * when an open hold holds it back (the instant is not known yet); *nused
 * (may be NULL) gets the number of holds that counted. */
int64_t inc_sla_instant(const struct inc_sla_clock *, int target, int64_t amount, int *frozen,
			int64_t *paused, size_t *nused);
/* Escalation rule e against the clock: the instant after which it applies,
 * or INC_NULL when it cannot apply (not open, target met, held back). */
int64_t inc_sla_rule_at(const struct inc_sla_clock *, const struct inc_escrule *);
/* 1 if e applies now: its instant has passed (strictly) before now and
 * before the target was decided. */
int inc_sla_rule_due(const struct inc_sla_clock *, const struct inc_escrule *);
/* The worse of the two targets: "ok", "warning", "breached", or "met". */
const char *inc_sla_overall(const struct inc_sla_clock *);

/* The clocks of r (which has a policy the config knows) at ctx->now, its
 * holds read from the database. 0, or -1 (err). */
int inc_sla_clock(struct inc_ctx *, const struct inc_incident *, struct inc_sla_clock *,
		  char *err);
/* The same under policy p of config cfg (another config's: inc-sla
 * --what-if), whatever policy r has. */
int inc_sla_clock_with(struct inc_ctx *, const struct inc_config *cfg,
		       const struct inc_policy *p, const struct inc_incident *r,
		       struct inc_sla_clock *, char *err);
#endif

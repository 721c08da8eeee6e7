/* casebase.h - the coded case base of the validation
 * (configs/history/casebase.tsv, docs/validation/codebook.md): reading
 * it, the covariates a hazard regression uses, and the documented mapping
 * from a case's codes to a crisis-model config, whose few free parameters
 * are what calibration fits. */
#ifndef SIM_CASEBASE_H
#define SIM_CASEBASE_H

#include <stddef.h>
#include <stdio.h>

/* The columns of the table, in order. */
enum {
	CB_ID, CB_CASE, CB_FAMILY, CB_CHALLENGER, CB_TARGET, CB_GUARANTORS, CB_START, CB_END,
	CB_EVENT, CB_YEARS,
	CB_GUARANTOR_PRESENT, CB_FORMAL_TREATY, CB_RATIFIED, CB_TROOPS_STATIONED, CB_TROOPS_N,
	CB_PEACEKEEPERS, CB_MONITORS, CB_BUFFER_ZONE, CB_ARMS_SUPPLY, CB_SANCTIONS,
	CB_NUCLEAR_GUARANTOR, CB_BALANCE, CB_STAKES, CB_PRIOR_WAR, CB_DEMOCRACY_GUARANTOR,
	CB_CONFIDENCE, CB_SOURCES, CB_NOTES,
	CB_NCOLUMNS
};

/* The most cases a table may hold. */
#define CB_MAX_CASES 1000

/* One case: its texts (owned), outcome, and codes (NaN where NA). */
struct cb_case {
	char *text[CB_NCOLUMNS];	/* every field as written */
	int event;
	double years;
	double code[CB_NCOLUMNS];	/* the numeric columns */
	int line;
};

struct cb_base {
	size_t n;
	struct cb_case *c;
};

/* Reads the table at PATH into B, reporting each error as
 * "PATH:LINE: error: COLUMN: what" to ERR. Returns 0, or -1 after an
 * error (B is then empty). */
int cb_read(const char *path, struct cb_base *b, FILE *err);

/* Frees what B holds. */
void cb_free(struct cb_base *b);

/* Numbers the pairs of B (the same challenger and target, as written)
 * in the order they first appear: GROUP[i] is case i's. Returns the
 * number of pairs, or 0 when memory runs out. */
size_t cb_pairs(const struct cb_base *b, size_t *group);

/* The covariates of the hazard regression, CB_NCOV per case (0/1 codes,
 * log troops, log balance, stakes), NA as 0 with the missing balance at
 * parity; NAMES[j] names covariate j. */
#define CB_NCOV 13
extern const char *const cb_cov_names[CB_NCOV];
void cb_covariates(const struct cb_case *c, double *x);

/* The free parameters of the crisis mapping, with their defaults. */
enum { CB_P_RATE, CB_P_SD, CB_P_COST, CB_P_TREATY, CB_P_FORCE, CB_P_DECAY, CB_NPAR };
extern const char *const cb_par_names[CB_NPAR];
extern const double cb_par_default[CB_NPAR];

/* Writes to BUF (of SIZE bytes) the crisis-model config of case C under
 * the mapping's parameters P, run to HORIZON years with TRIALS trials
 * (docs/validation/codebook.md, "From codes to a config"). Returns the
 * length, or -1 when BUF is too small. */
int cb_crisis_config(const struct cb_case *c, const double *p, double horizon, long trials,
		     char *buf, size_t size);

/* The same for the commitment model: its slots are max_hazard,
 * temperature, war_cost, treaty_strength and guarantor_force (the sixth
 * has no counterpart). */
int cb_commitment_config(const struct cb_case *c, const double *p, double horizon, long trials,
			 char *buf, size_t size);

/* A mapping from codes to one model's configs: the model's name, the
 * names of its CB_NPAR parameter slots (NULL where a slot means nothing
 * to it), their defaults, and the generator. */
struct cb_mapping {
	const char *model;
	const char *const *names;
	const double *defaults;
	int (*config)(const struct cb_case *c, const double *p, double horizon, long trials,
		      char *buf, size_t size);
};

/* Every mapping, ending with a NULL model; the first is the default. */
extern const struct cb_mapping cb_mappings[];

/* The mapping for MODEL, or NULL. */
const struct cb_mapping *cb_mapping_find(const char *model);

#endif

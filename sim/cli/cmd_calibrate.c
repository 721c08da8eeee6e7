/* cmd_calibrate.c - "sim calibrate": the coded case base through a
 * model's mapping, its free parameters fitted by simulated maximum
 * likelihood, cross-validated and scored beside baseline hazards fitted
 * and scored the same way. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "core/atomic.h"
#include "core/datadir.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "cli/usage.h"
#include "io/output.h"
#include "io/provenance.h"
#include "study/calibrate.h"
#include "study/calscore.h"

#define DEFAULT_BASE "configs/history/casebase.tsv"
#define DEFAULT_FIT "crisis_rate,war_cost"
/* Trials of each case's run: the mappings draw nothing, so an antithetic
 * pair is exact under the conditional estimator. */
#define DEFAULT_TRIALS 2
/* Ridge penalty of the regression baseline's slopes. */
#define RIDGE 2.0
/* Bootstrap resamples of the scores' intervals, and their seed. */
#define RESAMPLES 2000
#define SEED 1
/* Groups of the calibration chart, and its time (years). */
#define GROUPS 4
#define GROUP_TAU 5.0

static const char usage_text[] =
	"usage: sim calibrate [CASEBASE] [--model crisis|commitment] [--fit P1,P2,...]\n"
	"                     [--folds K] [-n TRIALS] [-j THREADS] [-o DIR] [--format FMT]\n\n"
	"Maps every case of CASEBASE (default " DEFAULT_BASE "\n"
	"in the current directory, else in gsim's data directory, $GSIM_DATADIR or\n"
	"PREFIX/share/gsim; docs/validation/codebook.md) to a config of the model\n"
	"by its documented mapping, fits the mapping's free parameters named by\n"
	"--fit by maximising the censored log-likelihood of the cases' times to\n"
	"attack on common random numbers, and prints the fit with likelihood\n"
	"intervals, then the K-fold cross-validated scores (default 5 folds:\n"
	"log-likelihood, C-index, Brier at 2, 5 and 10 years, with bootstrap\n"
	"intervals over cases) of the mapping beside a constant hazard, a Weibull\n"
	"and an exponential regression on the coded covariates, each fitted and\n"
	"scored on the same folds.\n\n"
	"  --model M        the mapping: crisis (default; parameters crisis_rate,\n"
	"                   decision_sd, war_cost, treaty_strength, guarantor_force,\n"
	"                   crisis_decay) or commitment (max_hazard, temperature,\n"
	"                   war_cost, treaty_strength, guarantor_force)\n"
	"  --fit LIST       the parameters to fit, the others at their defaults\n"
	"                   (default " DEFAULT_FIT "; max_hazard,war_cost for commitment)\n"
	"  --folds K        folds of the cross-validation (default 5; 2 .. the pairs or\n"
	"                   cases, as many as them: leave one out)\n"
	"  --folds-by W     pair (default: a pair's cases, the same challenger and\n"
	"                   target, stay in one fold, so that no fit sees the pair\n"
	"                   it predicts) or case\n"
	"  --bootstrap B    also refit on B resamples of the pairs (or cases) with\n"
	"                   replacement: intervals that let the other parameters\n"
	"                   move, and the spread calibration.cfg gives its keys\n"
	"  -n, --trials N   trials of each case's run (default 2, exact: nothing is drawn)\n"
	"  -j, --threads N  threads\n"
	"  -o, --output DIR write there calibration.tsv (the fit), scores.tsv,\n"
	"                   predictions.tsv (each case's held-out survival),\n"
	"                   groups.tsv (for 'sim plot': predicted against observed\n"
	"                   survival at 5 years) and calibration.cfg (the fitted keys,\n"
	"                   to @include in a scenario's challenger group)\n"
	CLIOPT_FORMAT_HELP
	"Exit codes: 0 success, 1 runtime failure, 2 usage or case base error.\n";

struct opts {
	const char *dir, *fit, *model;
	long folds, boot;
	int by_case;
};

static int own(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;
	char *end;

	switch (c) {
	case 'o':
		return cliopt_output(&o->dir, c, arg);
	case 'F':
		o->fit = arg;
		return 0;
	case 'D':
		o->model = arg;
		return 0;
	case 'B':
		if (strcmp(arg, "pair") && strcmp(arg, "case"))
			return usage_error("calibrate", "--folds-by: expected pair or case, got '%s'",
					   arg);
		o->by_case = !strcmp(arg, "case");
		return 0;
	case 'R':
		o->boot = strtol(arg, &end, 10);
		if (*end || o->boot < 0 || o->boot > 100000)
			return usage_error("calibrate", "--bootstrap: expected a whole number from 0 "
					   "to 100000, got '%s'", arg);
		return 0;
	case 'K':
		o->folds = strtol(arg, &end, 10);
		if (*end || o->folds < 2)
			return usage_error("calibrate", "--folds: expected a whole number >= 2, got '%s'",
					   arg);
		return 0;
	default:
		return EXIT_USAGE;
	}
}

/* The names of M's parameters, comma-separated, into BUF. */
static const char *par_list(const struct cb_mapping *m, char *buf, size_t size)
{
	size_t len = 0;
	int j;

	buf[0] = '\0';
	for (j = 0; j < CB_NPAR; j++)
		if (m->names[j] && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
						m->names[j]);
	return buf;
}

/* Sets FREE from the comma-separated LIST of M's parameters. Returns 0 or
 * the exit code. */
static int parse_fit(const struct cb_mapping *m, const char *list, int *free_)
{
	char buf[256], names[256], *save, *tok;
	int j;

	if (strlen(list) >= sizeof(buf))
		return usage_error("calibrate", "--fit: list too long");
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (j = 0; j < CB_NPAR && (!m->names[j] || strcmp(tok, m->names[j])); j++)
			;
		if (j == CB_NPAR)
			return usage_error("calibrate", "--fit: '%.40s' is not a parameter of the "
					   "%s mapping (%s)", tok, m->model,
					   par_list(m, names, sizeof(names)));
		free_[j] = 1;
	}
	return 0;
}

/* The predictors scored side by side. */
enum { P_MAP, P_CONST, P_WEIBULL, P_REG, NPRED };

/* Everything a calibration found. */
struct result {
	double p[CB_NPAR], lo[CB_NPAR], hi[CB_NPAR], fit, cv;
	double blo[CB_NPAR], bhi[CB_NPAR], bsd[CB_NPAR];	/* bootstrap */
	long boot;
	double *rep;			/* its replicates, CB_NPAR each */
	int converged;
	size_t folds, groups;
	size_t *group;			/* each case's pair, NULL by case */
	struct case_curve *curves;	/* the mapping's held-out predictions */
	struct calscore_base base;
	struct surv_case *c;
	struct case_scores sc[NPRED];
	struct calscore_group g[NPRED][GROUPS];
};

/* Predictor K's held-out prediction. */
static struct surv_pred pred_of(const struct result *r, int k)
{
	struct surv_pred p = { casescore_curve_S, r->curves };

	return k == P_MAP ? p : calscore_base_pred(&r->base, k - P_CONST);
}

/* Refits on R->boot resamples of the groups; fills the bootstrap
 * intervals. Returns 0 or -1 (printed). */
static int bootstrap(const struct cal_setup *s, struct result *r)
{
	int j;

	fprintf(stderr, "calibrate: %ld bootstrap refits over %zu %s ...\n", r->boot, r->groups,
		r->group ? "pairs" : "cases");
	r->rep = malloc(sizeof(double) * CB_NPAR * (size_t)r->boot);
	if (!r->rep || cal_bootstrap(s, r->p, r->group, r->groups, r->boot, SEED, r->rep) < 0) {
		error("the bootstrap failed (a refit failed, or memory ran out)");
		return -1;
	}
	for (j = 0; j < CB_NPAR; j++)
		if (s->free[j] && cal_boot_summary(r->rep, r->boot, j, &r->blo[j], &r->bhi[j],
						   &r->bsd[j]) < 0) {
			error("--bootstrap: at least 2 replicates are needed");
			return -1;
		}
	return 0;
}

/* Fits, profiles, cross-validates and scores. Returns 0 or the exit
 * code (printed). */
static int calibrate(const struct cal_setup *s, struct result *r)
{
	const struct cb_base *b = s->b;
	double start[CB_NPAR];
	size_t i;
	int j, k;

	for (j = 0; j < CB_NPAR; j++)
		start[j] = r->p[j] = r->lo[j] = r->hi[j] = s->map->defaults[j];
	r->fit = cal_fit(s, r->p, NULL, b->n, &r->converged);
	for (j = 0; !isnan(r->fit) && j < CB_NPAR; j++)
		if (s->free[j] && cal_profile(s, r->p, j, &r->lo[j], &r->hi[j]) < 0)
			r->fit = NAN;
	if (isnan(r->fit)) {
		error("the fit failed (a case's config did not check, or memory ran out)");
		return EXIT_RUNTIME;
	}
	if (r->boot > 0 && bootstrap(s, r) < 0)
		return EXIT_RUNTIME;
	r->curves = calloc(b->n, sizeof(*r->curves));
	r->c = malloc(sizeof(*r->c) * b->n);
	if (!r->curves || !r->c || isnan(r->cv = cal_cv(s, start, r->folds, NULL, r->curves))) {
		error("the cross-validation failed (out of memory, or a fit failed)");
		return EXIT_RUNTIME;
	}
	for (i = 0; i < b->n; i++) {
		r->c[i].t = b->c[i].years;
		r->c[i].event = b->c[i].event;
	}
	if (calscore_baselines(b, r->folds, r->group, RIDGE, &r->base) < 0) {
		error("a baseline fit failed (or memory ran out)");
		return EXIT_RUNTIME;
	}
	for (k = 0; k < NPRED; k++) {
		struct surv_pred p = pred_of(r, k);

		if (calscore_score(r->c, b->n, &p, k == P_MAP || k == P_REG, RESAMPLES, SEED,
				   &r->sc[k]) < 0 ||
		    calscore_groups(r->c, b->n, &p, GROUP_TAU, b->n < GROUPS ? b->n : GROUPS,
				    r->g[k]) < 0) {
			error("out of memory");
			return EXIT_RUNTIME;
		}
	}
	return EXIT_OK;
}

static const char *pred_name(const struct cal_setup *s, int k, char *buf, size_t size)
{
	if (k == P_MAP)
		snprintf(buf, size, "%s mapping, fitted", s->map->model);
	else
		snprintf(buf, size, "%s", calscore_base_names[k - P_CONST]);
	return buf;
}

static void print_fit(const struct cal_setup *s, const char *base, const struct result *r)
{
	int j;

	printf("calibrate: %zu cases of %s, the %s mapping, %ld trials a case\n\n%-18s %12s  %s%s\n",
	       s->b->n, base, s->map->model, s->trials, "parameter", "value",
	       r->boot ? "95% likelihood (others fixed)  " : "95% likelihood (others fixed)",
	       r->boot ? "95% bootstrap (others refitted)" : "");
	for (j = 0; j < CB_NPAR; j++) {
		char cell[64];

		if (!s->map->names[j])
			continue;
		if (!s->free[j]) {
			printf("%-18s %12.4g  (fixed)\n", s->map->names[j], r->p[j]);
			continue;
		}
		snprintf(cell, sizeof(cell), "[%.4g, %.4g]", r->lo[j], r->hi[j]);
		printf("%-18s %12.4g  %-*s", s->map->names[j], r->p[j], r->boot ? 31 : 0, cell);
		if (r->boot)
			printf("[%.4g, %.4g]", r->blo[j], r->bhi[j]);
		putchar('\n');
	}
	if (r->boot)
		printf("(bootstrap: %ld refits, each on the %zu %s drawn with replacement)\n", r->boot,
		       r->groups, r->group ? "pairs" : "cases");
	if (!r->converged)
		printf("(the fit had not settled after 300 simplex steps: a parameter is running "
		       "to a bound, as a cost to 0, where the likelihood stops changing)\n");
	printf("\nIn-sample log-likelihood of the fit: %.2f.\n", r->fit);
}

static void print_scores(const struct cal_setup *s, const struct result *r)
{
	char name[64];
	int k, j;

	printf("\nCross-validated (%zu folds of the %zu %s: every case predicted by a fit to the "
	       "other folds), with 95%% bootstrap intervals over cases:\n\n%-28s %-24s %-22s",
	       r->folds, r->groups, r->group ? "pairs" : "cases",
	       "predictor", "log-likelihood", "C-index");
	for (j = 0; j < CASESCORE_NTAU; j++) {
		char h[32];

		snprintf(h, sizeof(h), "Brier at %g years", casescore_tau[j]);
		printf(" %-22s", h);
	}
	putchar('\n');
	for (k = 0; k < NPRED; k++) {
		printf("%-28s", pred_name(s, k, name, sizeof(name)));
		output_triple(stdout, r->sc[k].loglik, "%.1f", 24);
		output_triple(stdout, r->sc[k].cindex, "%.3f", 22);
		for (j = 0; j < CASESCORE_NTAU; j++)
			output_triple(stdout, r->sc[k].brier[j], "%.3f", 22);
		putchar('\n');
	}
	printf("\nLog-likelihood: the chance given to the attack in the month it came, or to "
	       "none by the end of observation (higher is better). C-index: how often the case "
	       "attacked first was given the lower survival (0.5 chance; a constant hazard and a "
	       "Weibull rank every case alike). Brier: weighted for censoring (lower is better). "
	       "The regression is on %d coded covariates with ridge %g.\n\nPredicted against "
	       "observed survival at %g years, the cases in %d groups by prediction:\n\n",
	       CB_NCOV, RIDGE, GROUP_TAU, GROUPS);
	printf("%-28s %-8s %-10s %s\n", "predictor", "cases", "predicted",
	       "observed (Kaplan-Meier, 95%)");
	for (k = 0; k < NPRED; k++)
		for (j = 0; j < GROUPS && j < (int)s->b->n; j++)
			printf("%-28s %-8zu %-10.3f %.3f [%.3f, %.3f]\n",
			       j ? "" : pred_name(s, k, name, sizeof(name)), r->g[k][j].n,
			       r->g[k][j].pred, r->g[k][j].km, r->g[k][j].lo, r->g[k][j].hi);
}

/* The provenance lines of every file. */
static void provenance(FILE *f, const char *what, const struct cal_setup *s, const char *base,
		       const struct result *r)
{
	provenance_write(f);
	fprintf(f, "# calibration: %s\n# case base: ", what);
	output_escape(f, base);
	fprintf(f, "\n# mapping %s; %zu cases; %ld trials a case; %zu-fold cross-validation by %s "
		"(%zu); %d bootstrap resamples (seed %d)\n", s->map->model, s->b->n, s->trials,
		r->folds, r->group ? "pair" : "case", r->groups, RESAMPLES, SEED);
}

/* DIR/bootstrap.tsv: the parameters of every bootstrap refit. */
static int write_replicates(const char *dir, const char *base, const struct cal_setup *s,
			    const struct result *r)
{
	struct afile af;
	long k;
	int j;

	if (atomic_open(&af, dir, "bootstrap.tsv") < 0)
		return -1;
	provenance(af.f, "the bootstrap refits, one a row", s, base, r);
	fputs("replicate", af.f);
	for (j = 0; j < CB_NPAR; j++)
		if (s->map->names[j])
			fprintf(af.f, "\t%s", s->map->names[j]);
	fputc('\n', af.f);
	for (k = 0; k < r->boot; k++) {
		fprintf(af.f, "%ld", k);
		for (j = 0; j < CB_NPAR; j++)
			if (s->map->names[j])
				fprintf(af.f, "\t%.10g", r->rep[k * CB_NPAR + j]);
		fputc('\n', af.f);
	}
	return atomic_commit(&af);
}

static int write_fit(const char *dir, const char *base, const struct cal_setup *s,
		     const struct result *r)
{
	struct afile af;
	int j;

	if (atomic_open(&af, dir, "calibration.tsv") < 0)
		return -1;
	provenance(af.f, "the fitted parameters", s, base, r);
	fprintf(af.f, "# log-likelihood: %.10g in sample, %.10g cross-validated\n# lo, hi: the "
		"likelihood interval (others fixed); boot_lo, boot_hi: the bootstrap's (%ld "
		"refits; NaN without --bootstrap)\nparameter\tvalue\tfree\tlo\thi\tboot_lo\t"
		"boot_hi\n", r->fit, r->cv, r->boot);
	for (j = 0; j < CB_NPAR; j++)
		if (s->map->names[j])
			fprintf(af.f, "%s\t%.10g\t%d\t%.10g\t%.10g\t%.10g\t%.10g\n", s->map->names[j],
				r->p[j], s->free[j], s->free[j] ? r->lo[j] : r->p[j],
				s->free[j] ? r->hi[j] : r->p[j],
				s->free[j] && r->boot ? r->blo[j] : NAN,
				s->free[j] && r->boot ? r->bhi[j] : NAN);
	if (atomic_commit(&af) < 0)
		return -1;
	return r->boot ? write_replicates(dir, base, s, r) : 0;
}

static int write_scores(const char *dir, const char *base, const struct cal_setup *s,
			const struct result *r)
{
	struct afile af;
	char name[64];
	int k, j;

	if (atomic_open(&af, dir, "scores.tsv") < 0)
		return -1;
	provenance(af.f, "cross-validated scores of every predictor", s, base, r);
	fputs("predictor\tloglik\tloglik_lo\tloglik_hi\tcindex\tcindex_lo\tcindex_hi", af.f);
	for (j = 0; j < CASESCORE_NTAU; j++)
		fprintf(af.f, "\tbrier_%g\tbrier_%g_lo\tbrier_%g_hi", casescore_tau[j],
			casescore_tau[j], casescore_tau[j]);
	fputc('\n', af.f);
	for (k = 0; k < NPRED; k++) {
		const struct case_scores *c = &r->sc[k];

		fprintf(af.f, "%s\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g",
			pred_name(s, k, name, sizeof(name)), c->loglik[0], c->loglik[1],
			c->loglik[2], c->cindex[0], c->cindex[1], c->cindex[2]);
		for (j = 0; j < CASESCORE_NTAU; j++)
			fprintf(af.f, "\t%.10g\t%.10g\t%.10g", c->brier[j][0], c->brier[j][1],
				c->brier[j][2]);
		fputc('\n', af.f);
	}
	return atomic_commit(&af);
}

/* DIR/predictions.tsv: each case's outcome and held-out survival at the
 * Brier times under every predictor. */
static int write_predictions(const char *dir, const char *base, const struct cal_setup *s,
			     const struct result *r)
{
	static const char *const tag[NPRED] = { "map", "constant", "weibull", "regression" };
	struct afile af;
	size_t i;
	int k, j;

	if (atomic_open(&af, dir, "predictions.tsv") < 0)
		return -1;
	provenance(af.f, "each case's held-out predicted survival", s, base, r);
	fputs("id\tyears\tevent", af.f);
	for (k = 0; k < NPRED; k++)
		for (j = 0; j < CASESCORE_NTAU; j++)
			fprintf(af.f, "\t%s_S%g", tag[k], casescore_tau[j]);
	fputc('\n', af.f);
	for (i = 0; i < s->b->n; i++) {
		output_escape(af.f, s->b->c[i].text[CB_ID]);
		fprintf(af.f, "\t%.10g\t%d", r->c[i].t, r->c[i].event);
		for (k = 0; k < NPRED; k++) {
			struct surv_pred p = pred_of(r, k);

			for (j = 0; j < CASESCORE_NTAU; j++)
				fprintf(af.f, "\t%.6f", p.S(p.ctx, i, casescore_tau[j]));
		}
		fputc('\n', af.f);
	}
	return atomic_commit(&af);
}

/* DIR/groups.tsv: the calibration chart's data. */
static int write_groups(const char *dir, const char *base, const struct cal_setup *s,
			const struct result *r)
{
	struct afile af;
	char name[64];
	int k, j;

	if (atomic_open(&af, dir, "groups.tsv") < 0)
		return -1;
	provenance(af.f, "predicted against observed survival in groups", s, base, r);
	fprintf(af.f, "# tau: %g\npredictor\tgroup\tcases\tpredicted\tobserved\tobserved_lo\t"
		"observed_hi\n", GROUP_TAU);
	for (k = 0; k < NPRED; k++)
		for (j = 0; j < GROUPS && j < (int)s->b->n; j++)
			fprintf(af.f, "%s\t%d\t%zu\t%.6f\t%.6f\t%.6f\t%.6f\n",
				pred_name(s, k, name, sizeof(name)), j + 1, r->g[k][j].n,
				r->g[k][j].pred, r->g[k][j].km, r->g[k][j].lo, r->g[k][j].hi);
	return atomic_commit(&af);
}

/* Whether slot J of the mapping is a challenger key of its model as it
 * stands (war_cost is not: the mapping adds 0.1 without a recent war). */
static int is_key(int j)
{
	return j == CB_P_RATE || j == CB_P_SD || j == CB_P_DECAY;
}

/* DIR/calibration.cfg: the fitted challenger keys, to @include inside a
 * scenario's challenger group, each with its uncertainty as a lognormal
 * whose 95% range is its likelihood interval. */
static int write_fragment(const char *dir, const char *base, const struct cal_setup *s,
			  const struct result *r)
{
	struct afile af;
	int j;

	if (atomic_open(&af, dir, "calibration.cfg") < 0)
		return -1;
	provenance(af.f, "a fragment of challenger keys", s, base, r);
	fprintf(af.f, "# Include it inside the challenger group of a %s scenario that does not set\n"
		"# these keys itself:\n#   challenger = {\n#     ...\n#     @include \"calibration.cfg\"\n"
		"#   };\n# Each fitted key is a lognormal about its fit whose spread is %s, so\n"
		"# that a run carries the calibration's uncertainty; a key whose interval\n"
		"# reaches 0 is its fitted value.\n", s->map->model,
		r->boot ? "that of the log of\n# its bootstrap refits (the other parameters refitted; "
			  "their correlation is\n# not carried)"
			: "its likelihood\n# interval's (the others held at the fit)");
	for (j = 0; j < CB_NPAR; j++) {
		double sigma = r->boot ? r->bsd[j]
				       : (log(r->hi[j]) - log(r->lo[j])) / (2 * 1.959964);

		if (!s->free[j] || !s->map->names[j] || !is_key(j))
			continue;
		if (r->lo[j] > 0 && r->p[j] > 0 && isfinite(r->hi[j]) && isfinite(sigma))
			fprintf(af.f, "%s = { dist = \"lognormal\"; mu = %.10g; sigma = %.10g; };"
				"   # fit %.4g, 95%% [%.4g, %.4g]\n", s->map->names[j], log(r->p[j]),
				sigma, r->p[j], r->boot ? r->blo[j] : r->lo[j],
				r->boot ? r->bhi[j] : r->hi[j]);
		else
			fprintf(af.f, "%s = %.10g;\n", s->map->names[j], r->p[j]);
	}
	return atomic_commit(&af);
}

static void result_free(struct result *r, size_t n)
{
	size_t i;

	for (i = 0; r->curves && i < n; i++)
		free(r->curves[i].s);
	free(r->curves);
	free(r->c);
	free(r->group);
	free(r->rep);
	calscore_base_free(&r->base);
}

/* Reads the options into M, S and *BASE. Returns 0, -1 for --help, or
 * the exit code. */
static int options(int argc, char **argv, struct opts *m, struct cal_setup *s, const char **base)
{
	static const struct option opts[] = {
		{ "fit", required_argument, NULL, 'F' },
		{ "folds", required_argument, NULL, 'K' },
		{ "folds-by", required_argument, NULL, 'B' },
		{ "bootstrap", required_argument, NULL, 'R' },
		{ "model", required_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_THREADS,
		CLIOPT_FORMAT,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cliopt o;
	int r;

	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":n:j:o:h", opts, "calibrate", usage_text, own, m);
	if (r)
		return r;
	if (optind < argc)
		*base = argv[optind++];
	if (optind < argc)
		return usage_error("calibrate", "more than one CASEBASE given");
	if (!(s->map = cb_mapping_find(m->model)))
		return usage_error("calibrate", "--model: '%.40s' has no mapping (crisis, commitment)",
				   m->model);
	if (!m->fit)
		m->fit = s->map == cb_mappings ? DEFAULT_FIT : "max_hazard,war_cost";
	if ((r = parse_fit(s->map, m->fit, s->free)))
		return r;
	if (o.trials_p)
		s->trials = (long)*o.trials_p;
	s->threads = o.threads ? o.threads : omp_get_max_threads();
	return 0;
}

int cmd_calibrate(int argc, char **argv)
{
	struct opts mine = { NULL, NULL, "crisis", 5, 0, 0 };
	struct cb_base b;
	struct cal_setup s = { &b, DEFAULT_TRIALS, 1, { 0 }, NULL, NULL, NULL };
	struct result res;
	const char *base = NULL;
	char found[4096];
	int r, ret;

	memset(&res, 0, sizeof(res));
	if ((r = options(argc, argv, &mine, &s, &base)))
		return r < 0 ? EXIT_OK : r;
	if (!base && !(base = datadir_find(DEFAULT_BASE, found, sizeof(found))))
		return EXIT_USAGE;
	if (cb_read(base, &b, stderr) < 0)
		return EXIT_USAGE;
	res.groups = b.n;
	res.boot = mine.boot;
	if (!mine.by_case && (!(res.group = malloc(sizeof(size_t) * b.n)) ||
			      !(res.groups = cb_pairs(&b, res.group)))) {
		cb_free(&b);
		error("out of memory");
		return EXIT_RUNTIME;
	}
	s.group = res.group;
	res.folds = (size_t)mine.folds > res.groups ? res.groups : (size_t)mine.folds;
	ret = mine.dir && atomic_lock(mine.dir) < 0 ? EXIT_RUNTIME : calibrate(&s, &res);
	if (ret == EXIT_OK) {
		print_fit(&s, base, &res);
		print_scores(&s, &res);
		ret = cliopt_flush();
	}
	if (ret == EXIT_OK && mine.dir &&
	    (write_fit(mine.dir, base, &s, &res) < 0 || write_scores(mine.dir, base, &s, &res) < 0 ||
	     write_predictions(mine.dir, base, &s, &res) < 0 ||
	     write_groups(mine.dir, base, &s, &res) < 0 ||
	     write_fragment(mine.dir, base, &s, &res) < 0))
		ret = EXIT_RUNTIME;
	result_free(&res, b.n);
	cb_free(&b);
	return ret;
}

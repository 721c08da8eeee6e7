/* cmd_calibrate.c - "sim calibrate": the coded case base through the
 * crisis model's mapping, its free parameters fitted by simulated maximum
 * likelihood, cross-validated beside baseline hazards scored the same
 * way. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "core/atomic.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "cli/usage.h"
#include "io/output.h"
#include "study/calibrate.h"

#define DEFAULT_BASE "configs/history/casebase.tsv"
#define DEFAULT_FIT "crisis_rate,war_cost"
/* Trials of each case's run: the mapping draws nothing, so an antithetic
 * pair is exact under the conditional estimator. */
#define DEFAULT_TRIALS 2
/* Ridge penalty of the regression baseline's slopes. */
#define RIDGE 2.0

static const char usage_text[] =
	"usage: sim calibrate [CASEBASE] [--fit P1,P2,...] [--folds K] [-n TRIALS] [-j THREADS]\n"
	"                     [-o DIR]\n\n"
	"Maps every case of CASEBASE (default " DEFAULT_BASE ";\n"
	"docs/validation/codebook.md) to a crisis-model config by the documented\n"
	"mapping, fits the mapping's free parameters named by --fit (default\n"
	DEFAULT_FIT "; of crisis_rate, decision_sd, war_cost,\n"
	"treaty_strength, guarantor_force, crisis_decay) by maximising the censored\n"
	"log-likelihood of the cases' times to attack on common random numbers,\n"
	"and prints the fit with likelihood intervals and its K-fold\n"
	"cross-validated log-likelihood (default 5 folds) beside a constant\n"
	"hazard, a Weibull and an exponential regression on the coded covariates,\n"
	"each fitted and scored on the same folds.\n\n"
	"  --fit LIST       the parameters to fit (the others at their defaults)\n"
	"  --folds K        folds of the cross-validation (2 .. cases; cases: leave one out)\n"
	"  -n, --trials N   trials of each case's run (default 2, exact: nothing is drawn)\n"
	"  -j, --threads N  threads\n"
	"  -o, --output DIR write DIR/calibration.tsv and DIR/calibration.set (--set lines)\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage or case base error.\n";

struct opts {
	const char *dir, *fit;
	long folds;
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

/* Sets FREE from the comma-separated LIST. Returns 0 or the exit code. */
static int parse_fit(const char *list, int *free_)
{
	char buf[256], *save, *tok;
	int j;

	if (strlen(list) >= sizeof(buf))
		return usage_error("calibrate", "--fit: list too long");
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (j = 0; j < CB_NPAR && strcmp(tok, cb_par_names[j]); j++)
			;
		if (j == CB_NPAR)
			return usage_error("calibrate", "--fit: '%.40s' is not a parameter of the "
					   "mapping (crisis_rate, decision_sd, war_cost, "
					   "treaty_strength, guarantor_force, crisis_decay)", tok);
		free_[j] = 1;
	}
	return 0;
}

/* The cross-validated log-likelihoods of the baselines on FOLDS folds. */
static void baselines(const struct cb_base *b, size_t folds, double *out)
{
	struct surv_case *c = malloc(sizeof(*c) * b->n);
	double *x = malloc(sizeof(double) * b->n * CB_NCOV);
	size_t i;

	out[0] = out[1] = out[2] = NAN;
	for (i = 0; c && x && i < b->n; i++) {
		c[i].t = b->c[i].years;
		c[i].event = b->c[i].event;
		cb_covariates(&b->c[i], x + i * CB_NCOV);
	}
	if (c && x) {
		out[0] = surv_cv(SURV_CONSTANT, c, b->n, NULL, 0, CASESCORE_WIDTH, 0, folds, NULL);
		out[1] = surv_cv(SURV_WEIBULL, c, b->n, NULL, 0, CASESCORE_WIDTH, 0, folds, NULL);
		out[2] = surv_cv(SURV_EXPREG, c, b->n, x, CB_NCOV, CASESCORE_WIDTH, RIDGE, folds, NULL);
	}
	free(c);
	free(x);
}

static int write_out(const char *dir, const char *base, const struct cal_setup *s,
		     const double *p, const double *lo, const double *hi, double fit, double cv,
		     const double *base_cv, size_t folds)
{
	struct afile af, as;
	int j;

	if (atomic_open(&af, dir, "calibration.tsv") < 0)
		return -1;
	fprintf(af.f, "# gsim %s calibration of the crisis mapping on ", SIM_VERSION);
	output_escape(af.f, base);
	fprintf(af.f, "\n# %zu cases; %ld trials a case; %zu-fold cross-validation\n"
		"# log-likelihood: %.10g in sample, %.10g cross-validated; constant %.10g, "
		"Weibull %.10g, regression %.10g cross-validated\n# parameter\tvalue\tfree\tlo\thi\n",
		s->b->n, s->trials, folds, fit, cv, base_cv[0], base_cv[1], base_cv[2]);
	for (j = 0; j < CB_NPAR; j++)
		fprintf(af.f, "%s\t%.10g\t%d\t%.10g\t%.10g\n", cb_par_names[j], p[j], s->free[j],
			s->free[j] ? lo[j] : p[j], s->free[j] ? hi[j] : p[j]);
	if (atomic_commit(&af) < 0 || atomic_open(&as, dir, "calibration.set") < 0)
		return -1;
	fputs("# --set lines for a crisis scenario: the fitted parameters that are challenger\n"
	      "# keys as they stand (crisis_rate, decision_sd, crisis_decay; the mapping's\n"
	      "# war_cost, treaty_strength and guarantor_force are not), with their uncertainty\n"
	      "# as lognormals from the likelihood intervals, or the fitted value where the\n"
	      "# interval reaches 0\n", as.f);
	for (j = 0; j < CB_NPAR; j++) {
		if (!s->free[j] || (j != CB_P_RATE && j != CB_P_SD && j != CB_P_DECAY))
			continue;
		if (lo[j] > 0 && p[j] > 0 && isfinite(hi[j]))
			fprintf(as.f, "--set challenger.%s={ dist = \"lognormal\"; mu = %.10g; sigma = %.10g; }\n",
				cb_par_names[j], log(p[j]), (log(hi[j]) - log(lo[j])) / (2 * 1.959964));
		else
			fprintf(as.f, "--set challenger.%s=%.10g\n", cb_par_names[j], p[j]);
	}
	return atomic_commit(&as);
}

int cmd_calibrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fit", required_argument, NULL, 'F' },
		{ "folds", required_argument, NULL, 'K' },
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_THREADS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts mine = { NULL, DEFAULT_FIT, 5 };
	struct cliopt o;
	struct cb_base b;
	struct cal_setup s = { &b, DEFAULT_TRIALS, 1, { 0 } };
	double p[CB_NPAR], lo[CB_NPAR], hi[CB_NPAR], fit, cv, base_cv[3];
	const char *base = DEFAULT_BASE;
	size_t folds;
	int r, j, ret = EXIT_OK, converged = 0;

	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":n:j:o:h", opts, "calibrate", usage_text, own, &mine);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (optind < argc)
		base = argv[optind++];
	if (optind < argc)
		return usage_error("calibrate", "more than one CASEBASE given");
	if ((r = parse_fit(mine.fit, s.free)))
		return r;
	if (o.trials_p)
		s.trials = (long)*o.trials_p;
	s.threads = o.threads ? o.threads : omp_get_max_threads();
	if (cb_read(base, &b, stderr) < 0)
		return EXIT_USAGE;
	folds = (size_t)mine.folds > b.n ? b.n : (size_t)mine.folds;
	for (j = 0; j < CB_NPAR; j++)
		p[j] = lo[j] = hi[j] = cb_par_default[j];
	if (mine.dir && atomic_lock(mine.dir) < 0)
		ret = EXIT_RUNTIME;
	fit = ret ? NAN : cal_fit(&s, p, NULL, b.n, &converged);
	for (j = 0; !isnan(fit) && j < CB_NPAR; j++)
		if (s.free[j] && cal_profile(&s, p, j, &lo[j], &hi[j]) < 0)
			fit = NAN;
	{
		double start[CB_NPAR];

		for (j = 0; j < CB_NPAR; j++)
			start[j] = cb_par_default[j];
		cv = isnan(fit) ? NAN : cal_cv(&s, start, folds, NULL);
	}
	if (ret == EXIT_OK && isnan(fit)) {
		error("the fit did not converge (or a case's config failed)");
		ret = EXIT_RUNTIME;
	}
	if (ret == EXIT_OK) {
		baselines(&b, folds, base_cv);
		printf("calibrate: %zu cases of %s, %ld trials a case\n\n%-18s %12s  %s\n", b.n, base,
		       s.trials, "parameter", "value", "95% likelihood interval (others fixed)");
		for (j = 0; j < CB_NPAR; j++) {
			if (s.free[j])
				printf("%-18s %12.4g  [%.4g, %.4g]\n", cb_par_names[j], p[j], lo[j], hi[j]);
			else
				printf("%-18s %12.4g  (fixed)\n", cb_par_names[j], p[j]);
		}
		if (!converged)
			printf("(the fit had not settled after 300 simplex steps: a parameter is running "
			       "to a bound, as a cost to 0, where the likelihood stops changing)\n");
		printf("\nlog-likelihood of the times to attack (month of attack; censored where "
		       "deterrence held):\n  crisis mapping, fitted     %10.2f in sample, %10.2f "
		       "cross-validated (%zu folds)\n  constant hazard            %10s  %10.2f\n"
		       "  Weibull                    %10s  %10.2f\n  exponential regression     "
		       "%10s  %10.2f (on %d coded covariates, ridge %g)\n",
		       fit, cv, folds, "", base_cv[0], "", base_cv[1], "", base_cv[2], CB_NCOV, RIDGE);
		if (cliopt_flush())
			ret = EXIT_RUNTIME;
	}
	if (ret == EXIT_OK && mine.dir &&
	    write_out(mine.dir, base, &s, p, lo, hi, fit, cv, base_cv, folds) < 0)
		ret = EXIT_RUNTIME;
	cb_free(&b);
	return ret;
}

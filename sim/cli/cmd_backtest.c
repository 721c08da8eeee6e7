/* cmd_backtest.c - "sim backtest": the historical cases run over their
 * actual horizons, their predicted p_deterred against what happened. */
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
#include "engine/engine.h"
#include "io/output.h"
#include "io/provenance.h"
#include "engine/scenario.h"
#include "study/casescore.h"
#include "study/scores.h"
#include "engine/summary.h"
#include "cli/usage.h"

#define MAX_CASES 256
#define DEFAULT_INDEX "configs/history/cases.tsv"

static const char usage_text[] =
	"usage: sim backtest [INDEX] [-n TRIALS] [-s SEED] [-j THREADS] [-o DIR]\n"
	"                    [--format FMT] [-q]\n\n"
	"Runs every historical case listed in INDEX (default " DEFAULT_INDEX "\n"
	"in the current directory, else in gsim's data directory, $GSIM_DATADIR or\n"
	"PREFIX/share/gsim; columns: config, case, start, challenged,\n"
	"horizon_years, outcome held or failed) over its actual horizon, and\n"
	"prints its predicted p_deterred next to what happened, with the Brier\n"
	"score of the predictions and the AUC of held against failed cases. The\n"
	"configs never see the outcomes.\n\n"
	"It then scores the cases as times to the first attack, censored where\n"
	"deterrence held (each case run to at least 10 years): the censored\n"
	"log-likelihood of the month of attack, Harrell's C-index and the\n"
	"censoring-weighted Brier score at 2, 5 and 10 years, with 95% bootstrap\n"
	"intervals over cases, for the models as configured and for a constant\n"
	"hazard and a Weibull each fitted to every case but the one it predicts.\n\n"
	"  -n, --trials N   trials per case (default: each config's own)\n"
	"  -s, --seed S     seed for every case (default: each config's own)\n"
	"  -j, --threads N  threads\n"
	"  -o, --output DIR write DIR/backtest.tsv, DIR/scores.tsv and DIR/curves.tsv\n"
	"                   (each case's predicted survival; 'sim plot DIR' draws it)\n"
	CLIOPT_FORMAT_HELP
	"  -q, --quiet      no line per case while running\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage, index or config error.\n";

struct bcase {
	char *config, *name, *start, *challenged;
	double horizon;
	int held;
	double p, lo, hi;
	uint64_t trials;
	struct case_curve curve;	/* the predicted survival, to at least 10 years */
};

/* Cases are run at least this long, for the Brier scores at 2, 5 and 10
 * years (years). */
#define SCORE_HORIZON 10.0
/* Bootstrap resamples of the scores' intervals, and their seed. */
#define SCORE_RESAMPLES 2000
#define SCORE_SEED 1

/* Reads the rows of INDEX into C; returns their number, or -1 (printed). */
static int read_index(const char *index, struct bcase *c)
{
	FILE *f = fopen(index, "r");
	char line[4096], dir[4096], *slash;
	int n = 0, ln = 0;

	if (!f) {
		error("cannot read '%s'", index);
		return -1;
	}
	snprintf(dir, sizeof(dir), "%s", index);
	slash = strrchr(dir, '/');
	if (slash)
		slash[1] = '\0';
	else
		dir[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		char *field[6], *save, *end;
		int k = 0;

		ln++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		for (char *tok = strtok_r(line, "\t", &save); tok && k < 6;
		     tok = strtok_r(NULL, "\t", &save))
			field[k++] = tok;
		if (k != 6 || n == MAX_CASES) {
			fprintf(stderr, "%s:%d: error: expected 6 tab-separated fields (config, case, "
				"start, challenged, horizon_years, outcome)\n", index, ln);
			fclose(f);
			return -1;
		}
		c[n].horizon = strtod(field[4], &end);
		if (*end || !(c[n].horizon > 0)) {
			fprintf(stderr, "%s:%d: error: horizon_years: expected a number > 0, got '%s'\n",
				index, ln, field[4]);
			fclose(f);
			return -1;
		}
		if (strcmp(field[5], "held") && strcmp(field[5], "failed")) {
			fprintf(stderr, "%s:%d: error: outcome: expected held or failed, got '%s'\n",
				index, ln, field[5]);
			fclose(f);
			return -1;
		}
		c[n].held = !strcmp(field[5], "held");
		c[n].config = malloc(strlen(dir) + strlen(field[0]) + 1);
		sprintf(c[n].config, "%s%s", field[0][0] == '/' ? "" : dir, field[0]);
		c[n].name = strdup(field[1]);
		c[n].start = strdup(field[2]);
		c[n].challenged = strdup(field[3]);
		n++;
	}
	fclose(f);
	if (!n)
		error("'%s' lists no cases", index);
	return n ? n : -1;
}

/* Checks that the config of C runs over the horizon the index gives.
 * Returns 0 or the exit code. */
static int check_case(const struct bcase *c)
{
	struct cfg cfg;
	struct scenario sc;
	int ret = 0;

	if (scenario_open(&sc, &cfg, c->config, NULL, 0, NULL, NULL) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	if (summary_find(sc.layout, "p_deterred") < 0) {
		error("%s: model %s reports no p_deterred, which the back-test scores", c->config,
		      sc.model->name);
		ret = EXIT_USAGE;
	} else if (fabs(sc.horizon - c->horizon) > 1e-9) {
		error("%s: horizon_years is %g, but the index says %g", c->config, sc.horizon,
		      c->horizon);
		ret = EXIT_USAGE;
	}
	scenario_release(&sc);
	cfg_release(&cfg);
	return ret;
}

/* Runs case C over its horizon or SCORE_HORIZON, whichever is longer:
 * its p_deterred is the survival at its own horizon, and its curve the
 * survival at every step. Returns 0 or the exit code. */
static int run_case(struct bcase *c, const uint64_t *trials, const uint64_t *seed, int threads)
{
	struct cfg cfg;
	struct scenario sc;
	struct tally t = { 0 };
	struct figure fig;
	const struct scenario *one = &sc;
	struct engine_run r = { .s = &one, .m = 1, .threads = threads };
	char set[64], *sets[1] = { set };
	int ret = check_case(c);
	long own;

	if (ret)
		return ret;
	snprintf(set, sizeof(set), "scenario.horizon_years=%.17g",
		 c->horizon > SCORE_HORIZON ? c->horizon : SCORE_HORIZON);
	if (scenario_open(&sc, &cfg, c->config, sets, 1, trials, seed) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	r.count = sc.trials;
	own = (long)floor(c->horizon * (double)sc.steps_per_year + 0.5);
	own = own < 1 ? 1 : own > sc.n_steps ? sc.n_steps : own;
	c->curve.dt = sc.dt;
	c->curve.n = sc.n_steps;
	c->curve.s = malloc(sizeof(double) * (size_t)sc.n_steps);
	if (!c->curve.s || engine_tally(&t, &sc) < 0 || engine_run(&r, &t, NULL)) {
		error("out of memory");
		ret = EXIT_RUNTIME;
	} else {
		summary_curve(sc.layout, sc.n_steps, &t, c->curve.s);
		summary_survival(sc.layout, own - 1, &t, &fig);
		c->p = fig.value;
		c->lo = fig.lo;
		c->hi = fig.hi;
		c->trials = t.trials;
	}
	tally_release(&t);
	scenario_release(&sc);
	cfg_release(&cfg);
	return ret;
}

/* The scores of a back-test. */
struct scores {
	int n, held;
	double base, brier, brier_base, auc;
};

/* Scores the N cases C. */
static void score(const struct bcase *c, int n, struct scores *sc)
{
	double *p = malloc(sizeof(double) * (size_t)n), *q = malloc(sizeof(double) * (size_t)n);
	int *y = malloc(sizeof(int) * (size_t)n), i;

	memset(sc, 0, sizeof(*sc));
	sc->n = n;
	for (i = 0; i < n; i++)
		sc->held += c[i].held;
	sc->base = (double)sc->held / n;
	for (i = 0; p && q && y && i < n; i++) {
		p[i] = c[i].p;
		q[i] = sc->base;
		y[i] = c[i].held;
	}
	sc->brier = p && y ? scores_brier(p, y, (size_t)n) : NAN;
	sc->auc = p && y ? scores_auc(p, y, (size_t)n) : NAN;
	sc->brier_base = q && y ? scores_brier(q, y, (size_t)n) : NAN;
	free(p);
	free(q);
	free(y);
}

static void print_cases(const struct bcase *c, const struct scores *sc)
{
	int i;

	printf("%-46s %7s %-7s %9s  %-17s %7s\n", "case", "years", "outcome", "p_deterred",
	       "95% CI", "(p-y)^2");
	for (i = 0; i < sc->n; i++)
		printf("%-46.46s %7.2f %-7s %9.3f  [%.3f, %.3f] %8.3f\n", c[i].name, c[i].horizon,
		       c[i].held ? "held" : "failed", c[i].p, c[i].lo, c[i].hi,
		       (c[i].p - c[i].held) * (c[i].p - c[i].held));
	printf("\n%d cases, %d held and %d failed.\n", sc->n, sc->held, sc->n - sc->held);
	printf("Brier score %.3f (0 is perfect; always forecasting the base rate %.2f "
	       "scores %.3f).\n", sc->brier, sc->base, sc->brier_base);
	if (isnan(sc->auc))
		printf("AUC undefined: it needs both held and failed cases.\n");
	else
		printf("AUC %.3f: the chance that a held case was given a higher p_deterred than "
		       "a failed one (0.5 is chance, 1 a perfect ranking).\n", sc->auc);
}

/* The predictors of the survival scores. */
enum { PRED_MODEL, PRED_CONSTANT, PRED_WEIBULL, NPRED };

static const char *const pred_names[NPRED] = {
	"the models (as configured)", "constant hazard (leave-one-out)", "Weibull (leave-one-out)"
};

/* Scores the N cases C as times to attack (censored where deterrence
 * held) by every predictor into OUT. Returns 0 or -1 (printed). */
static int survival_scores(const struct bcase *c, int n, struct case_scores *out)
{
	struct surv_case *sc = malloc(sizeof(*sc) * (size_t)n);
	struct case_curve *cv = malloc(sizeof(*cv) * (size_t)n);
	int i, ok;

	for (i = 0; sc && cv && i < n; i++) {
		sc[i].t = c[i].horizon;
		sc[i].event = !c[i].held;
		cv[i] = c[i].curve;
	}
	ok = sc && cv &&
	     casescore_curves(sc, (size_t)n, cv, SCORE_RESAMPLES, SCORE_SEED, &out[PRED_MODEL]) == 0 &&
	     casescore_baseline(SURV_CONSTANT, sc, (size_t)n, SCORE_RESAMPLES, SCORE_SEED,
				&out[PRED_CONSTANT]) == 0 &&
	     casescore_baseline(SURV_WEIBULL, sc, (size_t)n, SCORE_RESAMPLES, SCORE_SEED,
				&out[PRED_WEIBULL]) == 0;
	free(sc);
	free(cv);
	if (!ok)
		error("the survival scores failed (out of memory, or a baseline fit did not converge)");
	return ok ? 0 : -1;
}

static void print_survival(const struct case_scores *out, int n, int held)
{
	int p, j;

	printf("\nAs times to the first attack (%d attacks; the %d that held censored at their "
	       "horizon), with 95%% bootstrap intervals over cases:\n\n", n - held, held);
	printf("%-32s %-24s %-24s", "predictor", "log-likelihood (month)", "C-index");
	for (j = 0; j < CASESCORE_NTAU; j++) {
		char h[32];

		snprintf(h, sizeof(h), "Brier at %g years", casescore_tau[j]);
		printf(" %-24s", h);
	}
	putchar('\n');
	for (p = 0; p < NPRED; p++) {
		printf("%-32s", pred_names[p]);
		output_triple(stdout, out[p].loglik, "%.1f", 24);
		output_triple(stdout, out[p].cindex, "%.3f", 24);
		for (j = 0; j < CASESCORE_NTAU; j++)
			output_triple(stdout, out[p].brier[j], "%.3f", 24);
		putchar('\n');
	}
	printf("\nLog-likelihood: the predicted chance of the attack in the month it came, or of "
	       "none by the end of observation (higher is better). C-index: how often the case "
	       "attacked first was predicted the likelier to be (0.5 chance). Brier: weighted for "
	       "censoring (Graf et al. 1999; lower is better). The baselines are fitted to every "
	       "case but the one they predict; a constant hazard and a Weibull rank every case "
	       "alike (C = 0.5).\n");
}

/* Writes DIR/scores.tsv: the survival scores of every predictor. */
static int write_scores(const char *dir, const char *index, const struct case_scores *out)
{
	struct afile af;
	int p, j;

	if (atomic_open(&af, dir, "scores.tsv") < 0)
		return -1;
	provenance_write(af.f);
	fputs("# backtest of ", af.f);
	output_escape(af.f, index);
	fprintf(af.f, "\n# times to the first attack, censored where deterrence held; "
		"log-likelihood of the month of attack; %d bootstrap resamples (seed %d)\n"
		"predictor\tloglik\tloglik_lo\tloglik_hi\tcindex\tcindex_lo\tcindex_hi",
		SCORE_RESAMPLES, SCORE_SEED);
	for (j = 0; j < CASESCORE_NTAU; j++)
		fprintf(af.f, "\tbrier_%g\tbrier_%g_lo\tbrier_%g_hi", casescore_tau[j],
			casescore_tau[j], casescore_tau[j]);
	fputc('\n', af.f);
	for (p = 0; p < NPRED; p++) {
		fprintf(af.f, "%s\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g", pred_names[p],
			out[p].loglik[0], out[p].loglik[1], out[p].loglik[2], out[p].cindex[0],
			out[p].cindex[1], out[p].cindex[2]);
		for (j = 0; j < CASESCORE_NTAU; j++)
			fprintf(af.f, "\t%.10g\t%.10g\t%.10g", out[p].brier[j][0], out[p].brier[j][1],
				out[p].brier[j][2]);
		fputc('\n', af.f);
	}
	return atomic_commit(&af);
}

/* Writes DIR/backtest.tsv. Returns 0 or -1 after an error. */
/* Writes DIR/curves.tsv: each case's predicted survival by year, a block
 * a case (two blank lines apart, for gnuplot's "index"), headed by its
 * name and what happened. */
static int write_curves(const char *dir, const char *index, const struct bcase *c, int n)
{
	struct afile af;
	long k;
	int i;

	if (atomic_open(&af, dir, "curves.tsv") < 0)
		return -1;
	provenance_write(af.f);
	fputs("# backtest of ", af.f);
	output_escape(af.f, index);
	fprintf(af.f, "\n# each case's predicted chance of no attack yet, by year, as configured; "
		"a block a case\n# cases: %d\ncase\tyear\tsurvival\n", n);
	for (i = 0; i < n; i++) {
		fputs(i ? "\n\n# case: " : "# case: ", af.f);
		output_escape(af.f, c[i].name);
		fprintf(af.f, "\n# observed: %.10g years, %s\n", c[i].horizon,
			c[i].held ? "held" : "attacked");
		for (k = 0; k <= c[i].curve.n; k++) {
			output_escape(af.f, c[i].name);
			fprintf(af.f, "\t%.10g\t%.10g\n", (double)k * c[i].curve.dt,
				k ? c[i].curve.s[k - 1] : 1.0);
		}
	}
	return atomic_commit(&af);
}

static int write_cases(const char *dir, const char *index, const struct cliopt *o,
		       const struct bcase *c, const struct scores *sc)
{
	struct afile af;
	int i, k;

	if (atomic_open(&af, dir, "backtest.tsv") < 0)
		return -1;
	provenance_write(af.f);
	fputs("# backtest of ", af.f);
	output_escape(af.f, index);
	fprintf(af.f, "\n# trials: %s\n# seed: %s\n",
		o->trials_p ? "as given by -n" : "each config's own",
		o->seed_p ? "as given by -s" : "each config's own");
	fprintf(af.f, "# brier: %.6g (base rate %.6g scores %.6g)\n# auc: %.6g\n", sc->brier,
		sc->base, sc->brier_base, sc->auc);
	fprintf(af.f, "config\tcase\tstart\tchallenged\thorizon_years\theld\ttrials\t"
		"p_deterred\tci_lo\tci_hi\n");
	for (i = 0; i < sc->n; i++) {
		const char *text[4] = { c[i].config, c[i].name, c[i].start, c[i].challenged };

		for (k = 0; k < 4; k++) {
			output_escape(af.f, text[k]);
			fputc('\t', af.f);
		}
		fprintf(af.f, "%.10g\t%d\t%llu\t%.10g\t%.10g\t%.10g\n", c[i].horizon, c[i].held,
			(unsigned long long)c[i].trials, c[i].p, c[i].lo, c[i].hi);
	}
	return atomic_commit(&af);
}

int cmd_backtest(int argc, char **argv)
{
	static const struct option opts[] = {
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_QUIET,
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_FORMAT,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static struct bcase c[MAX_CASES];
	const char *index = NULL, *dir = NULL;
	char found[4096];
	struct cliopt o;
	struct scores sc;
	struct case_scores surv[NPRED];
	int n, i, threads, ret = EXIT_OK, r;

	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":n:s:j:o:qh", opts, "backtest", usage_text, cliopt_output,
			 (void *)&dir);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (optind < argc)
		index = argv[optind++];
	if (optind < argc)
		return usage_error("backtest", "more than one INDEX given");
	if (!index && !(index = datadir_find(DEFAULT_INDEX, found, sizeof(found))))
		return EXIT_USAGE;
	threads = o.threads ? o.threads : omp_get_max_threads();
	n = read_index(index, c);
	if (n < 0)
		return EXIT_USAGE;
	if (dir && atomic_lock(dir) < 0)
		ret = EXIT_RUNTIME;
	for (i = 0; i < n && ret == EXIT_OK; i++) {
		if (!o.quiet)
			fprintf(stderr, "backtest: %s ...\n", c[i].name);
		ret = run_case(&c[i], o.trials_p, o.seed_p, threads);
	}
	if (ret == EXIT_OK) {
		score(c, n, &sc);
		print_cases(c, &sc);
		if (survival_scores(c, n, surv) < 0)
			ret = EXIT_RUNTIME;
		else
			print_survival(surv, n, sc.held);
		if (cliopt_flush())
			ret = EXIT_RUNTIME;
	}
	if (dir && ret == EXIT_OK &&
	    (write_cases(dir, index, &o, c, &sc) < 0 || write_scores(dir, index, surv) < 0 ||
	     write_curves(dir, index, c, n) < 0))
		ret = EXIT_RUNTIME;
	for (i = 0; i < n; i++) {
		free(c[i].curve.s);
		free(c[i].config);
		free(c[i].name);
		free(c[i].start);
		free(c[i].challenged);
	}
	return ret;
}

/* cmd_compare.c - "sim compare": scenarios side by side, run on the same
 * random numbers, with the differences and their intervals. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "core/atomic.h"
#include "core/paired.h"
#include "core/stats.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "engine/engine.h"
#include "io/output.h"
#include "engine/progress.h"
#include "engine/scenario.h"
#include "engine/sigstop.h"
#include "engine/summary.h"
#include "cli/usage.h"

#define MAX_SCENARIOS 16

static const char usage_text[] =
	"usage: sim compare A.cfg B.cfg [C.cfg ...] [-o DIR] [-n TRIALS] [-s SEED]\n"
	"                   [-j THREADS] [--set PATH=VALUE]... [--estimator NAME]\n"
	"                   [--format FMT] [-q]\n\n"
	"Runs each scenario on the same trials with the same random numbers\n"
	"(trial i of every scenario draws the same numbers: the first config's\n"
	"trials and seed, or -n and -s, apply to all), and prints the figures side\n"
	"by side with each scenario's difference from the first and its 95%\n"
	"interval. The scenarios must share one estimator, and should share the\n"
	"horizon and the steps per year (a warning says when they do not).\n"
	"Scenarios of different models (a commitment config and its crisis\n"
	"version, say) are compared on the figures both models declare, by key\n"
	"(a note names those left out); each model needs its own config, since\n"
	"their keys differ ('sim check' says which). For\n"
	"the figures the model pairs (p_deterred, p_attack and p_challenger_wins\n"
	"in the commitment model) the interval is paired (trial by trial), so it\n"
	"is narrow where the scenarios differ little: for a share of trials it is\n"
	"Tango's score interval, from the trials where only one of the two had the\n"
	"event: with no such trial it is +/- z^2 / (n + z^2), and it is [0, 0]\n"
	"only when the two configs hold the same values, so that no trial can\n"
	"differ. Under the conditional estimator (the default) it is the normal\n"
	"interval of the per-trial (or per antithetic pair) differences of the\n"
	"chances, and a point when both figures are exact. For the others\n"
	"(figures given an attack) it treats the\n"
	"scenarios as independent, which overstates it.\n\n"
	"With -o DIR, writes DIR/compare.tsv and, per scenario, DIR/sNN/ with the\n"
	"files of 'sim run -o'; 'sim plot DIR' then overlays the survival curves\n"
	"and sets the outcome bars side by side.\n\n"
	"  --set PATH=VALUE  override a value in every scenario\n"
	CLIOPT_FORMAT_HELP
	"  -q, --quiet       no progress line\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage or config error.\n";

struct diff {
	double d, lo, hi;
	int defined, paired;
};

/* M scenarios run on the same trials (of one model, or of several whose
 * figures are matched by key). */
struct comparison {
	int m;
	uint64_t trials, seed;
	struct cfg cfg[MAX_SCENARIOS];
	struct scenario sc[MAX_SCENARIOS];
	struct tally t[MAX_SCENARIOS];
	struct pairing pr[MAX_SCENARIOS];
	struct figure *fig[MAX_SCENARIOS];	/* [summary_count()] */
	struct diff *df[MAX_SCENARIOS];		/* [nfigures of scenario 0], from scenario 0 */
	long *map[MAX_SCENARIOS];	/* [nfigures of scenario 0]: the index of each in
					 * scenario K's layout (by key), or -1 */
	int same[MAX_SCENARIOS];	/* the values of scenario 0's config: no trial differs */
	int opened;
};

/* The paired sums of figure F in P, or -1 when F is not paired. */
static int paired_index(const struct pairing *p, size_t f)
{
	size_t j;

	for (j = 0; j < p->n; j++)
		if (p->fig[j] == f)
			return (int)j;
	return -1;
}

/* The difference of a figure of scenario K (FK) from scenario 0's (F0):
 * paired over the independent units of T0 (trials, or antithetic pairs) when
 * P has its sums (index PI), else as if independent. A paired figure
 * whose counter is a whole count is a share of trials, each trial
 * counting 0 or 1: its sums S1 and S2 of the differences give the trials
 * where only K had the event, B = (S2 + S1) / 2, and where only scenario
 * 0 had it, C = (S2 - S1) / 2, and Tango's score interval is formed from
 * them; unlike the normal interval it keeps its coverage when B or C is
 * small, and it is no point [0, 0] when no trial differs. A counter of
 * real contributions (the conditional estimator) keeps the normal
 * interval of the per-unit differences; when both figures are exact
 * (intervals of no width: nothing random is left in either scenario) so
 * is their difference. With SAME (the two scenarios' resolved configs
 * hold the same values, so no trial can differ) a paired difference is
 * exactly 0, with the interval [0, 0]. */
static struct diff difference(const struct figure *f0, const struct figure *fk,
			      const struct pairing *p, int pi, const struct tally *t0, int same)
{
	uint64_t n = t0->trials;

	struct diff r = { 0, 0, 0, 0, 0 };

	if (!f0->defined || !fk->defined)
		return r;
	r.defined = 1;
	r.d = fk->value - f0->value;
	if (pi >= 0) {
		double s1 = (double)tally_get(&p->t, 3 * (size_t)pi);
		double s2 = (double)tally_get(&p->t, 3 * (size_t)pi + 1);
		double s3 = (double)tally_get(&p->t, 3 * (size_t)pi + 2);
		uint64_t b, c;

		r.paired = 1;
		r.d = s1 / (double)n + 0.0;	/* no negative zero; S1 sums every trial */
		if (same)
			r.lo = r.hi = 0;
		else if (f0->has_ci && fk->has_ci && f0->lo == f0->hi && fk->lo == fk->hi)
			r.lo = r.hi = r.d;
		else if (p->frac[3 * (size_t)pi] == 0 && paired_discordant(s1, s2, n, &b, &c))
			paired_score(b, c, n, SIM_Z95, &r.lo, &r.hi);
		else
			paired_clusters(s1, s2, s3, n, t0->units, SIM_Z95, &r.lo, &r.hi);
	} else if (f0->has_ci && fk->has_ci) {
		double s0 = (f0->hi - f0->lo) / (2 * SIM_Z95), sk = (fk->hi - fk->lo) / (2 * SIM_Z95);
		double h = SIM_Z95 * sqrt(s0 * s0 + sk * sk);

		r.lo = r.d - h;
		r.hi = r.d + h;
	} else {
		r.lo = r.hi = NAN;
	}
	return r;
}

/* Scenario K's figure keyed as figure I of scenario 0, or NULL when its
 * model has none. */
static const struct figure *figure_of(const struct comparison *c, int k, size_t i)
{
	long j = c->map[k][i];

	return j < 0 ? NULL : &c->fig[k][j];
}

/* The most scenarios' values printed side by side: a table of them fits
 * 100 columns. */
#define VALUE_COLUMNS 6

/* Prints scenarios FIRST .. FIRST + N - 1's value of every figure. */
static void print_values(FILE *f, const struct comparison *c, int first, int n)
{
	const struct model_layout *L = c->sc[0].layout;
	size_t i;
	int k;

	fprintf(f, "\n%-32s", "figure");
	for (k = first; k < first + n; k++) {
		char label[16];

		snprintf(label, sizeof(label), "[%d]", k + 1);
		fprintf(f, " %9s", label);
	}
	fputc('\n', f);
	for (i = 0; i < L->nfigures; i++) {
		fprintf(f, "%-32s", L->figures[i].key);
		for (k = first; k < first + n; k++) {
			const struct figure *x = figure_of(c, k, i);

			if (x && x->defined)
				fprintf(f, " %9.4f", x->value);
			else
				fprintf(f, " %9s", "n/a");
		}
		fputc('\n', f);
	}
}

/* Prints scenario K's difference from scenario 1 in every figure, with
 * its interval. */
static void print_differences(FILE *f, const struct comparison *c, int k)
{
	const struct model_layout *L = c->sc[0].layout;
	char head[32];
	size_t i;

	snprintf(head, sizeof(head), "[%d] - [1]", k + 1);
	fprintf(f, "\n%-32s %9s  %s\n", head, "diff", "95% interval");
	for (i = 0; i < L->nfigures; i++) {
		const struct diff *d = &c->df[k][i];

		fprintf(f, "%-32s", L->figures[i].key);
		if (!d->defined)
			fprintf(f, " %9s\n", "n/a");
		else if (isnan(d->lo))
			fprintf(f, " %+9.4f\n", d->d);
		else
			fprintf(f, " %+9.4f  [%+.4f, %+.4f]%s\n", d->d, d->lo, d->hi,
				d->paired ? "" : " *");
	}
}

/* The table on stdout: the scenarios, their values (six to a block), then
 * each one's differences from the first, so that it fits 100 columns
 * however many scenarios there are. */
static void print_table(FILE *f, const struct comparison *c)
{
	int k;

	for (k = 0; k < c->m; k++)
		fprintf(f, "[%d] %s\n", k + 1, c->sc[k].name);
	for (k = 0; k < c->m; k += VALUE_COLUMNS)
		print_values(f, c, k, c->m - k < VALUE_COLUMNS ? c->m - k : VALUE_COLUMNS);
	for (k = 1; k < c->m; k++)
		print_differences(f, c, k);
	if (c->m > 1)
		fprintf(f, "\nDifferences from [1] with 95%% intervals: paired over the same "
			"trials, or (*) as if independent.\n");
}

/* The "# diff_K" line of compare.tsv: which figures are paired. */
static void tsv_note(FILE *f, const struct comparison *c)
{
	const struct pairing *p = &c->pr[1];
	size_t j;

	fprintf(f, "# diff_K = figure of scenario K minus that of scenario 1; intervals paired "
		"for ");
	for (j = 0; j < p->n; j++)
		fprintf(f, "%s%s", j ? ", " : "", c->sc[0].layout->figures[p->fig0[j]].key);
	fputs(p->n ? "\n" : "none\n", f);
}

/* The rows of compare.tsv, a figure each. */
static void tsv_rows(FILE *f, const struct comparison *c)
{
	const struct model_layout *L = c->sc[0].layout;
	size_t i;
	int k;

	for (i = 0; i < L->nfigures; i++) {
		fprintf(f, "%s", L->figures[i].key);
		for (k = 0; k < c->m; k++) {
			const struct figure *x = figure_of(c, k, i);

			if (x && x->defined)
				fprintf(f, "\t%.10g", x->value);
			else
				fputs("\tNaN", f);
			if (x && x->has_ci)
				fprintf(f, "\t%.10g\t%.10g", x->lo, x->hi);
			else
				fputs("\tNaN\tNaN", f);
		}
		for (k = 1; k < c->m; k++) {
			const struct diff *d = &c->df[k][i];

			if (d->defined)
				fprintf(f, "\t%.10g\t%.10g\t%.10g", d->d, d->lo, d->hi);
			else
				fputs("\tNaN\tNaN\tNaN", f);
		}
		fputc('\n', f);
	}
}

static int write_compare(const char *dir, struct comparison *c, int threads, double seconds)
{
	struct afile af;
	char sub[4096], trials[32];
	int k;

	for (k = 0; k < c->m; k++) {
		struct run_info ri = { &c->cfg[k], &c->sc[k], &c->t[k], c->fig[k], threads, seconds };

		snprintf(sub, sizeof(sub), "%s/s%02d", dir, k + 1);
		if (atomic_subdir(sub) < 0 || output_dir(sub, &ri) < 0)
			return -1;
	}
	if (atomic_open(&af, dir, "compare.tsv") < 0)
		return -1;
	snprintf(trials, sizeof(trials), "%llu", (unsigned long long)c->t[0].trials);
	output_header(af.f, &c->cfg[0], &c->sc[0], trials);
	for (k = 0; k < c->m; k++) {
		fprintf(af.f, "# scenario %d: ", k + 1);
		output_escape(af.f, c->sc[k].name);
		fputs(" (config ", af.f);
		output_escape(af.f, c->cfg[k].name);
		fprintf(af.f, ", files in s%02d/)\n", k + 1);
	}
	fprintf(af.f, "# streams: common (trial i draws the same numbers in every scenario)\n");
	tsv_note(af.f, c);
	fputs("figure", af.f);
	for (k = 0; k < c->m; k++)
		fprintf(af.f, "\tvalue_%d\tci_lo_%d\tci_hi_%d", k + 1, k + 1, k + 1);
	for (k = 1; k < c->m; k++)
		fprintf(af.f, "\tdiff_%d\tdiff_lo_%d\tdiff_hi_%d", k + 1, k + 1, k + 1);
	fputc('\n', af.f);
	tsv_rows(af.f, c);
	return atomic_commit(&af);
}

/* Whether config setting S is a number (integer or real). */
static int is_number(const config_setting_t *s)
{
	int t = config_setting_type(s);

	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 || t == CONFIG_TYPE_FLOAT;
}

/* The value of the number S as a real (libconfig converts no type by
 * itself unless told to). */
static double number_value(const config_setting_t *s)
{
	if (config_setting_type(s) == CONFIG_TYPE_FLOAT)
		return config_setting_get_float(s);
	return (double)config_setting_get_int64(s);
}

/* Whether the config settings A and B hold the same values: numbers of
 * the same value (1, 1L and 1.0 alike), the same booleans or strings,
 * and for a group the same members by name in any order, for a list or
 * array the same elements in order. Recursion stops at DEPTH 64,
 * answering no. */
static int same_setting(const config_setting_t *a, const config_setting_t *b, int depth)
{
	int i, n = config_setting_length(a), t = config_setting_type(a);

	if (is_number(a) && is_number(b)) {
		if (t != CONFIG_TYPE_FLOAT && config_setting_type(b) != CONFIG_TYPE_FLOAT)
			return config_setting_get_int64(a) == config_setting_get_int64(b);
		return number_value(a) == number_value(b);
	}
	if (t != config_setting_type(b) || depth > 64)
		return 0;
	if (t == CONFIG_TYPE_BOOL)
		return config_setting_get_bool(a) == config_setting_get_bool(b);
	if (t == CONFIG_TYPE_STRING)
		return !strcmp(config_setting_get_string(a), config_setting_get_string(b));
	if (n != config_setting_length(b))
		return 0;
	for (i = 0; i < n; i++) {
		const config_setting_t *x = config_setting_get_elem(a, (unsigned)i), *y;

		if (t == CONFIG_TYPE_GROUP)
			y = config_setting_get_member(b, config_setting_name(x));
		else
			y = config_setting_get_elem(b, (unsigned)i);
		if (!y || !same_setting(x, y, depth + 1))
			return 0;
	}
	return 1;
}

/* Whether the resolved configs A and B hold the same values (in whatever
 * order their keys were written): the scenarios then run the same trials
 * (they share the seed and the number of trials), so no trial can
 * differ. */
static int same_config(const struct cfg *a, const struct cfg *b)
{
	return same_setting(config_root_setting(&a->lc), config_root_setting(&b->lc), 0);
}

/* Warns when scenario K (S) runs over another horizon or with other steps
 * than scenario 0 (S0): its figures (a share of trials attacked within the
 * horizon, a mean year of attack) are then about other things. */
static void warn_time(const struct scenario *s0, const struct scenario *s, int k)
{
	char what[160] = "";
	size_t len = 0;

	if (s->horizon != s0->horizon)
		len += (size_t)snprintf(what, sizeof(what), "horizon (%g years against %g)",
					s->horizon, s0->horizon);
	if (s->steps_per_year != s0->steps_per_year)
		snprintf(what + len, sizeof(what) - len, "%ssteps per year (%ld against %ld)",
			 len ? " and " : "", s->steps_per_year, s0->steps_per_year);
	if (*what)
		warning("[%d] differs from [1] in its %s: their figures are about different "
			"things, and so are the differences", k + 1, what);
}

/* Matches each figure of scenario 0 with scenario K's of the same key.
 * Scenarios of different models are compared on the figures they share,
 * with a note of those left out; none shared is an error. Returns 0 or
 * the exit code. */
static int match_figures(struct comparison *c, int k)
{
	const struct model_layout *L0 = c->sc[0].layout, *L = c->sc[k].layout;
	char missing[256] = "";
	size_t i, j, shared = 0, len = 0;

	for (i = 0; i < L0->nfigures; i++) {
		c->map[k][i] = -1;
		for (j = 0; j < L->nfigures; j++)
			if (!strcmp(L0->figures[i].key, L->figures[j].key))
				c->map[k][i] = (long)j;
		if (c->map[k][i] >= 0)
			shared++;
		else if (len < sizeof(missing))
			len += (size_t)snprintf(missing + len, sizeof(missing) - len, "%s%s",
						len ? ", " : "", L0->figures[i].key);
	}
	if (c->sc[k].model == c->sc[0].model)
		return 0;
	if (!shared)
		return usage_error("compare", "[%d] (model %s) has no figure of [1] (model %s): "
				   "nothing to compare", k + 1, c->sc[k].model->name,
				   c->sc[0].model->name);
	warning("[%d] runs model %s and [1] model %s: compared on the %zu figures they share%s%s",
	     k + 1, c->sc[k].model->name, c->sc[0].model->name, shared,
	     *missing ? "; not in both: " : "", missing);
	return 0;
}

/* Opens scenario K of C from PATH; the first one's trials and seed (or -n
 * and -s) apply to all. Returns 0, or the exit code after an error. */
static int open_one(struct comparison *c, int k, const char *path, const struct cliopt *o)
{
	struct scenario *s = &c->sc[k];

	if (scenario_open(s, &c->cfg[k], path, o->sets, o->nsets, k ? &c->trials : o->trials_p,
			  k ? &c->seed : o->seed_p) < 0) {
		cfg_release(&c->cfg[k]);
		return EXIT_USAGE;
	}
	c->opened++;
	if (k == 0) {
		c->trials = s->trials;
		c->seed = s->seed;
	} else if (s->estimator != c->sc[0].estimator || s->antithetic != c->sc[0].antithetic) {
		/* Trial i would not draw the same numbers, nor count alike. */
		return usage_error("compare", "the scenarios must share one estimator: [1] is "
				   "%s%s, [%d] is %s%s (--estimator NAME sets it for all)",
				   scenario_estimator_name(&c->sc[0]), c->sc[0].antithetic
				   ? " with antithetic pairs" : "", k + 1, scenario_estimator_name(s),
				   s->antithetic ? " with antithetic pairs" : "");
	} else {
		warn_time(&c->sc[0], s, k);
		c->same[k] = same_config(&c->cfg[0], &c->cfg[k]);
	}
	c->fig[k] = malloc(sizeof(struct figure) * summary_count(s->layout));
	c->df[k] = calloc(c->sc[0].layout->nfigures + 1, sizeof(struct diff));
	c->map[k] = calloc(c->sc[0].layout->nfigures + 1, sizeof(long));
	if (!c->fig[k] || !c->df[k] || !c->map[k] || engine_tally(&c->t[k], s) < 0 ||
	    pairing_init(&c->pr[k], s, &c->sc[0]) < 0) {
		error("out of memory");
		return EXIT_RUNTIME;
	}
	return match_figures(c, k);
}

/* Runs the scenarios of C on THREADS threads and forms their figures and
 * differences. Returns 0, or the exit code after an error. */
static int run_all(struct comparison *c, int threads)
{
	const struct scenario *sp[MAX_SCENARIOS];
	struct engine_run r = { .s = sp, .m = c->m, .count = c->trials, .threads = threads };
	size_t i;
	int k, x;

	for (k = 0; k < c->m; k++)
		sp[k] = &c->sc[k];
	r.stop = sigstop_install();
	x = engine_run(&r, c->t, c->pr);
	if (x != 0) {
		error(x < 0 ? "out of memory while running trials" : "interrupted; nothing written");
		return x < 0 ? EXIT_RUNTIME : sigstop_status((int)*r.stop);
	}
	for (k = 0; k < c->m; k++)
		summary_compute(c->sc[k].layout, &c->t[k], c->sc[k].dt, c->fig[k]);
	for (k = 1; k < c->m; k++)
		for (i = 0; i < c->sc[0].layout->nfigures; i++) {
			long j = c->map[k][i];

			if (j >= 0)
				c->df[k][i] = difference(&c->fig[0][i], &c->fig[k][j], &c->pr[k],
							 paired_index(&c->pr[k], (size_t)j),
							 &c->t[0], c->same[k]);
		}
	return 0;
}

static void release(struct comparison *c)
{
	int k;

	for (k = 0; k < c->opened; k++) {
		tally_release(&c->t[k]);
		pairing_release(&c->pr[k]);
		free(c->fig[k]);
		free(c->df[k]);
		free(c->map[k]);
		scenario_release(&c->sc[k]);
		cfg_release(&c->cfg[k]);
	}
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_SET, CLIOPT_ESTIMATOR,
		CLIOPT_QUIET,
		CLIOPT_FORMAT,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	int k, threads, ret = EXIT_OK, r;
	struct cliopt o;
	struct comparison *c = calloc(1, sizeof(*c));
	volatile sig_atomic_t *stop;
	double t0;

	if (!c)
		return error("out of memory"), EXIT_RUNTIME;
	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":o:n:s:j:qh", opts, "compare", usage_text, cliopt_output,
			 (void *)&dir);
	if (r || argc - optind < 2 || argc - optind > MAX_SCENARIOS) {
		free(c);
		if (r)
			return r < 0 ? EXIT_OK : r;
		if (argc - optind < 2)
			return usage_error("compare", "give at least two configs");
		return usage_error("compare", "more than %d configs", MAX_SCENARIOS);
	}
	c->m = argc - optind;
	threads = o.threads ? o.threads : omp_get_max_threads();
	/* From now a signal stops the run, even one that comes while the
	 * scenarios load (long ones take a while to lay out). */
	stop = sigstop_install();
	for (k = 0; k < c->m && ret == EXIT_OK; k++) {
		ret = open_one(c, k, argv[optind + k], &o);
		if (ret == EXIT_OK && *stop) {
			error("interrupted; nothing written");
			ret = sigstop_status((int)*stop);
		}
	}
	if (ret == EXIT_OK && dir && atomic_lock(dir) < 0)
		ret = EXIT_RUNTIME;
	t0 = progress_now();
	if (ret == EXIT_OK)
		ret = run_all(c, threads);
	if (ret == EXIT_OK && dir && write_compare(dir, c, threads, progress_now() - t0) < 0)
		ret = EXIT_RUNTIME;
	if (ret == EXIT_OK) {
		printf("compare: %llu trials each, seed %llu, common random numbers, %.2f s\n\n",
		       (unsigned long long)c->trials, (unsigned long long)c->seed,
		       progress_now() - t0);
		print_table(stdout, c);
		if (cliopt_flush())
			ret = EXIT_RUNTIME;
	}
	if (dir && !o.quiet && ret == EXIT_OK)
		fprintf(stderr, "wrote %s/compare.tsv and %s/s01 .. s%02d\n", dir, dir, c->m);
	release(c);
	free(c);
	return ret;
}

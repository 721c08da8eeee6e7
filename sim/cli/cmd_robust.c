/* cmd_robust.c - "sim robust": guarantee designs evaluated over the same
 * sample of uncertain futures on common random numbers; satisficing,
 * regret, and the futures where each design's regret is large. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <omp.h>

#include "core/atomic.h"
#include "core/rng.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "cli/usage.h"
#include "engine/sigstop.h"
#include "io/output.h"
#include "io/provenance.h"
#include "study/design.h"
#include "study/points.h"
#include "study/prim.h"
#include "study/robust.h"

#define MAX_DESIGNS 16
#define MAX_RANGES 64
#define MAX_SETS 32
#define MAX_FUTURES 100000

static const char usage_text[] =
	"usage: sim robust [CONFIG] --design NAME=SPEC ... --range PATH=LO:HI ...\n"
	"                  [--lhs N] [--figure KEY] [--satisfice T] [--regret R]\n"
	"                  [-n TRIALS] [-s SEED] [-j THREADS] [--set PATH=VALUE] [-q] [-o DIR]\n"
	"                  [--format FMT]\n\n"
	"Evaluates several guarantee designs over the same sample of uncertain\n"
	"futures on common random numbers: N futures (default 50) drawn as a Latin\n"
	"hypercube over the --range uncertainties, as 'sim sample' draws them from\n"
	"the seed, each design run in each future with the same trials and seed.\n"
	"Prints, per design, the distribution of the figure (default p_deterred,\n"
	"higher is better) over the futures, the share of futures where it is at\n"
	"least T (satisficing, default 0.9), its regret in each future (the best\n"
	"design's figure there minus its own) summarised by mean, 90th percentile\n"
	"and maximum (minimax regret), how often it is the best, and, by PRIM on\n"
	"the futures, where its regret exceeds R (default 0.05).\n\n"
	"  --design NAME=SPEC  a design (2 to 16): SPEC is a config file, or a config\n"
	"                  file followed by ' --set PATH=VALUE' overrides, or only\n"
	"                  the overrides (of CONFIG, or of the default scenario);\n"
	"                  NAME of letters, digits, '_', '.', '-' (at most 40)\n"
	"  --range PATH=LO:HI  an uncertainty, the same path in every design (repeatable)\n"
	"  --lhs N         futures (default 50, at most 100000)\n"
	"  --figure KEY    the figure compared (default p_deterred; higher is better)\n"
	"  --satisfice T   the level a design should reach (default 0.9)\n"
	"  --regret R      the regret PRIM explains (default 0.05)\n"
	"  --set PATH=VALUE  an override for every design\n"
	"  -n, -s, -j, -q  trials (default: the first design's), seed (likewise),\n"
	"                  threads, no progress lines\n"
	"  -o, --output DIR  write DIR/robust.tsv (a row per future: its inputs, each\n"
	"                  design's figure and regret) and DIR/designs.tsv (the\n"
	"                  summaries); 'sim plot DIR' draws robust.png\n"
	CLIOPT_FORMAT_HELP "\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage or config error;\n"
	"128 + N when stopped by signal N (nothing written).\n";

struct design {
	char name[48];
	char *file;			/* NULL: CONFIG or the default */
	char *own[MAX_SETS];		/* its --set overrides, owned */
	int nown;
	char *sets[MAX_SETS + 256];	/* every --set, its own last */
	int nsets;
	struct points_opts po;
};

struct robust {
	struct design d[MAX_DESIGNS];
	size_t nd;
	struct vary r[MAX_RANGES];
	char *paths[MAX_RANGES];
	double lo[MAX_RANGES], hi[MAX_RANGES];
	size_t nr;
	long nf;
	const char *config, *figure, *dir;
	double satisfice, regret;
	double *x, *y, *reg;		/* futures x inputs; designs x futures */
	struct robust_stats st[MAX_DESIGNS];
	uint64_t trials, seed;
};

static int valid_name(const char *s, size_t n)
{
	size_t k;

	if (!n || n > 40)
		return 0;
	for (k = 0; k < n; k++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", s[k]))
			return 0;
	return 1;
}

/* Parses --design NAME=SPEC into the next design. */
static int add_design(struct robust *w, const char *arg)
{
	const char *eq = strchr(arg, '='), *p;
	struct design *d = &w->d[w->nd];
	size_t k;

	if (w->nd == MAX_DESIGNS)
		return usage_error("robust", "--design: at most %d designs", MAX_DESIGNS);
	if (!eq || !valid_name(arg, (size_t)(eq - arg)))
		return usage_error("robust", "--design: expected NAME=SPEC with NAME of letters, "
				   "digits, '_', '.' and '-' (at most 40), got '%.60s'", arg);
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%.*s", (int)(eq - arg), arg);
	for (k = 0; k < w->nd; k++)
		if (!strcmp(w->d[k].name, d->name))
			return usage_error("robust", "--design: '%s' named twice", d->name);
	p = eq + 1;
	while (*p == ' ')
		p++;
	if (strncmp(p, "--set ", 6)) {
		const char *end = strstr(p, " --set ");
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n && p[n - 1] == ' ')
			n--;
		if (!n)
			return usage_error("robust", "--design %s: no config and no --set", d->name);
		if (!(d->file = strndup(p, n)))
			return EXIT_RUNTIME;
		p = end ? end + 1 : p + strlen(p);
	}
	while (!strncmp(p, "--set ", 6)) {
		const char *v = p + 6, *end = strstr(v, " --set ");
		size_t n = end ? (size_t)(end - v) : strlen(v);

		if (d->nown == MAX_SETS)
			return usage_error("robust", "--design %s: at most %d --set", d->name, MAX_SETS);
		while (n && v[n - 1] == ' ')
			n--;
		if (!(d->own[d->nown++] = strndup(v, n)))
			return EXIT_RUNTIME;
		p = end ? end + 1 : v + strlen(v);
	}
	if (*p)
		return usage_error("robust", "--design %s: expected ' --set PATH=VALUE', got '%.40s'",
				   d->name, p);
	w->nd++;
	return 0;
}

static int own(void *ctx, int c, const char *arg)
{
	struct robust *w = ctx;
	double x;
	int r;

	switch (c) {
	case 'o':
		return cliopt_output(&w->dir, c, arg);
	case 'D':
		return add_design(w, arg);
	case 'R':
		if (w->nr == MAX_RANGES)
			return usage_error("robust", "--range: at most %d ranges", MAX_RANGES);
		if (range_parse(arg, "--range", &w->r[w->nr]) < 0)
			return EXIT_USAGE;
		w->paths[w->nr] = w->r[w->nr].path;
		w->lo[w->nr] = w->r[w->nr].v[0];
		w->hi[w->nr] = w->r[w->nr].v[1];
		w->nr++;
		return 0;
	case 'L':
		if ((r = cliopt_number("robust", "--lhs", arg, 2, MAX_FUTURES, 1, &x)))
			return r;
		w->nf = (long)x;
		return 0;
	case 'F':
		w->figure = arg;
		return 0;
	case 'T':
		return cliopt_number("robust", "--satisfice", arg, -1e300, 1e300, 0, &w->satisfice);
	case 'G':
		return cliopt_number("robust", "--regret", arg, 0, 1e300, 0, &w->regret);
	default:
		return EXIT_USAGE;
	}
}

/* Sets every design's shared options from O (global --set first). */
static void setup_designs(struct robust *w, const struct cliopt *o, volatile sig_atomic_t *stop)
{
	size_t k;
	int i;

	for (k = 0; k < w->nd; k++) {
		struct design *d = &w->d[k];

		for (i = 0; i < o->nsets; i++)
			d->sets[i] = o->sets[i];
		for (i = 0; i < d->nown; i++)
			d->sets[o->nsets + i] = d->own[i];
		d->nsets = o->nsets + d->nown;
		d->po.config = d->file ? d->file : w->config;
		d->po.sets = d->sets;
		d->po.nsets = d->nsets;
		d->po.trials = &w->trials;
		d->po.seed = &w->seed;
		d->po.threads = o->threads ? o->threads : omp_get_max_threads();
		d->po.stop = stop;
		d->po.vary_name = "--range";
	}
}

/* The trials, seed and generator: -n and -s, else the first design's;
 * then the futures, drawn as 'sim sample' draws its design. Returns 0 or
 * the exit code. */
static int draw_futures(struct robust *w, const struct cliopt *o)
{
	struct points_opts po = w->d[0].po;
	struct cfg c;
	struct scenario s;
	gsl_rng *r;

	po.trials = o->trials_p;
	po.seed = o->seed_p;
	if (point_open(&po, w->nr, w->paths, w->lo, 0, &c, &s) < 0) {
		cfg_release(&c);
		return EXIT_USAGE;
	}
	w->trials = s.trials;
	w->seed = s.seed;
	w->x = malloc(sizeof(double) * w->nr * (size_t)w->nf);
	r = w->x ? gsl_rng_alloc(s.rng) : NULL;
	if (r) {
		rng_stream(r, s.seed, 0, STREAM_DESIGN);
		design_lhs(r, (size_t)w->nf, w->nr, w->x);
		design_scale(w->x, (size_t)w->nf, w->nr, w->lo, w->hi);
		gsl_rng_free(r);
	}
	scenario_release(&s);
	cfg_release(&c);
	if (!r) {
		error("out of memory");
		return EXIT_RUNTIME;
	}
	return 0;
}

/* The index of figure KEY in S's layout, or -1 (printed). */
static long figure_of(const struct scenario *s, const char *key, const char *design)
{
	size_t j;

	for (j = 0; j < s->layout->nfigures; j++)
		if (!strcmp(s->layout->figures[j].key, key))
			return (long)j;
	usage_error("robust", "--design %s: its model reports no figure '%.60s'", design, key);
	return -1;
}

/* Runs design K in future F into W->y. Returns 0, 1 when stopped, or the
 * exit code. */
static int run_point(struct robust *w, size_t k, long f)
{
	struct design *d = &w->d[k];
	struct cfg c;
	struct scenario s;
	struct tally t = { 0 };
	struct figure *fig;
	long j;
	int r;

	if (point_open(&d->po, w->nr, w->paths, w->x + (size_t)f * w->nr, (uint64_t)f, &c, &s) < 0) {
		cfg_release(&c);
		return EXIT_USAGE;
	}
	if ((j = figure_of(&s, w->figure, d->name)) < 0) {
		scenario_release(&s);
		cfg_release(&c);
		return EXIT_USAGE;
	}
	fig = malloc(sizeof(*fig) * summary_count(s.layout));
	r = fig ? point_run(&d->po, &s, &t, fig) : -1;
	if (r == 0)
		w->y[k * (size_t)w->nf + (size_t)f] = fig[j].defined ? fig[j].value : NAN;
	free(fig);
	tally_release(&t);
	scenario_release(&s);
	cfg_release(&c);
	return r < 0 ? EXIT_RUNTIME : r;
}

static int run_all(struct robust *w, int quiet)
{
	size_t k;
	long f;
	int r;

	w->y = malloc(sizeof(double) * w->nd * (size_t)w->nf);
	w->reg = malloc(sizeof(double) * w->nd * (size_t)w->nf);
	if (!w->y || !w->reg) {
		error("out of memory");
		return EXIT_RUNTIME;
	}
	for (k = 0; k < w->nd; k++) {
		if (!quiet)
			fprintf(stderr, "robust: design %s in %ld futures ...\n", w->d[k].name, w->nf);
		for (f = 0; f < w->nf; f++)
			if ((r = run_point(w, k, f)))
				return r;
		for (f = 0; f < w->nf; f++)
			if (isnan(w->y[k * (size_t)w->nf + (size_t)f])) {
				error("design %s, future %ld: %s is undefined there", w->d[k].name, f + 1,
				      w->figure);
				return EXIT_RUNTIME;
			}
	}
	return 0;
}

static void print_table(const struct robust *w)
{
	size_t k, mm = robust_minimax(w->st, w->nd), ms = robust_satisficer(w->st, w->nd);

	printf("robust: %zu designs in %ld futures (a Latin hypercube over %zu uncertain%s, seed "
	       "%llu), %llu trials each on common random numbers; %s, higher is better\n\n",
	       w->nd, w->nf, w->nr, w->nr == 1 ? "ty" : "ties", (unsigned long long)w->seed,
	       (unsigned long long)w->trials, w->figure);
	printf("%-16s %7s %7s %7s %7s %7s %12s %12s %7s %7s %8s\n", "design", "mean", "min", "10%",
	       "median", "90%", "satisficing", "mean regret", "90%", "max", "best in");
	for (k = 0; k < w->nd; k++) {
		const struct robust_stats *s = &w->st[k];

		printf("%-16.16s %7.4f %7.4f %7.4f %7.4f %7.4f %11.1f%% %12.4f %7.4f %7.4f %7.1f%%\n",
		       w->d[k].name, s->mean, s->min, s->q10, s->median, s->q90,
		       100 * s->satisficing, s->mean_regret, s->q90_regret, s->max_regret,
		       100 * s->best_share);
	}
	printf("\nSatisficing: the share of futures where %s >= %g. Regret: the best design's "
	       "%s in that future minus this one's.\nMinimax regret: %s (at most %.4f below the "
	       "best in any future). Satisficing most often: %s (%.1f%% of futures).\n",
	       w->figure, w->satisfice, w->figure, w->d[mm].name, w->st[mm].max_regret,
	       w->d[ms].name, 100 * w->st[ms].satisficing);
}

/* Where design K's regret exceeds R: PRIM on the futures. */
static int print_regret_box(const struct robust *w, size_t k)
{
	unsigned char *y = malloc((size_t)w->nf);
	struct prim_data d = { (size_t)w->nf, w->nr, w->x, y };
	struct prim_opts o = { 0.05, 0.05 };
	struct prim_trajectory t = { 0 };
	struct prim_box b = { 0 };
	size_t f, j, n = 0, chosen;

	if (!y)
		return -1;
	for (f = 0; f < (size_t)w->nf; f++)
		n += y[f] = w->reg[k * (size_t)w->nf + f] > w->regret;
	printf("  %s: regret above %g in %zu of %ld futures", w->d[k].name, w->regret, n, w->nf);
	if (n && n < (size_t)w->nf && prim_find(&d, NULL, &o, 0, 1, &t, &b, &chosen) == 0 &&
	    b.restricted) {
		printf("; the box holding %.0f%% of them at density %.2f:\n", 100 * b.coverage,
		       b.density);
		for (j = 0; j < w->nr; j++)
			if (!(b.lo[j] == -HUGE_VAL && b.hi[j] == HUGE_VAL))
				printf("      %-40.40s from %-10.6g to %-10.6g (quasi-p %.2g)\n", w->paths[j],
				       isinf(b.lo[j]) ? w->lo[j] : b.lo[j],
				       isinf(b.hi[j]) ? w->hi[j] : b.hi[j], prim_quasi_p(&d, NULL, &b, j));
	} else {
		printf(n == (size_t)w->nf ? ": in every future\n"
		       : n ? "; no box of futures explains it\n" : "\n");
	}
	prim_box_free(&b);
	prim_trajectory_free(&t);
	free(y);
	return 0;
}

static void provenance(FILE *f, const struct robust *w)
{
	size_t k, j;
	int i;

	provenance_write(f);
	fprintf(f, "# robust\n# figure: %s (higher is better); satisfice: %.10g; "
		"regret explained: %.10g\n# futures: %ld, Latin hypercube drawn from seed %llu; "
		"trials: %llu per design and future, common random numbers\n", w->figure,
		w->satisfice, w->regret, w->nf, (unsigned long long)w->seed,
		(unsigned long long)w->trials);
	for (j = 0; j < w->nr; j++) {
		fputs("# range: ", f);
		output_escape(f, w->paths[j]);
		fprintf(f, " = %.10g:%.10g\n", w->lo[j], w->hi[j]);
	}
	fprintf(f, "# designs: %zu\n", w->nd);
	for (k = 0; k < w->nd; k++) {
		fprintf(f, "# design: %s = ", w->d[k].name);
		output_escape(f, w->d[k].po.config ? w->d[k].po.config : "(default)");
		for (i = 0; i < w->d[k].nsets; i++) {
			fputs(" --set ", f);
			output_escape(f, w->d[k].sets[i]);
		}
		fputc('\n', f);
	}
}

static int write_files(const struct robust *w)
{
	struct afile af;
	size_t k, j;
	long f;

	if (atomic_open(&af, w->dir, "robust.tsv") < 0)
		return -1;
	provenance(af.f, w);
	fputs("future", af.f);
	for (j = 0; j < w->nr; j++) {
		fputc('\t', af.f);
		output_escape(af.f, w->paths[j]);
	}
	for (k = 0; k < w->nd; k++)
		fprintf(af.f, "\t%s\t%s_regret", w->d[k].name, w->d[k].name);
	fputc('\n', af.f);
	for (f = 0; f < w->nf; f++) {
		fprintf(af.f, "%ld", f + 1);
		for (j = 0; j < w->nr; j++)
			fprintf(af.f, "\t%.17g", w->x[(size_t)f * w->nr + j]);
		for (k = 0; k < w->nd; k++)
			fprintf(af.f, "\t%.10g\t%.10g", w->y[k * (size_t)w->nf + (size_t)f],
				w->reg[k * (size_t)w->nf + (size_t)f]);
		fputc('\n', af.f);
	}
	if (atomic_commit(&af) < 0 || atomic_open(&af, w->dir, "designs.tsv") < 0)
		return -1;
	provenance(af.f, w);
	fputs("design\tmean\tmin\tq10\tmedian\tq90\tmax\tsatisficing\tmean_regret\tq90_regret\t"
	      "max_regret\tbest_share\n", af.f);
	for (k = 0; k < w->nd; k++) {
		const struct robust_stats *s = &w->st[k];

		fprintf(af.f, "%s\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g\t%.10g"
			"\t%.10g\n", w->d[k].name, s->mean, s->min, s->q10, s->median, s->q90, s->max,
			s->satisficing, s->mean_regret, s->q90_regret, s->max_regret, s->best_share);
	}
	return atomic_commit(&af);
}

static void robust_free(struct robust *w)
{
	size_t k, j;
	int i;

	for (k = 0; k < w->nd; k++) {
		free(w->d[k].file);
		for (i = 0; i < w->d[k].nown; i++)
			free(w->d[k].own[i]);
	}
	for (j = 0; j < w->nr; j++)
		vary_release(&w->r[j]);
	free(w->x);
	free(w->y);
	free(w->reg);
}

int cmd_robust(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "design", required_argument, NULL, 'D' },
		{ "range", required_argument, NULL, 'R' },
		{ "lhs", required_argument, NULL, 'L' },
		{ "figure", required_argument, NULL, 'F' },
		{ "satisfice", required_argument, NULL, 'T' },
		{ "regret", required_argument, NULL, 'G' },
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_SET, CLIOPT_QUIET,
		CLIOPT_FORMAT,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct robust w;
	volatile sig_atomic_t *stop;
	struct cliopt o;
	size_t k;
	int r;

	memset(&w, 0, sizeof(w));
	w.nf = 50;
	w.figure = "p_deterred";
	w.satisfice = 0.9;
	w.regret = 0.05;
	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":n:s:j:o:qh", opts, "robust", usage_text, own, &w);
	if (!r && optind < argc)
		w.config = argv[optind++];
	if (!r && optind < argc)
		r = usage_error("robust", "more than one CONFIG given ('%s')", argv[optind]);
	if (!r && w.nd < 2)
		r = usage_error("robust", "give at least two --design NAME=SPEC");
	if (!r && !w.nr)
		r = usage_error("robust", "give at least one --range PATH=LO:HI (the uncertainties)");
	if (r) {
		robust_free(&w);
		return r < 0 ? EXIT_OK : r;
	}
	stop = sigstop_install();
	setup_designs(&w, &o, stop);
	for (k = 0; !r && k < w.nd; k++)
		if (points_check_paths(&w.d[k].po, w.nr, w.paths, "--range") < 0)
			r = EXIT_USAGE;
	if (!r)
		r = draw_futures(&w, &o);
	if (!r)
		r = run_all(&w, o.quiet);
	if (r == 1) {
		error("interrupted; nothing written");
		r = sigstop_status(*stop);
	}
	if (!r && robust_evaluate(w.y, w.nd, (size_t)w.nf, w.satisfice, w.reg, w.st) < 0) {
		error("out of memory");
		r = EXIT_RUNTIME;
	}
	if (!r) {
		print_table(&w);
		printf("\nWhere each design falls short (PRIM on the futures):\n");
		for (k = 0; k < w.nd; k++)
			print_regret_box(&w, k);
		r = cliopt_flush();
	}
	if (!r && w.dir && (atomic_lock(w.dir) < 0 || write_files(&w) < 0))
		r = EXIT_RUNTIME;
	robust_free(&w);
	return r;
}

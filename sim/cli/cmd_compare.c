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
	"                   [-j THREADS] [--set PATH=VALUE]... [-q]\n\n"
	"Runs each scenario on the same trials with the same random numbers\n"
	"(trial i of every scenario draws the same numbers: the first config's\n"
	"trials and seed, or -n and -s, apply to all), and prints the figures side\n"
	"by side with each scenario's difference from the first and its 95%\n"
	"interval. For p_deterred, p_attack and p_challenger_wins the interval is\n"
	"paired (trial by trial), so it is narrow where the scenarios differ\n"
	"little; for the figures given an attack it treats the scenarios as\n"
	"independent, which overstates it.\n\n"
	"With -o DIR, writes DIR/compare.tsv and, per scenario, DIR/sNN/ with the\n"
	"files of 'sim run -o'; 'sim plot DIR' then overlays the survival curves\n"
	"and sets the outcome bars side by side.\n\n"
	"  --set PATH=VALUE  override a value in every scenario\n"
	"  -q, --quiet       no progress line\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage or config error.\n";

struct diff {
	double d, lo, hi;
	int defined, paired;
};

/* The difference of figure F of scenario K from scenario 0. */
static struct diff difference(int f, const struct figure *f0, const struct figure *fk,
			      const struct pairing *p, uint64_t n)
{
	struct diff r = { 0, 0, 0, 0, 0 };
	int pi = f == FIG_P_DETERRED || f == FIG_P_ATTACK ? PAIR_DETERRED
		 : f == FIG_P_CHALLENGER_WINS ? PAIR_WON : -1;

	if (!f0->defined || !fk->defined)
		return r;
	r.defined = 1;
	r.d = fk->value - f0->value;
	if (pi >= 0) {
		double b = (double)p->b[pi], c = (double)p->c[pi], nn = (double)n;
		double d = (b - c) / nn, var = (b + c - (b - c) * (b - c) / nn) / (nn * nn);
		double h = SIM_Z95 * sqrt(var > 0 ? var : 0);

		if (f == FIG_P_ATTACK)
			d = -d;
		d += 0.0;	/* no negative zero */
		r.paired = 1;
		r.d = d;
		r.lo = d - h + 0.0;
		r.hi = d + h;
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

static void print_table(FILE *f, int m, struct scenario *sc, struct figure (*fig)[N_FIGURES],
			struct diff (*df)[N_FIGURES])
{
	int k, i;

	for (k = 0; k < m; k++)
		fprintf(f, "[%d] %s\n", k + 1, sc[k].name);
	fprintf(f, "\n%-32s", "figure");
	for (k = 0; k < m; k++) {
		char label[16];

		snprintf(label, sizeof(label), "[%d]", k + 1);
		fprintf(f, " %9s", label);
	}
	fputc('\n', f);
	for (i = 0; i < N_FIGURES; i++) {
		fprintf(f, "%-32s", summary_key(i));
		for (k = 0; k < m; k++) {
			if (fig[k][i].defined)
				fprintf(f, " %9.4f", fig[k][i].value);
			else
				fprintf(f, " %9s", "n/a");
		}
		for (k = 1; k < m; k++) {
			const struct diff *d = &df[k][i];

			if (!d->defined)
				fprintf(f, "  [%d]-[1] %-19s", k + 1, "n/a");
			else if (isnan(d->lo))
				fprintf(f, "  [%d]-[1] %+8.4f %-10s", k + 1, d->d, "");
			else
				fprintf(f, "  [%d]-[1] %+8.4f [%+.4f, %+.4f]%s", k + 1, d->d, d->lo, d->hi,
					d->paired ? "" : "*");
		}
		fputc('\n', f);
	}
	if (m > 1)
		fprintf(f, "\nDifferences from [1] with 95%% intervals: paired over the same "
			"trials, or (*) as if independent.\n");
}

static int write_compare(const char *dir, int m, struct cfg *cfg, struct scenario *sc,
			 struct tally *t, struct figure (*fig)[N_FIGURES],
			 struct diff (*df)[N_FIGURES], int threads, double seconds)
{
	struct afile af;
	char sub[4096], trials[32];
	int k, i;

	for (k = 0; k < m; k++) {
		struct run_info ri = { &cfg[k], &sc[k], &t[k], fig[k], threads, seconds };

		snprintf(sub, sizeof(sub), "%s/s%02d", dir, k + 1);
		if (atomic_subdir(sub) < 0 || output_dir(sub, &ri) < 0)
			return -1;
	}
	if (atomic_open(&af, dir, "compare.tsv") < 0)
		return -1;
	snprintf(trials, sizeof(trials), "%llu", (unsigned long long)t[0].trials);
	output_header(af.f, cfg[0].name, &sc[0], trials);
	for (k = 0; k < m; k++) {
		fprintf(af.f, "# scenario %d: ", k + 1);
		output_escape(af.f, sc[k].name);
		fputs(" (config ", af.f);
		output_escape(af.f, cfg[k].name);
		fprintf(af.f, ", files in s%02d/)\n", k + 1);
	}
	fprintf(af.f, "# streams: common (trial i draws the same numbers in every scenario)\n");
	fprintf(af.f, "# diff_K = figure of scenario K minus that of scenario 1; intervals "
		"paired for p_deterred, p_attack, p_challenger_wins\n# figure");
	for (k = 0; k < m; k++)
		fprintf(af.f, "\tvalue_%d\tci_lo_%d\tci_hi_%d", k + 1, k + 1, k + 1);
	for (k = 1; k < m; k++)
		fprintf(af.f, "\tdiff_%d\tdiff_lo_%d\tdiff_hi_%d", k + 1, k + 1, k + 1);
	fputc('\n', af.f);
	for (i = 0; i < N_FIGURES; i++) {
		fprintf(af.f, "%s", summary_key(i));
		for (k = 0; k < m; k++) {
			const struct figure *x = &fig[k][i];

			if (x->defined)
				fprintf(af.f, "\t%.10g", x->value);
			else
				fputs("\tNaN", af.f);
			if (x->has_ci)
				fprintf(af.f, "\t%.10g\t%.10g", x->lo, x->hi);
			else
				fputs("\tNaN\tNaN", af.f);
		}
		for (k = 1; k < m; k++) {
			const struct diff *d = &df[k][i];

			if (d->defined)
				fprintf(af.f, "\t%.10g\t%.10g\t%.10g", d->d, d->lo, d->hi);
			else
				fputs("\tNaN\tNaN\tNaN", af.f);
		}
		fputc('\n', af.f);
	}
	return atomic_commit(&af);
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_SET, CLIOPT_QUIET,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *paths[MAX_SCENARIOS];
	int m = 0, k, i, threads, ret = EXIT_OK, r, opened = 0;
	uint64_t trials, seed, *tp, *sp;
	struct cliopt o;
	struct cfg cfg[MAX_SCENARIOS];
	struct scenario sc[MAX_SCENARIOS];
	const struct scenario *sptr[MAX_SCENARIOS];
	struct tally t[MAX_SCENARIOS];
	struct pairing pr[MAX_SCENARIOS];
	struct figure fig[MAX_SCENARIOS][N_FIGURES];
	struct diff df[MAX_SCENARIOS][N_FIGURES];
	struct progress pg;
	volatile sig_atomic_t *stop;
	double t0;

	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":o:n:s:j:qh", opts, "compare", usage_text, cliopt_output,
			 (void *)&dir);
	if (r)
		return r < 0 ? EXIT_OK : r;
	for (; optind < argc; optind++) {
		if (m == MAX_SCENARIOS)
			return usage_error("compare", "more than %d configs", MAX_SCENARIOS);
		paths[m++] = argv[optind];
	}
	if (m < 2)
		return usage_error("compare", "give at least two configs");
	threads = o.threads ? o.threads : omp_get_max_threads();
	tp = o.trials_p;
	sp = o.seed_p;

	/* The first config's trials and seed, or -n and -s, apply to all. */
	for (k = 0; k < m; k++, opened++) {
		if (scenario_open(&sc[k], &cfg[k], paths[k], o.sets, o.nsets, tp, sp) < 0) {
			cfg_release(&cfg[k]);
			ret = EXIT_USAGE;
			goto out;
		}
		if (k == 0) {
			trials = sc[0].trials;
			seed = sc[0].seed;
			tp = &trials;
			sp = &seed;
		}
		sptr[k] = &sc[k];
		if (tally_init(&t[k], &sc[k]) < 0) {
			opened++;
			error("out of memory");
			ret = EXIT_RUNTIME;
			goto out;
		}
		memset(&pr[k], 0, sizeof(pr[k]));
	}
	if (dir && atomic_lock(dir) < 0) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	stop = sigstop_install();
	progress_init(&pg, 0, "trials");
	t0 = progress_now();
	r = engine_run_paired(sptr, m, trials, threads, t, pr, stop);
	if (r != 0) {
		if (r < 0)
			error("out of memory while running trials");
		else
			error("interrupted; nothing written");
		ret = r < 0 ? EXIT_RUNTIME : sigstop_exit_code((int)*stop);
		goto out;
	}
	for (k = 0; k < m; k++)
		summary_compute(&t[k], sc[k].dt, fig[k]);
	for (k = 1; k < m; k++)
		for (i = 0; i < N_FIGURES; i++)
			df[k][i] = difference(i, &fig[0][i], &fig[k][i], &pr[k], trials);
	if (dir && write_compare(dir, m, cfg, sc, t, fig, df, threads, progress_now() - t0) < 0) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	printf("compare: %llu trials each, seed %llu, common random numbers, %.2f s\n\n",
	       (unsigned long long)trials, (unsigned long long)seed, progress_now() - t0);
	print_table(stdout, m, sc, fig, df);
	if (cliopt_flush())
		ret = EXIT_RUNTIME;
	if (dir && !o.quiet && ret == EXIT_OK)
		fprintf(stderr, "wrote %s/compare.tsv and %s/s01 .. s%02d\n", dir, dir, m);
out:
	for (k = 0; k < opened; k++) {
		tally_release(&t[k]);
		scenario_release(&sc[k]);
		cfg_release(&cfg[k]);
	}
	return ret;
}

/* study.c - a row per point, written as points finish. */
#include "study.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic.h"
#include "cluster.h"
#include "gslerr.h"
#include "output.h"
#include "partial.h"
#include "progress.h"
#include "sigstop.h"
#include "usage.h"
#include <omp.h>

int study_check(const struct study *s, uint64_t n, struct cfg *c0, struct scenario *s0)
{
	double *x = malloc(sizeof(double) * (s->nvar ? s->nvar : 1));
	struct cfg c;
	struct scenario sc;
	uint64_t p;
	int r = 0;

	s->values(s->ctx, 0, x);
	if (point_open(&s->po, s->nvar, s->paths, x, 0, c0, s0) < 0) {
		cfg_release(c0);
		free(x);
		return -1;
	}
	for (p = 1; p < n && r == 0; p++) {
		s->values(s->ctx, p, x);
		r = point_open(&s->po, s->nvar, s->paths, x, p, &c, &sc);
		if (r == 0)
			scenario_release(&sc);
		cfg_release(&c);
	}
	free(x);
	if (r < 0) {
		scenario_release(s0);
		cfg_release(c0);
	}
	return r;
}

char *study_header(const struct study *s, const struct cfg *c0, const struct scenario *s0,
		   const char *const *extra, size_t nextra)
{
	char *text = NULL, trials[160], *hash = partial_hash_line(s);
	size_t len = 0, j;
	FILE *f = open_memstream(&text, &len);
	int i;

	if (s->po.prec.eps > 0)
		snprintf(trials, sizeof(trials), "per point, until the 95%% half-width of "
			 "p_deterred is at most %g, at most %llu (column trials)",
			 s->po.prec.eps, (unsigned long long)s->po.prec.max_trials);
	else
		snprintf(trials, sizeof(trials), "%llu per point", (unsigned long long)s0->trials);
	output_header(f, c0->name, s0, trials);
	fprintf(f, "# streams: %s\n", s->po.independent
		? "independent (each point draws from streams of its own)"
		: "common (trial i draws the same numbers at every point)");
	for (i = 0; i < s->po.nsets; i++)
		fprintf(f, "# set: %s\n", s->po.sets[i]);
	if (hash)
		fprintf(f, "# %s\n", hash);
	free(hash);
	for (j = 0; j < nextra; j++)
		fprintf(f, "# %s\n", extra[j]);
	fputs("# ", f);
	for (j = 0; j < s->nvar; j++)
		fprintf(f, "%s%s", j ? "\t" : "", s->paths[j]);
	points_figure_columns(f);
	fputc('\n', f);
	fclose(f);
	return text;
}

/* Opens PARTIAL to continue it: checks it is the start of S (see
 * partial_read()) and counts its rows into *DONE; drops a last line cut
 * short and the blank lines after the last row, which study_run() writes
 * again. */
static FILE *open_resume(struct study *s, const char *partial, uint64_t *done)
{
	FILE *f = fopen(partial, "r");
	struct partial pa;

	if (!f) {
		error("cannot resume: cannot read '%s': %s", partial, strerror(errno));
		return NULL;
	}
	if (partial_read(s, f, partial, &pa) < 0) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	if (truncate(partial, pa.keep) < 0) {
		error("cannot resume: cannot truncate '%s': %s", partial, strerror(errno));
		free(pa.head);
		return NULL;
	}
	*done = pa.rows;
	s->resumed_head = pa.head;
	f = fopen(partial, "a");
	if (!f)
		error("cannot resume: cannot append to '%s': %s", partial, strerror(errno));
	return f;
}

/* Opens the output of S, writing the header unless resuming; sets *DONE
 * to the points already there. Returns NULL after printing an error, with
 * *CODE the exit code. */
static FILE *open_output(struct study *s, const char *partial, const char *final,
			 uint64_t *done, int *code)
{
	FILE *out = NULL;

	*done = 0;
	if (!s->dir && s->discard) {
		out = fopen("/dev/null", "w");
		if (!out)
			error("cannot open /dev/null: %s", strerror(errno));
		return out;
	}
	if (!s->dir) {
		fputs(s->head, stdout);
		return stdout;
	}
	if (s->resume) {
		*code = EXIT_USAGE;
		if (access(partial, F_OK) < 0 && access(final, F_OK) == 0) {
			error("nothing to resume: '%s' is complete", final);
			return NULL;
		}
		return open_resume(s, partial, done);
	}
	*code = EXIT_RUNTIME;
	if (atomic_mkdirs(s->dir) < 0)
		return NULL;
	out = fopen(partial, "w");
	if (!out) {
		error("cannot create '%s': %s", partial, strerror(errno));
		return NULL;
	}
	fputs(s->head, out);
	return out;
}

/* Runs point P (values X) into R: its status, trials and figures. */
static void compute_point(struct study *s, uint64_t p, double *x, struct cluster_result *r)
{
	struct cfg c;
	struct scenario sc;
	struct tally t;
	struct figure fig[N_FIGURES];
	int i, k;

	memset(r, 0, sizeof(*r));
	r->point = (int64_t)p;
	s->values(s->ctx, p, x);
	if (point_open(&s->po, s->nvar, s->paths, x, p, &c, &sc) < 0) {
		cfg_release(&c);
		r->status = 2;
		return;
	}
	k = point_run(&s->po, &sc, &t, fig);
	r->status = k < 0 || sim_gsl_failed() ? 3 : k > 0 ? 1 : 0;
	if (r->status == 0) {
		r->trials = t.trials;
		r->trial_steps = t.trial_steps;
		for (i = 0; i < N_FIGURES; i++) {
			r->value[i] = fig[i].value;
			r->lo[i] = fig[i].lo;
			r->hi[i] = fig[i].hi;
			r->defined[i] = fig[i].defined;
			r->has_ci[i] = fig[i].has_ci;
		}
	}
	tally_release(&t);
	scenario_release(&sc);
	cfg_release(&c);
}

/* Writes the row of the finished point R (values X) to OUT. */
static void emit_row(struct study *s, FILE *out, const struct cluster_result *r, double *x)
{
	struct figure fig[N_FIGURES];
	uint64_t p = (uint64_t)r->point;
	char v[40];
	size_t j;
	int i;

	s->values(s->ctx, p, x);
	for (i = 0; i < N_FIGURES; i++) {
		fig[i].value = r->value[i];
		fig[i].lo = r->lo[i];
		fig[i].hi = r->hi[i];
		fig[i].defined = r->defined[i];
		fig[i].has_ci = r->has_ci[i];
	}
	for (j = 0; j < s->nvar; j++)
		fprintf(out, "%s%s", j ? "\t" : "", points_format_value(v, x[j]));
	points_figure_fields(out, r->trials, fig);
	fputc('\n', out);
	for (i = s->blank ? s->blank(s->ctx, p) : 0; i > 0; i--)
		fputc('\n', out);
	for (i = 0; s->collect && i < N_FIGURES; i++)
		s->collect[p * N_FIGURES + (uint64_t)i] = fig[i].defined
			? points_as_written(fig[i].value) : NAN;
}

/* The status of a point as an exit code. */
static int status_code(const struct study *s, int status)
{
	switch (status) {
	case 0:
		return EXIT_OK;
	case 1:
		return sigstop_exit_code(*s->po.stop ? (int)*s->po.stop : SIGTERM);
	case 2:
		return EXIT_USAGE;
	default:
		return EXIT_RUNTIME;
	}
}

/* In an MPI job of N processes, process k runs the points done + k,
 * done + k + N, ...: neighbouring points, of like cost, go to different
 * processes. Process 0 writes every row, in order, as soon as the rows
 * before it are in. */
static int study_work(struct study *s)
{
	double *x = malloc(sizeof(double) * (s->nvar ? s->nvar : 1));
	uint64_t p, done = 0, n = (uint64_t)cluster_size();
	struct cluster_result r;

	cluster_share(&done);
	s->po.stop = sigstop_install();
	for (p = done + (uint64_t)cluster_rank(); p < s->total; p += n) {
		compute_point(s, p, x, &r);
		if (cluster_send_result(&r) < 0 || r.status != 0)
			break;
	}
	free(x);
	return EXIT_OK;
}

int study_run(struct study *s)
{
	char *partial = NULL, *final = NULL;
	double *x, t0;
	uint64_t p, done = 0, trial_steps = 0, trials_run = 0, next, written, n;
	struct progress pr;
	struct cluster_result r, *pend = NULL;
	unsigned char *ready = NULL;
	FILE *out;
	int ret = EXIT_OK, got;

	if (cluster_rank() != 0)
		return study_work(s);
	n = (uint64_t)cluster_size();
	x = malloc(sizeof(double) * (s->nvar ? s->nvar : 1));
	if (s->dir) {
		size_t len = strlen(s->dir) + strlen(s->file) + 16;

		partial = malloc(len);
		final = malloc(len);
		snprintf(partial, len, "%s/%s.partial", s->dir, s->file);
		snprintf(final, len, "%s/%s", s->dir, s->file);
	}
	out = open_output(s, partial, final, &done, &ret);
	if (!out) {
		if (n > 1)	/* the others cannot go on alone */
			cluster_abort(ret);
		goto out;
	}
	if (n > 1)
		cluster_share(&done);
	ret = EXIT_OK;
	/* The blank lines after the last row kept (resume dropped them). */
	for (p = done > 0 && s->blank ? (uint64_t)s->blank(s->ctx, done - 1) : 0; p > 0; p--)
		fputc('\n', out);
	fflush(out);

	s->po.stop = sigstop_install();
	progress_init(&pr, !s->quiet && (s->progress || isatty(STDERR_FILENO)), "points");
	t0 = progress_now();
	pend = calloc((size_t)(s->total - done) + 1, sizeof(*pend));
	ready = calloc((size_t)(s->total - done) + 1, 1);
	written = next = done;
	while (written < s->total && ret == EXIT_OK) {
		/* This process's own next point, if it has one left. */
		if (next < s->total) {
			compute_point(s, next, x, &r);
			got = 1;
			next += n;
		} else {
			got = cluster_take_result(&r, 1);
		}
		while (got == 1) {
			if (r.status != 0) {
				ret = status_code(s, r.status);
				break;
			}
			pend[(uint64_t)r.point - done] = r;
			ready[(uint64_t)r.point - done] = 1;
			got = n > 1 ? cluster_take_result(&r, 0) : 0;
		}
		if (got < 0)
			ret = EXIT_RUNTIME;
		while (written < s->total && ready[written - done]) {
			const struct cluster_result *w = &pend[written - done];

			emit_row(s, out, w, x);
			trials_run += w->trials;
			trial_steps += w->trial_steps;
			written++;
		}
		if (fflush(out) != 0 || ferror(out)) {
			if (s->dir)
				error("cannot write '%s': %s", partial, strerror(errno));
			else
				error("cannot write to stdout: %s", strerror(errno));
			ret = EXIT_RUNTIME;
		}
		pr.trials = trials_run;
		progress_show(&pr, written - done, s->total - done);
	}
	progress_done(&pr);
	p = written;
	if (ret != EXIT_OK) {
		if (out != stdout)
			fclose(out);
		/* The finished rows are on disk; the other processes of an MPI job
		 * stop with this one. */
		if (n > 1 && ret != EXIT_OK) {
			if (ret > 128)
				error("interrupted after %llu of %llu points%s%s", (unsigned long long)p,
				      (unsigned long long)s->total, s->dir ? "; they are in " : "",
				      s->dir ? partial : "");
			cluster_abort(ret);
		}
		if (ret > 128)
			error("interrupted after %llu of %llu points%s%s%s%s%s",
			      (unsigned long long)p, (unsigned long long)s->total,
			      s->dir ? "; they are in " : "", s->dir ? partial : "",
			      s->dir ? "; to finish, run the same command with --resume " : "",
			      s->dir ? s->dir : "", s->dir ? " instead of -o" : "");
		goto out;
	}
	if (out != stdout && !s->dir)
		fclose(out);
	if (s->dir) {
		int r2 = fsync(fileno(out));

		if (fclose(out) != 0 || r2 != 0) {
			error("cannot write '%s': %s", partial, strerror(errno));
			ret = EXIT_RUNTIME;
			goto out;
		}
		if (!s->defer_commit && rename(partial, final) < 0) {
			error("cannot rename '%s' to '%s': %s", partial, final, strerror(errno));
			ret = EXIT_RUNTIME;
			goto out;
		}
	}
	if (!s->quiet) {
		double el = progress_now() - t0;

		fprintf(stderr, "%s: %llu points (%llu run now), %llu trials, %.4g trial-steps "
			"in %.2f s on %d process%s x %d thread%s: %.4g points/s, %.4g trial-steps/s%s%s\n",
			s->cmd, (unsigned long long)s->total, (unsigned long long)(s->total - done),
			(unsigned long long)trials_run, (double)trial_steps, el, cluster_size(),
			cluster_size() == 1 ? "" : "es", s->po.threads, s->po.threads == 1 ? "" : "s",
			(double)(s->total - done) / el, (double)trial_steps / el,
			s->dir ? "; wrote " : "", s->dir ? final : "");
	}
out:
	free(x);
	free(pend);
	free(ready);
	free(partial);
	free(final);
	return ret;
}

int study_commit(const struct study *s)
{
	size_t len = strlen(s->dir) + strlen(s->file) + 16;
	char *partial = malloc(len), *final = malloc(len);
	int ret = EXIT_OK;

	snprintf(partial, len, "%s/%s.partial", s->dir, s->file);
	snprintf(final, len, "%s/%s", s->dir, s->file);
	if (rename(partial, final) < 0) {
		error("cannot rename '%s' to '%s': %s", partial, final, strerror(errno));
		ret = EXIT_RUNTIME;
	}
	free(partial);
	free(final);
	return ret;
}

void study_init(struct study *s, struct study_args *a, const char *cmd, const char *file)
{
	memset(s, 0, sizeof(*s));
	cliopt_init(&a->o);
	s->cmd = cmd;
	s->file = file;
}

int study_option(struct study *s, int c, const char *optarg)
{
	switch (c) {
	case 'o':
	case 'R':
		/* One destination: "--resume D -o E" would silently take E. */
		if (s->dir)
			return usage_error(s->cmd, "%s%s and %s %s: give either -o DIR (a new "
					   "study) or --resume DIR (finish one), once",
					   s->resume ? "--resume " : "-o ", s->dir,
					   c == 'R' ? "--resume" : "-o", optarg);
		s->dir = optarg;
		s->resume = c == 'R';
		return 0;
	case 'I':
		s->po.independent = 1;
		return 0;
	case 'G':
		s->progress = 1;
		return 0;
	}
	return 1;
}

/* The study options of a command's own (-o, --independent, --resume,
 * --progress), then the command's. */
struct own_chain {
	struct study *s;
	study_own_fn own;
	void *ctx;
};

static int chain_option(void *ctx, int c, const char *arg)
{
	struct own_chain *ch = ctx;
	int r = study_option(ch->s, c, arg);

	return r == 1 ? ch->own(ch->ctx, c, arg) : r;
}

int study_parse(struct study *s, struct study_args *a, int argc, char **argv,
		const struct option *opts, const char *usage, study_own_fn own, void *ctx)
{
	struct own_chain ch = { s, own, ctx };
	int r = cliopt_parse(&a->o, argc, argv, STUDY_SHORT, opts, s->cmd, usage, chain_option,
			     &ch);

	if (r)
		return r;
	if (optind < argc)
		s->po.config = argv[optind++];
	if (optind < argc)
		return usage_error(s->cmd, "more than one CONFIG given ('%s')", argv[optind]);
	s->po.sets = a->o.sets;
	s->po.nsets = a->o.nsets;
	s->po.trials = a->o.trials_p;
	s->po.seed = a->o.seed_p;
	s->po.threads = a->o.threads ? a->o.threads : omp_get_max_threads();
	s->po.prec.eps = a->o.eps;
	s->po.prec.max_trials = a->o.max_trials;
	s->quiet = a->o.quiet;
	return 0;
}

int study_range_option(struct study_ranges *r, const char *arg, const char *cmd)
{
	size_t max = r->max ? r->max : STUDY_MAX_RANGES;

	if (r->n == max)
		return usage_error(cmd, "too many --range options (%zu at most)", max);
	if (range_parse(arg, "--range", &r->r[r->n]) < 0)
		return EXIT_USAGE;
	r->paths[r->n] = r->r[r->n].path;
	r->lo[r->n] = r->r[r->n].v[0];
	r->hi[r->n] = r->r[r->n].v[1];
	r->n++;
	return 0;
}

/* Check point P: the low or high end (P odd) of range P / 2. */
static void ends_values(const void *ctx, uint64_t p, double *x)
{
	const struct study_ranges *r = ctx;

	memcpy(x, r->lo, sizeof(double) * r->n);
	x[p / 2] = p % 2 ? r->hi[p / 2] : r->lo[p / 2];
}

int study_check_ranges(struct study *s, const struct study_ranges *r, struct cfg *c0,
		       struct scenario *s0)
{
	struct study chk;

	s->nvar = r->n;
	s->paths = (char **)r->paths;
	s->po.vary_name = "--range";
	if (points_check_paths(&s->po, r->n, (char *const *)r->paths, "--range") < 0)
		return -1;
	chk = *s;
	chk.values = ends_values;
	chk.ctx = r;
	return study_check(&chk, 2 * r->n, c0, s0);
}

void study_ranges_release(struct study_ranges *r)
{
	size_t j;

	for (j = 0; j < r->n; j++)
		vary_release(&r->r[j]);
	r->n = 0;
}

char *study_line(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void study_range_lines(const struct study_ranges *r, char **extra, size_t *n)
{
	char a[40], b[40];
	size_t j;

	for (j = 0; j < r->n; j++)
		extra[(*n)++] = study_line("range: %s = %s:%s", r->paths[j],
					   points_format_value(a, r->lo[j]),
					   points_format_value(b, r->hi[j]));
}

int study_start(struct study *s, struct cfg *c0, struct scenario *s0, char **extra,
		size_t nextra)
{
	char *head = study_header(s, c0, s0, (const char *const *)extra, nextra);
	int ret;

	scenario_release(s0);
	cfg_release(c0);
	while (nextra > 0)
		free(extra[--nextra]);
	s->head = head;
	ret = study_run(s);
	s->head = NULL;
	free(head);
	free(s->resumed_head);
	s->resumed_head = NULL;
	return ret;
}

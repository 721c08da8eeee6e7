/* study.c - a row per point, written as points finish. */
#include "study/study.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/atomic.h"
#include "engine/cluster.h"
#include "core/gslerr.h"
#include "io/output.h"
#include "study/partial.h"
#include "engine/progress.h"
#include "engine/sigstop.h"
#include "core/errors.h"
#include "core/numbers.h"
#include "core/status.h"

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
	if (s0->layout->nfigures > CLUSTER_MAX_FIGURES) {
		error("model %s reports %zu figures; a study takes at most %d", s0->model->name,
		      s0->layout->nfigures, CLUSTER_MAX_FIGURES);
		r = -1;
	}
	/* A signal stops the checking too; study_run() then says so. */
	for (p = 1; p < n && r == 0 && !(s->po.stop && *s->po.stop); p++) {
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

char *study_header(struct study *s, const struct cfg *c0, const struct scenario *s0,
		   const char *const *extra, size_t nextra)
{
	char *text = NULL, trials[160], *hash = partial_hash_line(s);
	size_t len = 0, j;
	FILE *f = open_memstream(&text, &len);
	int i;

	if (s->po.prec.eps > 0)
		snprintf(trials, sizeof(trials), "per point, until the 95%% half-width of "
			 "%.64s is at most %g, at most %llu (column trials)",
			 s->po.prec.fig ? s->po.prec.fig : "p_deterred", s->po.prec.eps,
			 (unsigned long long)s->po.prec.max_trials);
	else
		snprintf(trials, sizeof(trials), "%llu per point", (unsigned long long)s0->trials);
	study_release(s);
	s->nfig = s0->layout->nfigures;
	s->keys = calloc(s0->layout->nfigures + 1, sizeof(char *));
	for (j = 0; s->keys && j < s->nfig; j++)
		s->keys[j] = strdup(s0->layout->figures[j].key);
	output_header(f, c0, s0, trials);
	fprintf(f, "# streams: %s\n", s->po.independent
		? "independent (each point draws from streams of its own)"
		: "common (trial i draws the same numbers at every point)");
	/* Text from the command line is escaped: it stays on its line. */
	for (i = 0; i < s->po.nsets; i++) {
		fputs("# set: ", f);
		output_escape(f, s->po.sets[i]);
		fputc('\n', f);
	}
	if (hash)
		fprintf(f, "# %s\n", hash);
	free(hash);
	for (j = 0; j < nextra; j++) {
		fputs("# ", f);
		output_escape(f, extra[j]);
		fputc('\n', f);
	}
	output_axes(f, s0->layout);
	for (j = 0; j < s->nvar; j++) {
		fputs(j ? "\t" : "", f);
		output_escape(f, s->paths[j]);
	}
	points_figure_columns(f, s->keys, s->nfig);
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
	FILE *f = atomic_reopen(partial, "r");
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
	if (atomic_truncate(partial, pa.keep) < 0) {
		error("cannot resume: cannot truncate '%s': %s", partial, strerror(errno));
		free(pa.head);
		return NULL;
	}
	*done = pa.rows;
	s->resumed_head = pa.head;
	f = atomic_reopen(partial, "a");
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
		*code = STATUS_BAD;
		if (access(partial, F_OK) < 0 && access(final, F_OK) == 0) {
			error("nothing to resume: '%s' is complete", final);
			return NULL;
		}
		if (access(s->dir, F_OK) == 0 && atomic_lock(s->dir) < 0) {
			*code = STATUS_FAILED;
			return NULL;
		}
		return open_resume(s, partial, done);
	}
	*code = STATUS_FAILED;
	if (atomic_lock(s->dir) < 0)
		return NULL;
	out = atomic_create(partial);
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
	struct figure *fig = NULL;
	int k;

	memset(r, 0, offsetof(struct cluster_result, fig));
	r->point = (int64_t)p;
	r->nfig = (int32_t)s->nfig;
	s->values(s->ctx, p, x);
	if (point_open(&s->po, s->nvar, s->paths, x, p, &c, &sc) < 0) {
		cfg_release(&c);
		r->status = 2;
		return;
	}
	fig = malloc(sizeof(*fig) * summary_count(sc.layout));
	if (!fig || sc.layout->nfigures != s->nfig) {
		if (fig)
			error("point %llu: the model reports %zu figures, point 0 %zu",
			      (unsigned long long)p + 1, sc.layout->nfigures, s->nfig);
		else
			error("out of memory");
		r->status = 3;
		free(fig);
		scenario_release(&sc);
		cfg_release(&c);
		return;
	}
	k = point_run(&s->po, &sc, &t, fig);
	r->status = k < 0 || sim_gsl_failed() ? 3 : k > 0 ? 1 : 0;
	if (r->status == 0) {
		r->trials = t.trials;
		r->trial_steps = t.steps;
		memcpy(r->fig, fig, sizeof(*fig) * s->nfig);
	}
	free(fig);
	tally_release(&t);
	scenario_release(&sc);
	cfg_release(&c);
}

/* Writes the row of the finished point R (values X) to OUT. */
static void emit_row(struct study *s, FILE *out, const struct cluster_result *r, double *x)
{
	uint64_t p = (uint64_t)r->point;
	char v[40];
	size_t j;
	int i;

	s->values(s->ctx, p, x);
	for (j = 0; j < s->nvar; j++)
		fprintf(out, "%s%s", j ? "\t" : "", points_format_value(v, x[j]));
	points_figure_fields(out, r->trials, r->fig, s->nfig);
	fputc('\n', out);
	for (i = s->blank ? s->blank(s->ctx, p) : 0; i > 0; i--)
		fputc('\n', out);
	for (j = 0; s->collect && j < s->nfig; j++)
		s->collect[p * s->nfig + j] = r->fig[j].defined ? points_as_written(r->fig[j].value)
								: NAN;
}

/* The status of a point as an exit code. */
static int status_code(const struct study *s, int status)
{
	switch (status) {
	case 0:
		return STATUS_OK;
	case 1:
		return sigstop_status(*s->po.stop ? (int)*s->po.stop : SIGTERM);
	case 2:
		return STATUS_BAD;
	default:
		return STATUS_FAILED;
	}
}

/* Results that came before the rows ahead of them: a ring of CAP slots,
 * slot HEAD holding point BASE, growing as far as workers get ahead. */
struct ring {
	struct cluster_result *r;
	unsigned char *ready;
	size_t cap, head;
	uint64_t base;
};

/* Puts R (a point at or after Q->base) into Q. Returns 0 or -1. */
static int ring_put(struct ring *q, const struct cluster_result *r)
{
	uint64_t i = (uint64_t)r->point - q->base;
	size_t k, cap;

	if (i >= q->cap) {
		struct cluster_result *nr;
		unsigned char *nready;

		cap = q->cap * 2 > i + 1 ? q->cap * 2 : (size_t)i + 1;
		nr = malloc(sizeof(*nr) * cap);
		nready = calloc(cap, 1);
		if (!nr || !nready) {
			free(nr);
			free(nready);
			return error("out of memory");
		}
		for (k = 0; k < q->cap; k++) {
			nr[k] = q->r[(q->head + k) % q->cap];
			nready[k] = q->ready[(q->head + k) % q->cap];
		}
		free(q->r);
		free(q->ready);
		q->r = nr;
		q->ready = nready;
		q->cap = cap;
		q->head = 0;
	}
	k = (q->head + (size_t)i) % q->cap;
	q->r[k] = *r;
	q->ready[k] = 1;
	return 0;
}

/* The result of point Q->base when it has come, else NULL. */
static const struct cluster_result *ring_front(const struct ring *q)
{
	return q->cap && q->ready[q->head] ? &q->r[q->head] : NULL;
}

static void ring_pop(struct ring *q)
{
	q->ready[q->head] = 0;
	q->head = (q->head + 1) % q->cap;
	q->base++;
}

/* Rank 0 waits for a worker's result into R, looking every millisecond,
 * so that a signal stops it at once: returns 1, 0 when stopped, or -1. */
static int take_result(const struct study *s, struct cluster_result *r)
{
	struct timespec ms = { 0, 1000000 };
	int got;

	while ((got = cluster_take_result(r, 0)) == 0 && !*s->po.stop)
		nanosleep(&ms, NULL);
	return got;
}

/* In an MPI job of N processes, process k runs the points done + k,
 * done + k + N, ...: neighbouring points, of like cost, go to different
 * processes. Process 0 writes every row, in order, as soon as the rows
 * before it are in. A worker stopped by a signal tells process 0 and
 * returns 128 + the signal's number. */
static int study_work(struct study *s)
{
	double *x = malloc(sizeof(double) * (s->nvar ? s->nvar : 1));
	uint64_t p, done = 0, n = (uint64_t)cluster_size();
	struct cluster_result r;
	int ret = STATUS_OK;

	cluster_share(&done);
	s->po.stop = sigstop_install();
	for (p = done + (uint64_t)cluster_rank(); p < s->total && !*s->po.stop; p += n) {
		compute_point(s, p, x, &r);
		if (cluster_send_result(&r) < 0 || r.status != 0) {
			ret = r.status ? status_code(s, r.status) : STATUS_FAILED;
			break;
		}
	}
	free(x);
	/* Stopped by a signal: process 0 keeps the rows and ends the job; this
	 * one need not wait for it (in MPI_Finalize) to be killed. */
	if (*s->po.stop)
		cluster_exit(sigstop_status((int)*s->po.stop));
	return ret;
}

/* What the loop of study_run() counts. */
struct tallies {
	uint64_t written, trials, trial_steps;
};

/* Writes to OUT (called NAME) the rows of Q that are next, in order. */
static int emit_ready(struct study *s, FILE *out, const char *name, struct ring *q,
		      struct tallies *t, double *x)
{
	const struct cluster_result *w;

	while ((w = ring_front(q)) != NULL) {
		emit_row(s, out, w, x);
		t->trials += w->trials;
		t->trial_steps += w->trial_steps;
		t->written++;
		ring_pop(q);
	}
	if (fflush(out) != 0 || ferror(out)) {
		error("cannot write %s%s%s: %s", name ? "'" : "to stdout", name ? name : "",
		      name ? "'" : "", strerror(errno));
		return STATUS_FAILED;
	}
	return STATUS_OK;
}

/* Runs the points of S from DONE (this process's share, and those of the
 * others as they come), writing rows to OUT (NAME) as they are in order.
 * Returns the exit code. */
static int study_loop(struct study *s, FILE *out, const char *name, uint64_t done,
		      struct tallies *t)
{
	uint64_t next = done, n = (uint64_t)cluster_size();
	double *x = malloc(sizeof(double) * (s->nvar ? s->nvar : 1));
	struct ring q = { NULL, NULL, 0, 0, done };
	struct cluster_result r;
	struct progress pr;
	int ret = STATUS_OK, got;

	progress_init(&pr, !s->quiet && (s->progress || isatty(STDERR_FILENO)), "points");
	t->written = done;
	while (t->written < s->total && ret == STATUS_OK) {
		/* This process's own next point, if it has one left. */
		if (next < s->total) {
			compute_point(s, next, x, &r);
			got = 1;
			next += n;
		} else {
			got = take_result(s, &r);
			if (got == 0)
				ret = sigstop_status((int)*s->po.stop);
		}
		/* Then whatever the others have sent, even after a stop: their
		 * finished rows are kept too. */
		for (; got == 1; got = n > 1 ? cluster_take_result(&r, 0) : 0) {
			if (r.status != 0 && ret == STATUS_OK)
				ret = status_code(s, r.status);
			if (r.status == 0 && ring_put(&q, &r) < 0)
				ret = STATUS_FAILED;
		}
		if (got < 0)
			ret = STATUS_FAILED;
		if (emit_ready(s, out, name, &q, t, x) != STATUS_OK)
			ret = STATUS_FAILED;
		pr.trials = t->trials;
		progress_show(&pr, t->written - done, s->total - done);
	}
	progress_done(&pr);
	free(q.r);
	free(q.ready);
	free(x);
	return ret;
}

/* Says that S stopped after WRITTEN points, with the advice to resume. */
static void say_interrupted(const struct study *s, uint64_t written, const char *partial)
{
	if (s->dir)
		error("interrupted after %llu of %llu points; they are in %s; to finish, run the "
		      "same command with --resume %s instead of -o", (unsigned long long)written,
		      (unsigned long long)s->total, partial, s->dir);
	else
		error("interrupted after %llu of %llu points", (unsigned long long)written,
		      (unsigned long long)s->total);
}

/* Closes the finished OUT: synced and renamed from PARTIAL to FINAL (but
 * for S->defer_commit). Returns the exit code. */
static int finish_output(const struct study *s, FILE *out, const char *partial,
			 const char *final)
{
	int r2;

	if (out == stdout)
		return STATUS_OK;
	if (!s->dir) {
		fclose(out);
		return STATUS_OK;
	}
	r2 = fsync(fileno(out));
	if (fclose(out) != 0 || r2 != 0) {
		error("cannot write '%s': %s", partial, strerror(errno));
		return STATUS_FAILED;
	}
	if (!s->defer_commit && atomic_place(partial, final) < 0)
		return STATUS_FAILED;
	return STATUS_OK;
}

int study_run(struct study *s)
{
	char *partial = NULL, *final = NULL;
	double t0, el;
	uint64_t p, done = 0, n;
	struct tallies t = { 0, 0, 0 };
	FILE *out;
	int ret = STATUS_OK;

	if (s->po.stop && *s->po.stop) {
		error("interrupted; nothing written");
		return sigstop_status((int)*s->po.stop);
	}
	if (cluster_rank() != 0)
		return study_work(s);
	n = (uint64_t)cluster_size();
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
	/* The blank lines after the last row kept (resume dropped them). */
	for (p = done > 0 && s->blank ? (uint64_t)s->blank(s->ctx, done - 1) : 0; p > 0; p--)
		fputc('\n', out);
	fflush(out);

	s->po.stop = sigstop_install();
	t0 = progress_now();
	ret = study_loop(s, out, partial, done, &t);
	if (ret != STATUS_OK) {
		if (out != stdout)
			fclose(out);
		/* The finished rows are on disk; the other processes of an MPI job
		 * stop with this one (MPI_Abort, with this exit code). */
		if (ret > 128)
			say_interrupted(s, t.written, partial);
		/* Under mpirun, which sends SIGTERM to each process in turn and
		 * waits for it to end, ending at once ends the job soonest. */
		if (n > 1 && ret > 128)
			cluster_exit(ret);
		if (n > 1)
			cluster_abort(ret);
		goto out;
	}
	ret = finish_output(s, out, partial, final);
	if (ret == STATUS_OK && !s->quiet) {
		el = progress_now() - t0;
		fprintf(stderr, "%s: %llu points (%llu run now), %llu trials, %.4g trial-steps "
			"in %.2f s on %d process%s x %d thread%s: %.4g points/s, %.4g trial-steps/s%s%s\n",
			s->cmd, (unsigned long long)s->total, (unsigned long long)(s->total - done),
			(unsigned long long)t.trials, (double)t.trial_steps, el, cluster_size(),
			cluster_size() == 1 ? "" : "es", s->po.threads, s->po.threads == 1 ? "" : "s",
			(double)(s->total - done) / el, (double)t.trial_steps / el,
			s->dir ? "; wrote " : "", s->dir ? final : "");
	}
out:
	free(partial);
	free(final);
	return ret;
}

void study_release(struct study *s)
{
	size_t j;

	for (j = 0; s->keys && j < s->nfig; j++)
		free(s->keys[j]);
	free(s->keys);
	s->keys = NULL;
	s->nfig = 0;
}

int study_commit(const struct study *s)
{
	size_t len = strlen(s->dir) + strlen(s->file) + 16;
	char *partial = malloc(len), *final = malloc(len);
	int ret = STATUS_OK;

	snprintf(partial, len, "%s/%s.partial", s->dir, s->file);
	snprintf(final, len, "%s/%s", s->dir, s->file);
	if (atomic_place(partial, final) < 0)
		ret = STATUS_FAILED;
	free(partial);
	free(final);
	return ret;
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
	study_release(s);
	return ret;
}

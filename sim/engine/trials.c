/* trials.c - a run's trials one by one: each chunk of trials is run on
 * many threads into a table of values, then written by one thread in
 * trial order, so that the file is the same bytes for any thread count. */
#include "engine/trials.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "core/errors.h"
#include "models/model.h"

/* Trials one thread runs at a time within a chunk. */
#define SLICE 256

double trials_figure(const struct scenario *s, size_t fig, const double *x)
{
	const struct model_figure *d = &s->layout->figures[fig];
	double scale = d->flags & MODEL_FIG_YEARS ? s->dt : 1;

	if (d->kind == MODEL_SHARE)
		return x[d->num];
	return x[d->den] > 0 ? x[d->num] / x[d->den] * scale : NAN;
}

void trials_columns(FILE *f, const struct scenario *s, void (*escape)(FILE *, const char *))
{
	const struct model_layout *L = s->layout;
	size_t j;

	fputs("trial", f);
	for (j = 0; j < L->nparams; j++) {
		fputc('\t', f);
		escape(f, L->params[j]);
	}
	for (j = 0; j < L->nfigures; j++)
		fprintf(f, "\t%s", L->figures[j].key);
	fputc('\n', f);
}

/* What every thread shares while a chunk runs. */
struct chunk {
	const struct scenario *s;
	size_t ncol;		/* params + figures */
	double *val;		/* [TRIALS_CHUNK][ncol] */
};

/* One thread's workspace. */
struct lane {
	void *w;
	unsigned char *rec;	/* [SLICE] records */
	double *x;		/* [ncounters] one trial's contributions */
};

/* Runs trials LO .. LO + N - 1 (N <= SLICE) on lane T into rows ROW ..
 * of C's values. */
static void run_slice(const struct chunk *c, struct lane *t, uint64_t lo, uint64_t n,
		      size_t row, volatile sig_atomic_t *stop)
{
	const struct scenario *s = c->s;
	const struct model_layout *L = s->layout;
	uint64_t i;
	size_t j;

	s->model->trials(s->instance, t->w, s->seed, lo, n, t->rec, stop);
	for (i = 0; i < n && !(stop && *stop); i++) {
		double *v = c->val + (row + i) * c->ncol;
		const void *rec = t->rec + L->record_size * i;

		if (L->nparams)
			s->model->draws(s->instance, t->w, s->seed, lo + i, v);
		for (j = 0; j < L->ncounters; j++)
			t->x[j] = L->record_values ? ((const double *)rec)[j]
						   : s->model->contribution(s->instance, rec, j);
		for (j = 0; j < L->nfigures; j++)
			v[L->nparams + j] = trials_figure(s, j, t->x);
	}
}

/* Writes rows 0 .. N - 1 of C's values, the first being trial FIRST. */
static void write_rows(FILE *f, const struct chunk *c, uint64_t first, uint64_t n)
{
	uint64_t i;
	size_t j;

	for (i = 0; i < n; i++) {
		const double *v = c->val + i * c->ncol;

		fprintf(f, "%llu", (unsigned long long)(first + i));
		for (j = 0; j < c->ncol; j++) {
			if (isnan(v[j]))
				fputc('\t', f);
			else
				fprintf(f, "\t%.10g", v[j]);
		}
		fputc('\n', f);
	}
}

static void free_lanes(const struct scenario *s, struct lane *t, int n)
{
	int i;

	for (i = 0; t && i < n; i++) {
		s->model->work_free(t[i].w);
		free(t[i].rec);
		free(t[i].x);
	}
	free(t);
}

static struct lane *alloc_lanes(const struct scenario *s, int n, volatile sig_atomic_t *stop)
{
	struct lane *t = calloc((size_t)n, sizeof(*t));
	int i, ok = t != NULL;

	for (i = 0; ok && i < n; i++)
		ok = (t[i].w = s->model->work_alloc(s->instance, s->rng, stop)) != NULL &&
		     (t[i].rec = malloc(s->layout->record_size * SLICE)) != NULL &&
		     (t[i].x = malloc(sizeof(double) * (s->layout->ncounters + 1))) != NULL;
	if (!ok) {
		free_lanes(s, t, n);
		return NULL;
	}
	return t;
}

int trials_write(const struct scenario *s, uint64_t first, uint64_t count, int threads,
		 FILE *f, volatile sig_atomic_t *stop, engine_progress_fn progress, void *ctx)
{
	struct chunk c = { s, s->layout->nparams + s->layout->nfigures, NULL };
	int nt = threads > 0 ? threads : omp_get_max_threads(), ret = 0;
	struct lane *t;
	uint64_t done;

	if (s->layout->nparams && !s->model->draws) {
		error("model '%s' does not tell what its trials drew", s->model->name);
		return -1;
	}
	c.val = malloc(sizeof(double) * TRIALS_CHUNK * (c.ncol ? c.ncol : 1));
	t = c.val ? alloc_lanes(s, nt, stop) : NULL;
	if (!t) {
		free(c.val);
		if (stop && *stop)
			return 1;
		error("out of memory for the trials table");
		return -1;
	}
	for (done = 0; done < count && ret == 0; done += TRIALS_CHUNK) {
		uint64_t n = count - done < TRIALS_CHUNK ? count - done : TRIALS_CHUNK;
		long q, nq = (long)((n + SLICE - 1) / SLICE);

#pragma omp parallel for num_threads(nt) schedule(dynamic, 1)
		for (q = 0; q < nq; q++) {
			uint64_t lo = (uint64_t)q * SLICE;

			run_slice(&c, &t[omp_get_thread_num()], first + done + lo,
				  n - lo < SLICE ? n - lo : SLICE, (size_t)lo, stop);
		}
		if (stop && *stop) {
			ret = 1;
			break;
		}
		write_rows(f, &c, first + done, n);
		if (fflush(f) != 0 || ferror(f)) {
			error("cannot write the trials table: %s", strerror(errno));
			ret = -1;
		}
		if (progress)
			progress(ctx, done + n, count);
	}
	free_lanes(s, t, nt);
	free(c.val);
	return ret;
}

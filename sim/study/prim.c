/* prim.c - PRIM's peeling, pasting and quasi-p-values. */
#include "study/prim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

int prim_inside(const struct prim_data *d, const struct prim_box *b, size_t i)
{
	const double *x = d->x + i * d->d;
	size_t j;

	for (j = 0; j < d->d; j++)
		if (!(x[j] >= b->lo[j] && x[j] <= b->hi[j]))
			return 0;
	return 1;
}

static int box_alloc(struct prim_box *b, size_t d)
{
	size_t j;

	memset(b, 0, sizeof(*b));
	b->lo = malloc(sizeof(double) * (d ? d : 1));
	b->hi = malloc(sizeof(double) * (d ? d : 1));
	if (!b->lo || !b->hi) {
		prim_box_free(b);
		return -1;
	}
	for (j = 0; j < d; j++) {
		b->lo[j] = -HUGE_VAL;
		b->hi[j] = HUGE_VAL;
	}
	return 0;
}

int prim_box_copy(struct prim_box *b, const struct prim_box *a, size_t d)
{
	double *lo, *hi;

	if (box_alloc(b, d) < 0)
		return -1;
	lo = b->lo;
	hi = b->hi;
	*b = *a;
	b->lo = lo;
	b->hi = hi;
	memcpy(b->lo, a->lo, sizeof(double) * d);
	memcpy(b->hi, a->hi, sizeof(double) * d);
	return 0;
}

void prim_box_free(struct prim_box *b)
{
	free(b->lo);
	free(b->hi);
	b->lo = b->hi = NULL;
}

void prim_trajectory_free(struct prim_trajectory *t)
{
	size_t i;

	for (i = 0; i < t->nbox; i++)
		prim_box_free(&t->box[i]);
	free(t->box);
	t->box = NULL;
	t->nbox = 0;
}

/* Counts B's points and points of interest among the ACTIVE, its figures
 * against K0 and N0, and the inputs it restricts (those on which some
 * active point falls outside it). */
static void refresh(const struct prim_data *d, const unsigned char *active, struct prim_box *b,
		    size_t k0, size_t n0)
{
	size_t i, j;

	b->m = b->k = 0;
	for (i = 0; i < d->n; i++)
		if ((!active || active[i]) && prim_inside(d, b, i)) {
			b->m++;
			b->k += d->y[i] != 0;
		}
	b->restricted = 0;
	for (j = 0; j < d->d; j++) {
		int cut = 0;

		for (i = 0; i < d->n && !cut; i++)
			if (!active || active[i])
				cut = d->x[i * d->d + j] < b->lo[j] || d->x[i * d->d + j] > b->hi[j];
		b->restricted += cut;
		if (!cut) {
			b->lo[j] = -HUGE_VAL;
			b->hi[j] = HUGE_VAL;
		}
	}
	b->coverage = k0 ? (double)b->k / (double)k0 : 0;
	b->density = b->m ? (double)b->k / (double)b->m : 0;
	b->support = n0 ? (double)b->m / (double)n0 : 0;
}

/* The sort of points by one input. */
struct by_input {
	const struct prim_data *d;
	size_t j;
};

static int cmp_input(const void *a, const void *b, void *ctx)
{
	const struct by_input *c = ctx;
	double x = c->d->x[*(const size_t *)a * c->d->d + c->j];
	double y = c->d->x[*(const size_t *)b * c->d->d + c->j];

	return x < y ? -1 : x > y ? 1 : 0;
}

/* A candidate peel: of input J from below (HIGH 0) or above, to CUT,
 * leaving M points of which K of interest. */
struct peel {
	size_t j, m, k;
	int high;
	double cut;
};

/* The peel of Q points of input J from one side among the points IN (in
 * ORDER, ascending), or 0 when ties leave nothing to peel. */
static int try_peel(const struct prim_data *d, const unsigned char *in, const size_t *order,
		    size_t n, size_t j, int high, size_t q, struct peel *p)
{
	size_t a, seen = 0, gone = 0, gone_k = 0;
	double cut = 0;

	for (a = 0; a < n; a++) {
		size_t i = order[high ? n - 1 - a : a];

		if (!in[i])
			continue;
		if (seen++ == q) {
			cut = d->x[i * d->d + j];
			break;
		}
	}
	if (seen <= q)
		return 0;
	for (a = 0; a < n; a++) {
		size_t i = order[high ? n - 1 - a : a];
		double x = d->x[i * d->d + j];

		if (!in[i])
			continue;
		if (high ? x <= cut : x >= cut)
			break;
		gone++;
		gone_k += d->y[i] != 0;
	}
	p->j = j;
	p->high = high;
	p->cut = cut;
	p->m = gone;
	p->k = gone_k;
	return gone > 0;
}

/* Appends a copy of B to T. Returns 0 or -1. */
static int record(struct prim_trajectory *t, const struct prim_box *b)
{
	struct prim_box *more = realloc(t->box, sizeof(*more) * (t->nbox + 1));

	if (!more)
		return -1;
	t->box = more;
	if (prim_box_copy(&t->box[t->nbox], b, t->d) < 0)
		return -1;
	t->nbox++;
	return 0;
}

/* The counts a peel works with. */
struct base {
	const unsigned char *active;
	size_t k0, n0, floor_;
};

/* Peels box B (its points flagged IN) until it would hold fewer than
 * Z->floor_ points, recording each box in T. */
static int peel_loop(const struct prim_data *d, unsigned char *in, size_t *const *order,
		     const struct prim_opts *o, struct prim_box *b, const struct base *z,
		     struct prim_trajectory *t)
{
	size_t n = d->n;

	for (;;) {
		size_t q = (size_t)(o->alpha * (double)b->m), j;
		struct peel best = { 0, 0, 0, 0, 0 }, c;
		double best_density = -1;
		int side;

		q = q ? q : 1;
		for (j = 0; j < d->d; j++)
			for (side = 0; side < 2; side++) {
				double dens;

				if (!try_peel(d, in, order[j], n, j, side, q, &c) ||
				    b->m - c.m < z->floor_)
					continue;
				dens = (double)(b->k - c.k) / (double)(b->m - c.m);
				if (dens > best_density ||
				    (dens == best_density && b->m - c.m > best.m)) {
					best = c;
					best.m = b->m - c.m;
					best.k = b->k - c.k;
					best_density = dens;
				}
			}
		if (best_density < 0)
			return 0;
		if (best.high)
			b->hi[best.j] = best.cut;
		else
			b->lo[best.j] = best.cut;
		for (j = 0; j < n; j++)
			in[j] = in[j] && prim_inside(d, b, j);
		refresh(d, z->active, b, z->k0, z->n0);
		if (record(t, b) < 0)
			return -1;
	}
}

int prim_peel(const struct prim_data *d, const unsigned char *active, const struct prim_opts *o,
	      struct prim_trajectory *t)
{
	unsigned char *in = malloc(d->n ? d->n : 1);
	size_t **order = calloc(d->d ? d->d : 1, sizeof(size_t *)), i, j, k0 = 0, n0 = 0;
	struct prim_box b;
	int ret = -1;

	memset(t, 0, sizeof(*t));
	t->d = d->d;
	if (!in || !order || box_alloc(&b, d->d) < 0)
		goto out;
	for (i = 0; i < d->n; i++) {
		in[i] = !active || active[i];
		n0 += in[i];
		k0 += in[i] && d->y[i];
	}
	for (j = 0; j < d->d; j++) {
		struct by_input ctx = { d, j };

		if (!(order[j] = malloc(sizeof(size_t) * (d->n ? d->n : 1))))
			goto out_box;
		for (i = 0; i < d->n; i++)
			order[j][i] = i;
		qsort_r(order[j], d->n, sizeof(size_t), cmp_input, &ctx);
	}
	if (n0) {
		struct base z = { active, k0, n0, (size_t)ceil(o->min_support * (double)n0) };

		z.floor_ = z.floor_ ? z.floor_ : 1;
		refresh(d, active, &b, k0, n0);
		if (record(t, &b) == 0 && peel_loop(d, in, order, o, &b, &z, t) == 0)
			ret = 0;
	}
out_box:
	prim_box_free(&b);
out:
	for (j = 0; order && j < d->d; j++)
		free(order[j]);
	free(order);
	free(in);
	if (ret < 0)
		prim_trajectory_free(t);
	return ret;
}

/* The inputs on which point I alone falls outside B: the input into *J and
 * whether above (*HIGH); returns how many inputs it falls outside on. */
static size_t outside_on(const struct prim_data *d, const struct prim_box *b, size_t i, size_t *j,
			 int *high)
{
	const double *x = d->x + i * d->d;
	size_t c, n = 0;

	for (c = 0; c < d->d; c++)
		if (x[c] < b->lo[c] || x[c] > b->hi[c]) {
			*j = c;
			*high = x[c] > b->hi[c];
			n++;
		}
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* Whether point I is active and outside B on face (J, HIGH) alone. */
static int beyond_face(const struct prim_data *d, const unsigned char *active,
		       const struct prim_box *b, size_t i, size_t j, int high)
{
	size_t jj = 0;
	int hh = 0;

	return (!active || active[i]) && outside_on(d, b, i, &jj, &hh) == 1 && jj == j &&
	       hh == high;
}

/* The paste of face (J, HIGH) of B by Q of the points just beyond it, into
 * *CUT with the box's new counts *M and *K; 0 when there is none. */
static int try_paste(const struct prim_data *d, const unsigned char *active,
		     const struct prim_box *b, size_t j, int high, size_t q, double *buf,
		     double *cut, size_t *m, size_t *k)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		if (beyond_face(d, active, b, i, j, high))
			buf[n++] = d->x[i * d->d + j];
	if (!n)
		return 0;
	qsort(buf, n, sizeof(double), cmp_double);
	q = q < n ? q : n;
	*cut = high ? buf[q - 1] : buf[n - q];
	*m = b->m;
	*k = b->k;
	for (i = 0; i < d->n; i++) {
		double x = d->x[i * d->d + j];

		if (beyond_face(d, active, b, i, j, high) && (high ? x <= *cut : x >= *cut)) {
			(*m)++;
			*k += d->y[i] != 0;
		}
	}
	return *m > b->m;
}

int prim_paste(const struct prim_data *d, const unsigned char *active, const struct prim_opts *o,
	       struct prim_box *b, size_t k0, size_t n0)
{
	double *buf = malloc(sizeof(double) * (d->n ? d->n : 1));
	size_t rounds;

	if (!buf)
		return -1;
	for (rounds = 0; rounds < d->n; rounds++) {
		size_t q = (size_t)(o->alpha * (double)b->m), j, m, k, bj = 0;
		double best = b->density, cut, bcut = 0;
		int side, bside = -1;

		q = q ? q : 1;
		for (j = 0; j < d->d; j++)
			for (side = 0; side < 2; side++) {
				if (!(side ? b->hi[j] < HUGE_VAL : b->lo[j] > -HUGE_VAL) ||
				    !try_paste(d, active, b, j, side, q, buf, &cut, &m, &k))
					continue;
				if ((double)k / (double)m > best) {
					best = (double)k / (double)m;
					bj = j;
					bside = side;
					bcut = cut;
				}
			}
		if (bside < 0)
			break;
		if (bside)
			b->hi[bj] = bcut;
		else
			b->lo[bj] = bcut;
		refresh(d, active, b, k0, n0);
	}
	free(buf);
	return 0;
}

double prim_quasi_p(const struct prim_data *d, const unsigned char *active,
		    const struct prim_box *b, size_t j)
{
	struct prim_box w = { 0 };
	size_t i, m = 0, k = 0;
	double p;

	if (b->lo[j] == -HUGE_VAL && b->hi[j] == HUGE_VAL)
		return NAN;
	if (prim_box_copy(&w, b, d->d) < 0)
		return NAN;
	w.lo[j] = -HUGE_VAL;
	w.hi[j] = HUGE_VAL;
	for (i = 0; i < d->n; i++)
		if ((!active || active[i]) && prim_inside(d, &w, i)) {
			m++;
			k += d->y[i] != 0;
		}
	prim_box_free(&w);
	if (!b->k)
		return 1;
	p = (double)k / (double)m;
	return gsl_cdf_binomial_Q((unsigned int)(b->k - 1), p, (unsigned int)b->m);
}

size_t prim_choose(const struct prim_trajectory *t, double threshold)
{
	size_t i, best = 0;
	double d2 = HUGE_VAL;

	if (threshold > 0) {
		for (i = 0; i < t->nbox; i++)
			if (t->box[i].density >= threshold)
				return i;
		for (i = 1; i < t->nbox; i++)
			if (t->box[i].density > t->box[best].density)
				best = i;
		return best;
	}
	/* The knee: the box nearest to holding every case of interest and
	 * nothing else (coverage 1, density 1). */
	for (i = 0; i < t->nbox; i++) {
		double a = 1 - t->box[i].coverage, b = 1 - t->box[i].density;

		if (a * a + b * b < d2) {
			d2 = a * a + b * b;
			best = i;
		}
	}
	return best;
}

int prim_find(const struct prim_data *d, const unsigned char *active, const struct prim_opts *o,
	      double threshold, int paste, struct prim_trajectory *t, struct prim_box *b,
	      size_t *chosen)
{
	size_t i, k0 = 0, n0 = 0;

	for (i = 0; i < d->n; i++)
		if (!active || active[i]) {
			n0++;
			k0 += d->y[i] != 0;
		}
	if (prim_peel(d, active, o, t) < 0)
		return -1;
	*chosen = prim_choose(t, threshold);
	if (prim_box_copy(b, &t->box[*chosen], d->d) < 0)
		return -1;
	return paste ? prim_paste(d, active, o, b, k0, n0) : 0;
}

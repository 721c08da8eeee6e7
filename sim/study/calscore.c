/* calscore.c - the case base's baselines fitted fold by fold, every
 * predictor scored alike, and the grouped calibration at one time. */
#include "study/calscore.h"

#include <math.h>
#include <stdlib.h>

const char *const calscore_base_names[CALSCORE_NBASE] = {
	"constant hazard", "Weibull", "exponential regression",
};

static const int base_kind[CALSCORE_NBASE] = { SURV_CONSTANT, SURV_WEIBULL, SURV_EXPREG };

void calscore_base_free(struct calscore_base *p)
{
	int k;

	for (k = 0; k < CALSCORE_NBASE; k++) {
		free(p->f[k]);
		p->f[k] = NULL;
	}
	free(p->x);
	p->x = NULL;
}

/* Fits baseline K to every fold of P's cases C (FOLDS of them, a group's
 * cases in one) into P->f[K]. Returns 0 or -1. */
static int fit_folds(struct calscore_base *p, int k, const struct surv_case *c, size_t folds,
		     const size_t *group, double ridge, struct surv_fit *fits)
{
	int reg = base_kind[k] == SURV_EXPREG;
	size_t i;

	if (isnan(surv_cv(base_kind[k], c, p->n, reg ? p->x : NULL, reg ? CB_NCOV : 0,
			  CASESCORE_WIDTH, reg ? ridge : 0, folds, group, NULL, fits)))
		return -1;
	for (i = 0; i < p->n; i++) {
		p->f[k][i].fit = fits[i];
		p->f[k][i].x = reg ? p->x + i * CB_NCOV : NULL;
	}
	return 0;
}

int calscore_baselines(const struct cb_base *b, size_t folds, const size_t *group, double ridge,
		       struct calscore_base *out)
{
	size_t n = b->n, i;
	struct surv_fit *fits = malloc(sizeof(*fits) * (n ? n : 1));
	struct surv_case *c = malloc(sizeof(*c) * (n ? n : 1));
	int k, ret = 0;

	out->n = n;
	out->x = malloc(sizeof(double) * CB_NCOV * (n ? n : 1));
	for (k = 0; k < CALSCORE_NBASE; k++)
		out->f[k] = malloc(sizeof(struct calscore_fit) * (n ? n : 1));
	if (!fits || !c || !out->x || !out->f[0] || !out->f[1] || !out->f[2] || folds < 2 ||
	    folds > n)
		ret = -1;
	for (i = 0; ret == 0 && i < n; i++) {
		c[i].t = b->c[i].years;
		c[i].event = b->c[i].event;
		cb_covariates(&b->c[i], out->x + i * CB_NCOV);
	}
	for (k = 0; ret == 0 && k < CALSCORE_NBASE; k++)
		ret = fit_folds(out, k, c, folds, group, ridge, fits);
	if (ret < 0)
		calscore_base_free(out);
	free(fits);
	free(c);
	return ret;
}

static double base_S(const void *ctx, size_t i, double t)
{
	const struct calscore_fit *f = (const struct calscore_fit *)ctx + i;

	return surv_fit_S(&f->fit, f->x, t);
}

struct surv_pred calscore_base_pred(const struct calscore_base *p, int k)
{
	struct surv_pred pr = { base_S, p->f[k] };

	return pr;
}

int calscore_score(const struct surv_case *c, size_t n, const struct surv_pred *p, int ranks,
		   long b, uint64_t seed, struct case_scores *out)
{
	if (casescore_pred(c, n, p, b, seed, out) < 0)
		return -1;
	if (!ranks)
		out->cindex[0] = out->cindex[1] = out->cindex[2] = 0.5;
	return 0;
}

/* The cases sorted by predicted survival at tau. */
struct ranked {
	double s;
	size_t i;
};

static int by_s(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	return x->s < y->s ? -1 : x->s > y->s ? 1 : x->i < y->i ? -1 : x->i > y->i;
}

static int by_time(const void *a, const void *b)
{
	const struct surv_case *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return y->event - x->event;	/* events before censorings at a tie */
}

/* The Kaplan-Meier estimate at TAU of the M cases G (sorted here), with
 * its log-log 95% interval from Greenwood's variance. */
static void km_at(struct surv_case *g, size_t m, double tau, struct calscore_group *out)
{
	double s = 1, v = 0;
	size_t a = 0;

	qsort(g, m, sizeof(*g), by_time);
	while (a < m && g[a].t <= tau) {
		size_t at_risk = m - a, d = 0;
		double t = g[a].t;

		for (; a < m && g[a].t == t; a++)
			d += g[a].event != 0;
		if (d) {
			s *= 1 - (double)d / (double)at_risk;
			if (d < at_risk)
				v += (double)d / ((double)at_risk * (double)(at_risk - d));
		}
	}
	out->km = s;
	if (s <= 0 || s >= 1) {
		out->lo = out->hi = s;
		return;
	}
	{
		double w = 1.959964 * sqrt(v) / fabs(log(s));

		out->lo = pow(s, exp(w));
		out->hi = pow(s, exp(-w));
	}
}

int calscore_groups(const struct surv_case *c, size_t n, const struct surv_pred *p, double tau,
		    size_t g, struct calscore_group *out)
{
	struct ranked *r = malloc(sizeof(*r) * (n ? n : 1));
	struct surv_case *sub = malloc(sizeof(*sub) * (n ? n : 1));
	size_t i, k, a = 0;

	if (!r || !sub || g < 1 || g > n) {
		free(r);
		free(sub);
		return -1;
	}
	for (i = 0; i < n; i++) {
		r[i].s = p->S(p->ctx, i, tau);
		r[i].i = i;
	}
	qsort(r, n, sizeof(*r), by_s);
	for (k = 0; k < g; k++) {
		size_t end = (k + 1) * n / g, m = 0;
		double sum = 0;

		for (; a < end; a++, m++) {
			sub[m] = c[r[a].i];
			sum += r[a].s;
		}
		out[k].n = m;
		out[k].pred = sum / (double)m;
		km_at(sub, m, tau, &out[k]);
	}
	free(r);
	free(sub);
	return 0;
}

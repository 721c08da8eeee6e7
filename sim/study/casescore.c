/* casescore.c - the back-test's cases scored as censored times to the
 * first attack, for model curves and leave-one-out baselines. */
#include "study/casescore.h"

#include <math.h>
#include <stdlib.h>

const double casescore_tau[CASESCORE_NTAU] = { 2, 5, 10 };

/* S of case I's curve at T: 1 at 0, linear between step ends, the last
 * step's value up to half a step past it (a horizon rounded to the
 * grid), NaN beyond. */
double casescore_curve_S(const void *ctx, size_t i, double t)
{
	const struct case_curve *c = (const struct case_curve *)ctx + i;
	double u = t / c->dt, f;
	long k;

	if (!(t > 0))
		return 1;
	if (u > (double)c->n + 0.5)
		return NAN;
	k = (long)floor(u);
	if (k >= c->n)
		return c->s[c->n - 1];
	f = u - (double)k;
	return (k ? c->s[k - 1] : 1) * (1 - f) + c->s[k] * f;
}

int casescore_pred(const struct surv_case *c, size_t n, const struct surv_pred *p, long b,
		   uint64_t seed, struct case_scores *out)
{
	double w = CASESCORE_WIDTH;
	int j;

	out->loglik[0] = surv_loglik(c, n, p, w);
	out->cindex[0] = surv_cindex(c, n, p);
	if (surv_bootstrap(c, n, p, surv_score_loglik, &w, b, seed, &out->loglik[1],
			   &out->loglik[2]) < 0 ||
	    surv_bootstrap(c, n, p, surv_score_cindex, NULL, b, seed + 1, &out->cindex[1],
			   &out->cindex[2]) < 0)
		return -1;
	for (j = 0; j < CASESCORE_NTAU; j++) {
		out->brier[j][0] = surv_brier(c, n, p, casescore_tau[j]);
		if (surv_bootstrap(c, n, p, surv_score_brier, &casescore_tau[j], b, seed + 2 + (uint64_t)j,
				   &out->brier[j][1], &out->brier[j][2]) < 0)
			return -1;
	}
	return 0;
}

int casescore_curves(const struct surv_case *c, size_t n, const struct case_curve *cv,
		     long b, uint64_t seed, struct case_scores *out)
{
	struct surv_pred p = { casescore_curve_S, cv };

	return casescore_pred(c, n, &p, b, seed, out);
}

static double loo_S(const void *ctx, size_t i, double t)
{
	return surv_fit_S((const struct surv_fit *)ctx + i, NULL, t);
}

int casescore_baseline(int kind, const struct surv_case *c, size_t n, long b, uint64_t seed,
		       struct case_scores *out)
{
	struct surv_fit *f = malloc(sizeof(*f) * (n ? n : 1));
	struct surv_pred p = { loo_S, f };
	size_t i;
	int ret = 0;

	/* Leave one out: N folds, each case predicted by the fit to the others. */
	if (!f || n < 2 ||
	    isnan(surv_cv(kind, c, n, NULL, 0, CASESCORE_WIDTH, 0, n, NULL, NULL, f)))
		ret = -1;
	if (ret == 0)
		ret = casescore_pred(c, n, &p, b, seed, out);
	/* Without covariates a baseline ranks every case alike whatever it
	 * is fitted to, so its concordance is that of one fit for all (0.5),
	 * not of leave-one-out fits, which would rank each attacked case as
	 * the safer (its own fit saw one attack fewer). */
	if (ret == 0 && surv_fit(kind, c, NULL, n, NULL, 0, CASESCORE_WIDTH, 0, &f[0]) == 0) {
		for (i = 1; i < n; i++)
			f[i] = f[0];
		out->cindex[0] = surv_cindex(c, n, &p);
		if (surv_bootstrap(c, n, &p, surv_score_cindex, NULL, b, seed + 1, &out->cindex[1],
				   &out->cindex[2]) < 0)
			ret = -1;
	} else {
		ret = -1;
	}
	free(f);
	return ret;
}

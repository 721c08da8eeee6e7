/* casescore.h - the back-test's cases scored as times to the first
 * attack, right-censored where deterrence held: a predictor's censored
 * log-likelihood, concordance and IPCW Brier scores with bootstrap
 * intervals, for the models' predicted survival curves and for baseline
 * hazards fitted leave-one-out. */
#ifndef SIM_CASESCORE_H
#define SIM_CASESCORE_H

#include <stddef.h>
#include <stdint.h>

#include "study/survival.h"

/* A model's predicted survival for one case: S[k] is the chance of no
 * attack by the end of step k, for N steps of DT years. */
struct case_curve {
	double dt;
	long n;
	double *s;
};

/* The prediction of the curves CTX (an array of struct case_curve, one
 * per case) for case I at T: 1 at 0, linear between step ends, the last
 * step's value up to half a step past it, NaN beyond (a surv_pred's S). */
double casescore_curve_S(const void *ctx, size_t i, double t);

/* The Brier scores are taken at these times (years). */
#define CASESCORE_NTAU 3
extern const double casescore_tau[CASESCORE_NTAU];

/* A predictor's scores, each with its 95% bootstrap interval (over
 * cases, the predictions held fixed). */
struct case_scores {
	double loglik[3];			/* value, lo, hi */
	double cindex[3];
	double brier[CASESCORE_NTAU][3];
};

/* The interval of a scored event: a month, for every predictor alike. */
#define CASESCORE_WIDTH (1.0 / 12)

/* Scores the N cases C predicted by the curves CV (CV[i] for case i; each
 * must reach the largest of the case's time and the Brier times, or
 * the score needing it is NaN), with B resamples from SEED. Returns 0 or
 * -1 when out of memory. */
int casescore_curves(const struct surv_case *c, size_t n, const struct case_curve *cv,
		     long b, uint64_t seed, struct case_scores *out);

/* Scores the N cases C predicted by P, as casescore_curves(). */
int casescore_pred(const struct surv_case *c, size_t n, const struct surv_pred *p, long b,
		   uint64_t seed, struct case_scores *out);

/* Scores the N cases C predicted by baseline KIND (SURV_CONSTANT or
 * SURV_WEIBULL) fitted to all cases but the one it predicts. Returns 0,
 * or -1 when a fit fails or memory runs out. */
int casescore_baseline(int kind, const struct surv_case *c, size_t n, long b, uint64_t seed,
		       struct case_scores *out);

#endif

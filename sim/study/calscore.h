/* calscore.h - the case base's cross-validated predictions scored side by
 * side: the baselines fitted fold by fold (a constant hazard, a Weibull,
 * an exponential regression on the coded covariates), and the grouped
 * calibration of a predictor at one time (mean predicted survival against
 * the Kaplan-Meier estimate of the group's cases). */
#ifndef SIM_CALSCORE_H
#define SIM_CALSCORE_H

#include <stddef.h>
#include <stdint.h>

#include "study/casebase.h"
#include "study/casescore.h"

/* The baselines, in the order calscore_baselines() fills them. */
enum { CALSCORE_CONSTANT, CALSCORE_WEIBULL, CALSCORE_REGRESSION, CALSCORE_NBASE };
extern const char *const calscore_base_names[CALSCORE_NBASE];

/* A case's held-out fit and its covariates. */
struct calscore_fit {
	struct surv_fit fit;
	const double *x;
};

/* The baselines' predictions, one fit per fold. */
struct calscore_base {
	size_t n;
	double *x;				/* CB_NCOV covariates per case */
	struct calscore_fit *f[CALSCORE_NBASE];	/* case i's fold's fit */
};

/* Fits every baseline to the cases of B fold by fold (FOLDS, case i in
 * fold (GROUP[i], or i when GROUP is NULL) modulo FOLDS, as cal_cv()
 * splits them; the regression with ridge RIDGE) into OUT. Returns 0, or
 * -1 when a fit fails or memory runs out. */
int calscore_baselines(const struct cb_base *b, size_t folds, const size_t *group, double ridge,
		       struct calscore_base *out);

/* Frees what calscore_baselines() allocated. */
void calscore_base_free(struct calscore_base *p);

/* Baseline K's held-out prediction as a surv_pred over the cases. */
struct surv_pred calscore_base_pred(const struct calscore_base *p, int k);

/* Scores the N cases C under prediction P with B resamples from SEED into
 * OUT (casescore's scores). When RANKS is 0 the prediction ranks every
 * case alike in truth (a baseline without covariates, whose fold fits
 * differ only by noise), and its concordance is set to that of a tie,
 * 0.5. Returns 0 or -1. */
int calscore_score(const struct surv_case *c, size_t n, const struct surv_pred *p, int ranks,
		   long b, uint64_t seed, struct case_scores *out);

/* One group of the calibration chart. */
struct calscore_group {
	size_t n;			/* cases */
	double pred;			/* mean predicted survival at tau */
	double km, lo, hi;		/* Kaplan-Meier at tau, 95% (Greenwood, log-log) */
};

/* Splits the N cases C into G groups of nearly equal size by their
 * predicted survival at TAU under P (lowest first) and fills OUT[0 .. G-1].
 * Returns 0, or -1 when out of memory or G is not in 1 .. N. */
int calscore_groups(const struct surv_case *c, size_t n, const struct surv_pred *p, double tau,
		    size_t g, struct calscore_group *out);

#endif

/* survival.h - proper scores for times to an event that may be
 * right-censored (the back-test's outcome: the time to the first attack,
 * censored where deterrence held), the Kaplan-Meier estimator, and
 * bootstrap intervals over cases (survival.c); baseline hazard models
 * fitted by maximum likelihood and scored by cross-validation
 * (hazards.c). */
#ifndef SIM_SURVIVAL_H
#define SIM_SURVIVAL_H

#include <stddef.h>
#include <stdint.h>

/* One case: its time T in years from the guarantee's start to the event
 * or to the end of observation, and whether the event (the attack) came
 * then (EVENT 1) or the case was censored (EVENT 0). */
struct surv_case {
	double t;
	int event;
};

/* A prediction for every case: S(CTX, I, T) is the predicted chance that
 * case I sees no event by time T (1 at T = 0, non-increasing). */
struct surv_pred {
	double (*S)(const void *ctx, size_t i, double t);
	const void *ctx;
};

/* The censored log-likelihood of the N cases C under P: for an event at t,
 * log(S(t - WIDTH) - S(t)), the predicted chance that it falls in the
 * interval of WIDTH years that ends at t (a month, for monthly records);
 * for a censored case, log S(t). A chance of 0 counts as log(1e-300), so
 * that one impossible case costs about -690, not minus infinity; a
 * prediction of NaN (one that does not reach the case's time) gives NaN. */
double surv_loglik(const struct surv_case *c, size_t n, const struct surv_pred *p, double width);

/* The log-likelihood term of case I alone (as surv_loglik()). */
double surv_loglik_case(const struct surv_case *c, size_t i, const struct surv_pred *p,
			double width);

/* Harrell's concordance index with a time-dependent risk (Antolini et
 * al. 2005): over the pairs (i, j) where i had the event first (t_i < t_j,
 * or t_i = t_j with i an event and j censored), the share in which the
 * prediction ranked i as the likelier to have had it by then, S_i(t_i) <
 * S_j(t_i); equal predictions count one half. 1 is a perfect ranking, 0.5
 * chance; NaN without a comparable pair. */
double surv_cindex(const struct surv_case *c, size_t n, const struct surv_pred *p);

/* The Kaplan-Meier estimate of the N cases C: its distinct event times
 * into T[0 .. m-1] and the survival just after each into S (at most N
 * each); with CENSORING the roles are swapped (the estimate of the
 * chance of staying under observation). Events come before censorings
 * at the same time. Returns m. */
size_t surv_km(const struct surv_case *c, size_t n, int censoring, double *t, double *s);

/* The step function of surv_km() at X: the estimate at X (LEFT 0) or just
 * before it (LEFT 1). */
double surv_km_at(const double *t, const double *s, size_t m, double x, int left);

/* The censoring-weighted (IPCW) Brier score at TAU years (Graf et al.
 * 1999): the mean over cases of S_i(TAU)^2 / G(t_i-) for an event by TAU,
 * (1 - S_i(TAU))^2 / G(TAU) for a case still without one at TAU, and 0 for
 * a case censored before TAU, with G the Kaplan-Meier estimate of the
 * censoring. NaN when G(TAU) is 0 or no case is left to weigh. */
double surv_brier(const struct surv_case *c, size_t n, const struct surv_pred *p, double tau);

/* A score of the cases C[IDX[0]] .. C[IDX[N-1]] (a bootstrap resample)
 * under the prediction P (whose S is still indexed by the original case). */
typedef double (*surv_score_fn)(const struct surv_case *c, const size_t *idx, size_t n,
				const struct surv_pred *p, const void *arg);

/* The 95% percentile interval of SCORE over B bootstrap resamples of the
 * N cases (drawn with replacement from a stream of SEED), into *LO and
 * *HI; resamples where SCORE is NaN are left out. Returns the number of
 * resamples used, or -1 when out of memory. */
long surv_bootstrap(const struct surv_case *c, size_t n, const struct surv_pred *p,
		    surv_score_fn score, const void *arg, long b, uint64_t seed,
		    double *lo, double *hi);

/* Scores as surv_score_fn, for surv_bootstrap(): the concordance, the
 * Brier score at *(double *)ARG years, the log-likelihood with the width
 * *(double *)ARG. */
double surv_score_cindex(const struct surv_case *c, const size_t *idx, size_t n,
			 const struct surv_pred *p, const void *arg);
double surv_score_brier(const struct surv_case *c, const size_t *idx, size_t n,
			const struct surv_pred *p, const void *arg);
double surv_score_loglik(const struct surv_case *c, const size_t *idx, size_t n,
			 const struct surv_pred *p, const void *arg);

/* Baseline hazard models (hazards.c). */
enum surv_kind {
	SURV_CONSTANT,		/* S(t) = exp(-lambda t) */
	SURV_WEIBULL,		/* S(t) = exp(-(lambda t)^k) */
	SURV_EXPREG		/* S(t) = exp(-exp(b0 + b.x) t): exponential regression */
};

#define SURV_MAX_COVARIATES 16

struct surv_fit {
	int kind;
	size_t k;				/* covariates (SURV_EXPREG) */
	double par[SURV_MAX_COVARIATES + 2];	/* log lambda, log k; or b0, b1 .. bk */
	double loglik;				/* at the fit, on its training cases */
};

/* Fits model KIND to the cases C[IDX[0 .. N-1]] by maximising their
 * censored log-likelihood (surv_loglik() with WIDTH) with GSL's simplex
 * minimiser; X holds K covariates per case (row i for case i; NULL unless
 * SURV_EXPREG), RIDGE a penalty RIDGE sum b_j^2 on the slopes. Returns 0,
 * or -1 when the minimiser fails or memory runs out. */
int surv_fit(int kind, const struct surv_case *c, const size_t *idx, size_t n,
	     const double *x, size_t k, double width, double ridge, struct surv_fit *f);

/* The survival of a case with covariates XI (NULL unless SURV_EXPREG) at
 * T under the fit F. */
double surv_fit_S(const struct surv_fit *f, const double *xi, double t);

/* The cross-validation fold of case I among FOLDS: its group's number
 * (GROUP[i], or I when GROUP is NULL) modulo FOLDS, so that a group's
 * cases share a fold. */
size_t surv_fold(const size_t *group, size_t i, size_t folds);

/* Cross-validated log-likelihood of model KIND on the N cases: the cases
 * are split into FOLDS folds (FOLDS = N: leave one out) by surv_fold();
 * each fold is scored by a fit on the others (a fold left empty by the
 * groups is skipped); OUT[i] (when not NULL) receives case i's held-out
 * term and FITS[i] (when not NULL) the fit that predicts it. Returns the
 * sum, or NaN when a fit fails. */
double surv_cv(int kind, const struct surv_case *c, size_t n, const double *x, size_t k,
	       double width, double ridge, size_t folds, const size_t *group, double *out,
	       struct surv_fit *fits);

#endif

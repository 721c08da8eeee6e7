/* calibrate.h - the case base run through the crisis mapping: each
 * case's predicted survival under the mapping's parameters, the summed
 * censored log-likelihood, its maximisation over chosen parameters
 * (simulated maximum likelihood on common random numbers: the same seed
 * and trials at every evaluation, so that the likelihood is a smooth
 * function of the parameters), and K-fold cross-validation of the fit. */
#ifndef SIM_CALIBRATE_H
#define SIM_CALIBRATE_H

#include <stddef.h>
#include <stdint.h>

#include "study/casebase.h"
#include "study/casescore.h"

/* What a calibration runs: the cases, the trials of each run, the
 * threads, and which parameters are free (FREE[j] 1) with the others at
 * P's values. */
struct cal_setup {
	const struct cb_base *b;
	long trials;
	int threads;
	int free[CB_NPAR];
	const struct cb_mapping *map;	/* NULL: the first, crisis */
	const size_t *group;		/* each case's group, kept in one fold;
					 * NULL: every case its own */
	const double *weight;		/* each case's weight in the likelihood;
					 * NULL: 1 each */
};

/* The fold of case I among FOLDS: its group's number (or I) modulo
 * FOLDS. */
size_t cal_fold(const struct cal_setup *s, size_t i, size_t folds);

/* The horizon each case is run to: its own time or 10 years, whichever
 * is longer. */
double cal_horizon(const struct cb_case *c);

/* Fills CV[i] (allocating its S) with the predicted survival of case
 * B->c[i] under the parameters P, for the cases of the index list IDX
 * (NULL: all). Returns 0, or -1 after printing an error (a generated
 * config that does not check, or no memory). */
int cal_curves(const struct cal_setup *s, const double *p, const size_t *idx, size_t n,
	       struct case_curve *cv);

/* The censored log-likelihood of the cases IDX[0 .. N-1] (NULL: all)
 * under P; NaN after an error. */
double cal_loglik(const struct cal_setup *s, const double *p, const size_t *idx, size_t n);

/* Maximises cal_loglik() over the free parameters of S, starting from P
 * (updated in place), fitting the cases IDX[0 .. N-1] (NULL: all), by
 * GSL's simplex, each parameter through a logistic onto its range
 * [CAL_LO, CAL_HI] (crisis_rate 1e-4 to 10 a year, decision_sd 0.01 to 2,
 * war_cost 0 to 3, treaty_strength 0 to 0.9, guarantor_force 0 to 20,
 * crisis_decay 0 to 5; a start within a twentieth of an end is moved that
 * far in).
 * Returns
 * the best value found, or NaN when it fails; *CONVERGED (when not NULL)
 * says whether the simplex shrank to 1e-3 within 300 iterations (it does
 * not when a parameter runs off to a bound, such as a cost to 0). */
double cal_fit(const struct cal_setup *s, double *p, const size_t *idx, size_t n, int *converged);

/* K-fold cross-validation of the fit from the start P: the cases split by
 * cal_fold() (FOLDS at most the number of groups), each fold scored under the fit to the others; OUT[i]
 * (when not NULL) gets case i's held-out term, and CURVES[i] (when not
 * NULL; the caller frees each S) its held-out predicted survival. Returns
 * the held-out sum, or NaN (the curves then partly filled, the rest with
 * S NULL: CURVES should start zeroed). */
double cal_cv(const struct cal_setup *s, const double *p, size_t folds, double *out,
	      struct case_curve *curves);

extern const double cal_lo[CB_NPAR], cal_hi[CB_NPAR];

/* The 95% likelihood interval of parameter J at the fit P (where the
 * log-likelihood over all cases falls 1.92 below its value at P, the
 * other parameters held at P: the profile when J is the only free one)
 * into *LO and *HI (the ends of its range where it does not fall that
 * far).
 * Returns 0, or -1 after an error. */
int cal_profile(const struct cal_setup *s, const double *p, int j, double *lo, double *hi);

/* The cluster bootstrap of the fit P (from cal_fit() on every case): B
 * replicates, each drawing NGROUPS groups with replacement (GROUP[i] is
 * case i's; NULL: each case a group of its own, NGROUPS the cases) from
 * seed SEED's resampling streams, weighting each case by its group's
 * draws, and refitting S's free parameters from P into OUT[k CB_NPAR ..]
 * (the fixed ones copied). Returns 0, or -1 when a fit fails or memory
 * runs out. */
int cal_bootstrap(const struct cal_setup *s, const double *p, const size_t *group, size_t ngroups,
		  long b, uint64_t seed, double *out);

/* Parameter J over the B replicates REP of cal_bootstrap(): its 2.5% and
 * 97.5% quantiles into *LO and *HI and the standard deviation of its log
 * into *SDLOG (NaN unless every replicate is positive). Returns 0, or -1
 * when B < 2 or memory runs out. */
int cal_boot_summary(const double *rep, long b, int j, double *lo, double *hi, double *sdlog);

#endif

/* scores.h - how well predicted probabilities match what happened. */
#ifndef SIM_SCORES_H
#define SIM_SCORES_H

#include <stddef.h>

/* The Brier score of N forecasts: the mean of (P[i] - Y[i])^2, where P[i]
 * is the predicted probability of the event and Y[i] is 1 if it happened,
 * 0 if not. 0 is perfect; 0.25 is what always saying 0.5 scores. NaN for
 * N = 0. */
double scores_brier(const double *p, const int *y, size_t n);

/* The area under the ROC curve: the probability that a case where the
 * event happened (Y = 1) got a higher P than one where it did not, ties
 * counting one half (the Mann-Whitney statistic over n1 n0 pairs). 1 is a
 * perfect ranking, 0.5 chance. NaN unless both kinds of case occur. */
double scores_auc(const double *p, const int *y, size_t n);

#endif

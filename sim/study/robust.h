/* robust.h - robust choice between designs evaluated over the same
 * futures: each design's distribution of a figure over the futures, the
 * share of futures where it meets a threshold (satisficing), and its
 * regret against the best design in each future (minimax regret). */
#ifndef SIM_ROBUST_H
#define SIM_ROBUST_H

#include <stddef.h>

/* A design's figures over the futures. */
struct robust_stats {
	double mean, min, q10, median, q90, max;
	double satisficing;	/* share of futures with the figure >= the threshold */
	double mean_regret, max_regret, q90_regret;
	double best_share;	/* share of futures where it is the best (ties shared) */
};

/* From Y[d NF + f], the figure of design d in future f (ND designs, NF
 * futures; higher is better), fills REGRET[d NF + f] = max over designs of
 * Y in future f minus Y[d NF + f], and OUT[d]. THRESHOLD sets satisficing.
 * Returns 0, or -1 when memory runs out or NF is 0. */
int robust_evaluate(const double *y, size_t nd, size_t nf, double threshold, double *regret,
		    struct robust_stats *out);

/* The design minimising the maximum regret (ties: the higher mean), and
 * the one satisficing in the most futures (ties: the lower maximum
 * regret). */
size_t robust_minimax(const struct robust_stats *s, size_t nd);
size_t robust_satisficer(const struct robust_stats *s, size_t nd);

#endif

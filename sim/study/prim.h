/* prim.h - the Patient Rule Induction Method (Friedman and Fisher 1999)
 * for scenario discovery: in a table of experiments (inputs X, a 0/1
 * outcome Y: whether the condition of interest holds), find boxes in the
 * inputs where Y is mostly 1, by peeling a small share of the points off
 * one face at a time, then pasting back what raises the density. */
#ifndef SIM_PRIM_H
#define SIM_PRIM_H

#include <stddef.h>

/* The data: N points of D inputs, X[i D + j], Y[i] 0 or 1. */
struct prim_data {
	size_t n, d;
	const double *x;
	const unsigned char *y;
};

/* One box: limits per input (-HUGE_VAL / HUGE_VAL where unrestricted), the
 * points of interest inside (K) of all inside (M), and its figures
 * relative to the points it was found among (all K0 of interest, N0 in
 * all). */
struct prim_box {
	double *lo, *hi;
	size_t m, k;
	double coverage;	/* k / k0: the share of the cases of interest it holds */
	double density;		/* k / m: the share of its points that are of interest */
	double support;		/* m / n0: the share of the points it holds */
	size_t restricted;	/* inputs it restricts */
};

/* The peeling trajectory: box 0 is everything, each next one a peel. */
struct prim_trajectory {
	size_t d, nbox;
	struct prim_box *box;
};

/* How PRIM runs. */
struct prim_opts {
	double alpha;		/* share of the box's points each peel or paste moves (0.05) */
	double min_support;	/* stop peeling below this share of the points (0.05) */
};

/* Peels the points of D flagged in ACTIVE (all when NULL) into *T.
 * Returns 0, or -1 when memory runs out or no point is active. */
int prim_peel(const struct prim_data *d, const unsigned char *active, const struct prim_opts *o,
	      struct prim_trajectory *t);

/* Pastes on box B (among the ACTIVE points): widens one face at a time by
 * up to ALPHA of the box's points while that raises the density, and
 * refreshes B's counts. Returns 0 or -1 (no memory). */
int prim_paste(const struct prim_data *d, const unsigned char *active, const struct prim_opts *o,
	       struct prim_box *b, size_t k0, size_t n0);

/* The quasi-p-value of box B's restriction on input J (Bryant and
 * Lempert 2010, as the EMA Workbench computes it): the chance that a box
 * with J unrestricted, of the same size, would hold at least B's points
 * of interest, a binomial upper tail at the density of the box without
 * J's restriction. NaN when J is not restricted. */
double prim_quasi_p(const struct prim_data *d, const unsigned char *active,
		    const struct prim_box *b, size_t j);

/* The box of T to report: with THRESHOLD > 0, the first (the largest)
 * whose density reaches it, or the densest when none does; otherwise the
 * knee of the trade-off, the box nearest to coverage 1 and density 1. */
size_t prim_choose(const struct prim_trajectory *t, double threshold);

/* The whole search among the ACTIVE points: peels into *T, takes the box
 * prim_choose() picks at THRESHOLD (its index into *CHOSEN), copies it to
 * *B and, with PASTE, pastes it. Returns 0 or -1 (no memory, no point). */
int prim_find(const struct prim_data *d, const unsigned char *active, const struct prim_opts *o,
	      double threshold, int paste, struct prim_trajectory *t, struct prim_box *b,
	      size_t *chosen);

/* Whether point I lies in box B. */
int prim_inside(const struct prim_data *d, const struct prim_box *b, size_t i);

/* Copies box A into B (allocating its limits). Returns 0 or -1. */
int prim_box_copy(struct prim_box *b, const struct prim_box *a, size_t d);

/* Frees a box's limits, and a trajectory. */
void prim_box_free(struct prim_box *b);
void prim_trajectory_free(struct prim_trajectory *t);

#endif

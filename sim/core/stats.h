/* stats.h - constants of the statistics that every layer shares. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

/* The 0.975 quantile of the standard normal, to 16 significant digits:
 * the z of every 95% interval (Wilson scores, normal intervals, paired
 * differences) and of the --precision half-width. Outputs (and
 * tests/test_golden.c) depend on this exact literal. */
#define SIM_Z95 1.959963984540054

#endif

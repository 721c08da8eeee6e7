/* stats.h - constants of the statistics every figure uses. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

/* The 0.975 quantile of the standard normal: a 95% interval is the
 * estimate plus or minus SIM_Z95 standard errors. */
#define SIM_Z95 1.959963984540054

#endif

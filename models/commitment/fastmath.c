/* fastmath.c - the table of Phi, made once per process. */
#include <pthread.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "models/commitment/commitment.h"
#include "models/commitment/fastmath.h"
#include "models/commitment/internal.h"

static double *phi_table(void)
{
	double *c = malloc(sizeof(double) * 4 * PHI_N);
	double h = 1 / PHI_SCALE;
	int j;

	for (j = 0; c && j < PHI_N; j++) {
		double z0 = PHI_LO + j * h, z1 = z0 + h;
		double p0 = gsl_cdf_ugaussian_P(z0), p1 = gsl_cdf_ugaussian_P(z1);
		double d0 = h * gsl_ran_ugaussian_pdf(z0), d1 = h * gsl_ran_ugaussian_pdf(z1);

		c[j] = p0;
		c[PHI_N + j] = d0;
		c[2 * PHI_N + j] = 3 * (p1 - p0) - 2 * d0 - d1;
		c[3 * PHI_N + j] = 2 * (p0 - p1) + d0 + d1;
	}
	return c;
}

double commitment_fast_phi(const double *table, double z)
{
	return fast_phi(table, z);
}

double commitment_fast_exp(double x)
{
	return fast_exp(x);
}

double commitment_fast_log(double x)
{
	return fast_log(x);
}

double commitment_fast_pow(double r, double g)
{
	return fast_pow(r, g);
}

/* The table of Phi, made once per process and never changed after, so
 * every instance and thread reads the same one. */
static pthread_once_t phi_once = PTHREAD_ONCE_INIT;
static double *phi_shared;

static void phi_init(void)
{
	phi_shared = phi_table();
}

const double *cm_shared_phi(void)
{
	pthread_once(&phi_once, phi_init);
	return phi_shared;
}

double *commitment_phi_table(void)
{
	return phi_table();
}

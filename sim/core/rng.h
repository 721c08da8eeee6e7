/* rng.h - independent per-trial random streams from GSL generators.
 *
 * Trial i of a run draws from streams that are a pure function of
 * (seed, i, purpose), whatever thread runs it. gsl_rng_set() keeps only 32
 * bits of its seed, so seeding through it would make streams collide; we
 * instead fill the generator's state from a 64-bit hash. Only generators
 * whose state layout we know can be seeded so. */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* The generator used when neither the config nor GSL_RNG_TYPE names one. */
#define RNG_DEFAULT "taus2"

/* Returns the GSL type called NAME if it can be seeded per trial, else
 * NULL. */
const gsl_rng_type *rng_type(const char *name);

/* Returns the names of the types rng_type() accepts, comma-separated. */
const char *rng_supported(void);

/* The purposes of random streams: rng_key()'s and rng_stream()'s PURPOSE,
 * every one of the program in one place so that no two collide. The
 * values are part of every result (the same seed must keep giving the
 * same bytes): never renumber one, only add new ones. */
enum rng_purpose {
	/* A trial's uncertain parameters, the config's distributions drawn
	 * once per trial (models/commitment). */
	STREAM_PARAMS = 0,
	/* A trial's attack threshold and the challenger's misreading of each
	 * guarantor (models/commitment). */
	STREAM_SEEN = 1,
	/* A trial's elections: dates, turnovers and the shocks to resolve
	 * they bring (models/commitment). */
	STREAM_ELECTIONS = 2,
	/* What the guarantors do, and who wins, when a trial's attack comes
	 * (models/commitment). */
	STREAM_OUTCOME = 3,
	/* A trial's crises, the probes among them and how each guarantor
	 * answers them (models/crisis, with learning on). The other models
	 * use purposes 0 to 3 as commitment does. */
	STREAM_CRISES = 4,
	/* With --independent, the seed of point I of a study is the key of
	 * "trial" I of this purpose (sim/study/points.c). */
	STREAM_POINT_SEED = 0x5eed,
	/* sim sample's Latin hypercube, "trial" 0: apart from every trial's
	 * streams (sim/cli/cmd_sample.c). */
	STREAM_DESIGN = 0xde5191,
	/* sim sensitivity's bootstrap of figure F, "trial" F: no longer
	 * drawn (the intervals come from replicates), kept so that no new
	 * purpose takes its value. */
	STREAM_BOOTSTRAP = 0xb0075,
	/* The Owen scrambling of replicate R of sim sensitivity's Sobol'
	 * design, "trial" R (sim/study/design.c). */
	STREAM_SCRAMBLE = 0x5c7a3b1e,
	/* The bootstrap over the cases of a back-test, "trial" 0
	 * (sim/study/survival.c). */
	STREAM_RESAMPLE = 0xca5e5,
	/* Replicate R of the calibration's bootstrap over pairs, "trial" R
	 * (sim/study/calibrate.c). */
	STREAM_REFIT = 0x2ef17,
	/* sim screen's Morris design (its candidate trajectories), "trial"
	 * 0, and the bootstrap of the mu* of figure F, "trial" 1 + F
	 * (sim/cli/cmd_screen.c). */
	STREAM_MORRIS = 0x3077155,
};

/* Returns the 64-bit key of stream PURPOSE of trial TRIAL of a run with
 * SEED. Distinct (trial, purpose) pairs give distinct keys for one seed,
 * except with probability about 2^-64 per pair. */
uint64_t rng_key(uint64_t seed, uint64_t trial, uint64_t purpose);

/* Fills the state of R (of a type rng_type() accepts) from KEY. The
 * stream depends on KEY alone; distinct keys give distinct states. */
void rng_seed(gsl_rng *r, uint64_t key);

/* Seeds R with stream PURPOSE of trial TRIAL of a run with SEED. */
static inline void rng_stream(gsl_rng *r, uint64_t seed, uint64_t trial,
			      uint64_t purpose)
{
	rng_seed(r, rng_key(seed, trial, purpose));
}

/* A uniform in (0, 1), never 0 nor 1, from R; reflected (1 - u) when
 * ANTI, the antithetic twin's draw. */
static inline double rng_u(const gsl_rng *r, int anti)
{
	double u = gsl_rng_uniform_pos(r);

	return anti ? 1 - u : u;
}

/* A standard normal from R as the quantile of rng_u(R, ANTI): the twin of
 * a draw is its negation. */
double rng_normal(const gsl_rng *r, int anti);

#endif

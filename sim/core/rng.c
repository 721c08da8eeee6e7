/* rng.c - per-trial streams: a splitmix64 hash fills GSL generator states.
 *
 * The state layouts below are those of GSL's own state structs (rng/taus.c,
 * taus113.c, mt.c, mrg.c, cmrg.c); rng_seed() checks the state size so a
 * GSL with another layout fails loudly rather than silently. */
#include "core/rng.h"

#include <gsl/gsl_cdf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOLDEN 0x9e3779b97f4a7c15ULL

/* The finaliser of splitmix64 (Steele, Lea and Flood 2014): a bijection
 * of 64-bit words with good avalanche. */
static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Word J of the splitmix64 sequence that starts at KEY. */
static inline uint64_t word(uint64_t key, uint64_t j)
{
	return mix64(key + (j + 1) * GOLDEN);
}

uint64_t rng_key(uint64_t seed, uint64_t trial, uint64_t purpose)
{
	uint64_t h = mix64(seed + 0x632be59bd9b4e019ULL);

	h = mix64(h + trial * 0xd1b54a32d192ed03ULL);	/* odd: injective in trial */
	return mix64(h ^ (purpose * GOLDEN));		/* injective in purpose */
}

typedef void (*fill_fn)(void *state, uint64_t key);

/* Combined Tausworthe (taus, taus2): three 32-bit words with s1 >= 2,
 * s2 >= 8, s3 >= 16, the bounds GSL's own seeding enforces. (s1, s2) is
 * the first hash word itself, so distinct keys give distinct states. */
static void fill_taus(void *vs, uint64_t key)
{
	unsigned long *s = vs;
	uint64_t w0 = word(key, 0), w1 = word(key, 1);

	s[0] = w0 >> 32;
	s[1] = w0 & 0xffffffffUL;
	s[2] = w1 & 0xffffffffUL;
	if (s[0] < 2) s[0] += 2;
	if (s[1] < 8) s[1] += 8;
	if (s[2] < 16) s[2] += 16;
}

static void fill_taus113(void *vs, uint64_t key)
{
	unsigned long *s = vs;
	uint64_t w0 = word(key, 0), w1 = word(key, 1);

	s[0] = w0 >> 32;
	s[1] = w0 & 0xffffffffUL;
	s[2] = w1 >> 32;
	s[3] = w1 & 0xffffffffUL;
	if (s[0] < 2) s[0] += 2;
	if (s[1] < 8) s[1] += 8;
	if (s[2] < 16) s[2] += 16;
	if (s[3] < 128) s[3] += 128;
}

/* Mersenne Twister: 624 32-bit words and the index that forces a twist
 * on the first draw. Seeding costs about 624 hash words. */
struct mt_state {
	unsigned long mt[624];
	int mti;
};

static void fill_mt(void *vs, uint64_t key)
{
	struct mt_state *s = vs;
	int i;

	for (i = 0; i < 624; i += 2) {
		uint64_t w = word(key, (uint64_t)i / 2);

		s->mt[i] = w >> 32;
		s->mt[i + 1] = w & 0xffffffffUL;
	}
	s->mt[0] |= 0x80000000UL;	/* never the all-zero state */
	s->mti = 624;
}

/* L'Ecuyer's MRG (mrg: five words mod m1) and combined MRG (cmrg: three
 * words mod m1, three mod m2); no component may be all zero. */
static void fill_mod(long *x, int n, long m, uint64_t key, uint64_t j0)
{
	int i;

	for (i = 0; i < n; i++)
		x[i] = (long)(word(key, j0 + (uint64_t)i) % (uint64_t)(m - 1)) + 1;
}

static void fill_mrg(void *vs, uint64_t key)
{
	fill_mod(vs, 5, 2147483647L, key, 0);
}

static void fill_cmrg(void *vs, uint64_t key)
{
	long *x = vs;

	fill_mod(x, 3, 2147483647L, key, 0);
	fill_mod(x + 3, 3, 2145483479L, key, 3);
}

struct known {
	const char *name;
	size_t size;
	fill_fn fill;
};

static const struct known known[] = {
	{ "taus2", 3 * sizeof(unsigned long), fill_taus },
	{ "taus", 3 * sizeof(unsigned long), fill_taus },
	{ "taus113", 4 * sizeof(unsigned long), fill_taus113 },
	{ "mt19937", sizeof(struct mt_state), fill_mt },
	{ "mrg", 5 * sizeof(long), fill_mrg },
	{ "cmrg", 6 * sizeof(long), fill_cmrg },
	{ NULL, 0, NULL }
};

static const struct known *find(const char *name)
{
	const struct known *k;

	for (k = known; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

const gsl_rng_type *rng_type(const char *name)
{
	const gsl_rng_type **t;

	if (!find(name))
		return NULL;
	for (t = gsl_rng_types_setup(); *t; t++)
		if (!strcmp((*t)->name, name))
			return (*t)->size == find(name)->size ? *t : NULL;
	return NULL;
}

const char *rng_supported(void)
{
	return "taus2, taus, taus113, mt19937, mrg, cmrg";
}

void rng_seed(gsl_rng *r, uint64_t key)
{
	const struct known *k = find(r->type->name);

	if (!k || r->type->size != k->size) {
		fprintf(stderr, "sim: internal error: cannot seed rng type '%s'\n",
			r->type->name);
		abort();
	}
	k->fill(r->state, key);
}

double rng_normal(const gsl_rng *r, int anti)
{
	return gsl_cdf_ugaussian_Pinv(rng_u(r, anti));
}

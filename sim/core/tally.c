/* tally.c - fixed-point sums over trials. */
#include "core/tally.h"

#include <stdlib.h>
#include <string.h>

int tally_init(struct tally *t, size_t n, const unsigned char *frac)
{
	memset(t, 0, sizeof(*t));
	t->n = n;
	t->frac = frac;
	t->sum = calloc(n ? n : 1, sizeof(*t->sum));
	return t->sum ? 0 : -1;
}

void tally_clear(struct tally *t)
{
	memset(t->sum, 0, sizeof(*t->sum) * t->n);
	t->trials = t->units = t->steps = 0;
}

void tally_merge(struct tally *t, const struct tally *from)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		t->sum[i] += from->sum[i];
	t->trials += from->trials;
	t->units += from->units;
	t->steps += from->steps;
}

void tally_release(struct tally *t)
{
	free(t->sum);
	t->sum = NULL;
	t->n = 0;
}

long double tally_get(const struct tally *t, size_t i)
{
	return ldexpl((long double)t->sum[i], -(int)t->frac[i]);
}

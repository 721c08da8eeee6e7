/* modelutil.h - helpers for tests that run scenarios through the library:
 * trials into a tally, and counters and figures looked up by name in the
 * model's layout. */
#ifndef GSIM_MODELUTIL_H
#define GSIM_MODELUTIL_H

#include <string.h>

#include "engine/engine.h"
#include "engine/scenario.h"
#include "engine/summary.h"

/* Runs trials FIRST .. FIRST + COUNT - 1 of S on THREADS threads, adding
 * to T. Returns as engine_run(). */
static inline int run_trials(const struct scenario *s, uint64_t first, uint64_t count,
			     int threads, struct tally *t)
{
	const struct scenario *one = s;
	struct engine_run r = { .s = &one, .m = 1, .first = first, .count = count,
				.threads = threads };

	return engine_run(&r, t, NULL);
}

/* The index of S's counter called NAME (the first, for a per-step
 * counter); fails the test when there is none. */
static inline size_t counter_of(const struct scenario *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->layout->ncounters; i++)
		if (!strcmp(s->layout->counters[i].name, name))
			return i;
	fail_msg("model %s has no counter '%s'", s->model->name, name);
	return 0;
}

/* The whole count of S's counter NAME in T. */
static inline uint64_t count_of(const struct scenario *s, const struct tally *t,
				const char *name)
{
	return tally_whole(t, counter_of(s, name));
}

/* The index of S's figure KEY; fails the test when there is none. */
static inline int fig_of(const struct scenario *s, const char *key)
{
	int i = summary_find(s->layout, key);

	if (i < 0)
		fail_msg("model %s has no figure '%s'", s->model->name, key);
	return i;
}

/* Whether tallies A and B hold the same sums, saying where not. */
static inline int same_sums(const char *what, const struct tally *a, const struct tally *b)
{
	size_t i;

	if (a->n != b->n || a->trials != b->trials || a->units != b->units ||
	    a->steps != b->steps) {
		print_message("%s: counters %zu vs %zu, trials %llu vs %llu, units %llu vs %llu, "
			      "steps %llu vs %llu\n", what, b->n, a->n,
			      (unsigned long long)b->trials, (unsigned long long)a->trials,
			      (unsigned long long)b->units, (unsigned long long)a->units,
			      (unsigned long long)b->steps, (unsigned long long)a->steps);
		return 0;
	}
	for (i = 0; i < a->n; i++)
		if (a->sum[i] != b->sum[i]) {
			print_message("%s: counter %zu: observed %.17Lg vs expected %.17Lg\n", what,
				      i, tally_get(b, i), tally_get(a, i));
			return 0;
		}
	return 1;
}

#endif

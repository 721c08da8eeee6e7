/* progress.h - a progress line on stderr for long runs. */
#ifndef SIM_PROGRESS_H
#define SIM_PROGRESS_H

#include <stdint.h>

struct progress {
	int enabled;
	double start;
	const char *what;	/* "trials", "points" */
	int shown;
	uint64_t trials;	/* trials run so far, shown as a rate when set */
};

/* Sets up P; it draws only when ENABLED (say, stderr is a terminal and
 * the user did not ask for quiet). */
void progress_init(struct progress *p, int enabled, const char *what);

/* Shows DONE of TOTAL with the rate and the time left; a callback of the
 * engine_progress_fn kind, with P as its context. */
void progress_show(void *p, uint64_t done, uint64_t total);

/* Clears the line if anything was shown. */
void progress_done(struct progress *p);

/* Seconds on a monotonic clock. */
double progress_now(void);

#endif

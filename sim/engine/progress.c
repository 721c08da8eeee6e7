/* progress.c - a one-line progress bar on stderr. */
#include "engine/progress.h"

#include <stdio.h>
#include <time.h>

double progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_init(struct progress *p, int enabled, const char *what)
{
	p->enabled = enabled;
	p->start = progress_now();
	p->what = what;
	p->shown = 0;
	p->trials = 0;
}

void progress_show(void *vp, uint64_t done, uint64_t total)
{
	struct progress *p = vp;
	double el = progress_now() - p->start, rate, frac;
	char bar[31];
	int i, n;

	if (!p->enabled || !total)
		return;
	frac = (double)done / (double)total;
	n = (int)(frac * 30);
	for (i = 0; i < 30; i++)
		bar[i] = i < n ? '#' : '.';
	bar[30] = '\0';
	rate = el > 0 ? (double)done / el : 0;
	if (p->trials)
		fprintf(stderr, "\r[%s] %3.0f%% %llu/%llu %s, %.3g trials/s, %.0f s left ",
			bar, 100 * frac, (unsigned long long)done, (unsigned long long)total,
			p->what, el > 0 ? (double)p->trials / el : 0.0,
			rate > 0 ? (double)(total - done) / rate : 0.0);
	else
		fprintf(stderr, "\r[%s] %3.0f%% %llu/%llu %s, %.3g %s/s, %.0f s left ",
			bar, 100 * frac, (unsigned long long)done, (unsigned long long)total,
			p->what, rate, p->what, rate > 0 ? (double)(total - done) / rate : 0.0);
	fflush(stderr);
	p->shown = 1;
}

void progress_done(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}

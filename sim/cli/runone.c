/* runone.c - one scenario's trials, for run and report. */
#include "cli/runone.h"

#include <string.h>
#include <unistd.h>

#include "engine/cluster.h"
#include "core/gslerr.h"
#include "engine/progress.h"
#include "engine/sigstop.h"
#include "cli/usage.h"

int runone(struct run_info *ri, struct tally *t, struct figure *fig,
	   const struct precision *prec, int threads, int quiet, int spread)
{
	const struct scenario *s = ri->sc;
	struct progress pr;
	struct engine_run r = { .s = &s, .m = 1, .count = s->trials, .prec = *prec,
				.threads = threads, .spread = spread, .progress = progress_show,
				.ctx = &pr };
	double t0;
	int k;

	memset(t, 0, sizeof(*t));
	if (engine_tally(t, s) < 0) {
		error("out of memory");
		return EXIT_RUNTIME;
	}
	progress_init(&pr, !quiet && isatty(STDERR_FILENO) && cluster_rank() == 0, "trials");
	t0 = progress_now();
	r.stop = sigstop_install();
	k = engine_run(&r, t, NULL);
	progress_done(&pr);
	if (k < 0) {
		error("out of memory while running trials");
		return EXIT_RUNTIME;
	}
	if (k > 0) {
		error("interrupted; nothing written");
		return sigstop_status((int)*r.stop);
	}
	if (sim_gsl_failed())
		return EXIT_RUNTIME;
	summary_compute(s->layout, t, s->dt, fig);
	ri->t = t;
	ri->fig = fig;
	ri->threads = threads;
	ri->seconds = progress_now() - t0;
	return EXIT_OK;
}

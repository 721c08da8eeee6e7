/* one.c - one fuzzing input through config loading, --set overrides,
 * checking and a few trials of any scenario it accepts, within a time
 * budget. Used by the libFuzzer harness (fuzz_config.c) and by the replay
 * of past crashes in the test suite (tests/test_fuzz_replay.c). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "models/model.h"
#include "core/cfg.h"
#include "engine/scenario.h"

/* Each input's trials get this long, then the stop flag is set: the
 * model reads it every few hundred steps, so a config of 10^7 steps (or
 * seconds of table building) ends on time, and only a loop that never
 * reads it (a hang) outlives it, to be found by libFuzzer's -timeout. */
#define BUDGET_NS 20000000L

struct watchdog {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int done;
	volatile sig_atomic_t stop;
};

static void *watch(void *arg)
{
	struct watchdog *w = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += BUDGET_NS;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->mu);
	while (!w->done)
		if (pthread_cond_timedwait(&w->cv, &w->mu, &until) == ETIMEDOUT) {
			w->stop = 1;
			break;
		}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Runs a batch of trials of S, stopped after BUDGET_NS. */
static void run_some(const struct scenario *s)
{
	struct watchdog wd = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
	unsigned char *rec = malloc(64 * s->layout->record_size + 1);
	pthread_t th;
	void *w;

	if (!rec || pthread_create(&th, NULL, watch, &wd) != 0) {
		free(rec);
		return;
	}
	w = s->model->work_alloc(s->instance, s->rng, &wd.stop);
	if (w) {
		s->model->trials(s->instance, w, s->seed, 0, 64, rec, &wd.stop);
		s->model->work_free(w);
	}
	pthread_mutex_lock(&wd.mu);
	wd.done = 1;
	pthread_cond_signal(&wd.cv);
	pthread_mutex_unlock(&wd.mu);
	pthread_join(th, NULL);
	free(rec);
}

/* The input is a config; its lines starting "#set " are also applied as
 * --set overrides, in order. Never fails: every outcome is a valid one,
 * and a crash or sanitizer report is the finding. */
int fuzz_one(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *p, line[512];
	struct cfg c;
	struct scenario s;
	struct diag d;
	int idx = 1;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (cfg_load_string(&c, "fuzz.cfg", text) == 0) {
		d.cfg = &c;
		d.out = NULL;
		d.errors = 0;
		for (p = strstr(text, "#set "); p; p = strstr(p + 1, "#set ")) {
			size_t n = strcspn(p + 5, "\n");

			if (n >= sizeof(line))
				n = sizeof(line) - 1;
			memcpy(line, p + 5, n);
			line[n] = '\0';
			cfg_set(&c, line, idx++, &d);
		}
		if (!d.errors && scenario_load(&s, &c, NULL, NULL) == 0) {
			run_some(&s);
			scenario_release(&s);
		}
	}
	cfg_release(&c);
	free(text);
	return 0;
}

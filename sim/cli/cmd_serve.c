/* cmd_serve.c - "sim serve": a page for the classroom, served on this
 * machine (sim/cli/serve*.c, docs/serve.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <microhttpd.h>

#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "cli/serve.h"
#include "cli/usage.h"
#include "engine/sigstop.h"

static const char usage_text[] =
	"usage: sim serve [CONFIG] [--listen ADDR:PORT] [--class] [-n N] [-s SEED]\n"
	"                 [--set PATH=VALUE]... [options]\n\n"
	"Serves a page where the scenario's keys are controls: moving one reruns\n"
	"the scenario on the same random numbers (the same seed) and redraws the\n"
	"survival curve and the outcomes, with the previous result as a faint\n"
	"line and the paired difference of p_deterred. The page tells one trial's\n"
	"history, saves designs side by side and downloads a design as a config\n"
	"'sim run' accepts. With --class, students join with a short code and a\n"
	"name and submit a design and a prediction of p_deterred; the teacher's\n"
	"page (its address, with a token, printed here) runs them all and\n"
	"reveals who predicted best. Ctrl-C stops the server. See docs/serve.md.\n\n"
	"  --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; 0.0.0.0:8080\n"
	"                      for a classroom network)\n"
	"  --class             class mode: a join code on every request\n"
	"  -n, --trials N      trials of a run (default 10000)\n"
	"      --max-trials N  most trials a page may ask for (default 200000)\n"
	"  -s, --seed S        seed (overrides scenario.seed)\n"
	"  -j, --threads N     threads of a run (default: all cores)\n"
	"      --set PATH=VALUE  override a config value of the scenario served\n"
	"      --runs N        runs at once (default 2); more wait a second, then 503\n"
	"      --run-seconds S a run is stopped after S seconds (default 10)\n"
	"      --rate R        requests a second per client address (default 20;\n"
	"                      bursts of 2R)\n"
	"  -h, --help          show this help\n\n"
	"Exit codes: 0 stopped by Ctrl-C, 1 cannot listen, 2 bad config or usage.\n";

struct serve_args {
	char addr[64];
	int port, class_mode;
	double max_trials, runs, seconds, rate;
};

static int serve_option(void *ctx, int c, const char *arg)
{
	struct serve_args *a = ctx;
	const char *colon;
	double port;

	switch (c) {
	case 'L':
		colon = strrchr(arg, ':');
		if (!colon || colon == arg || (size_t)(colon - arg) >= sizeof(a->addr) ||
		    cliopt_number("serve", "--listen", colon + 1, 1, 65535, 1, &port))
			return usage_error("serve", "--listen: expected ADDR:PORT, got '%s'", arg);
		memcpy(a->addr, arg, (size_t)(colon - arg));
		a->addr[colon - arg] = 0;
		a->port = (int)port;
		return 0;
	case 'C':
		a->class_mode = 1;
		return 0;
	case 2001:
		return cliopt_number("serve", "--max-trials", arg, 1, 1e7, 1, &a->max_trials);
	case 'R':
		return cliopt_number("serve", "--runs", arg, 1, 64, 1, &a->runs);
	case 'T':
		return cliopt_number("serve", "--run-seconds", arg, 0.01, 3600, 0, &a->seconds);
	case 'Q':
		return cliopt_number("serve", "--rate", arg, 0.1, 100000, 0, &a->rate);
	}
	return EXIT_USAGE;
}

/* Loads the scenario served into SV: its config as resolved text, its
 * names and its controls. Returns 0, or EXIT_USAGE after the errors. */
static int serve_setup(struct serve *sv, const char *path, const struct cliopt *o)
{
	struct cfg c;
	struct scenario sc;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	long n;

	if (scenario_open(&sc, &c, path, o->sets, o->nsets, NULL, o->seed_p) < 0) {
		cfg_release(&c);
		return EXIT_USAGE;
	}
	sv->seed = sc.seed;
	sv->scenario = strdup(sc.name);
	sv->model = strdup(sc.model->name);
	sv->cfg_name = path ? path : "default.cfg";
	sv->keys[0] = (struct model_key){ strdup("scenario.horizon_years"), 0, 100, CFG_LO_OPEN,
					  sc.horizon, 0, "years simulated" };
	n = sc.model->keys ? sc.model->keys(sc.instance, sv->keys + 1, SERVE_MAX_KEYS - 1) : 0;
	sv->nkeys = n < 0 ? 0 : 1 + (n < SERVE_MAX_KEYS - 1 ? n : SERVE_MAX_KEYS - 1);
	mem = open_memstream(&buf, &len);
	if (!mem || cfg_write(mem, &c.lc) < 0 || fclose(mem) != 0 || n < 0 || !sv->scenario ||
	    !sv->model || !sv->keys[0].path) {
		scenario_release(&sc);
		cfg_release(&c);
		free(buf);
		error("out of memory");
		return EXIT_RUNTIME;
	}
	sv->base = buf;
	scenario_release(&sc);
	cfg_release(&c);
	return 0;
}

/* Stops runs past their deadline, and every run once STOP is set. */
static void watch(struct serve *sv)
{
	double now = serve_now();
	int i;

	pthread_mutex_lock(&sv->lock);
	for (i = 0; i < SERVE_MAX_JOBS; i++)
		if (sv->jobs[i].used && (now > sv->jobs[i].deadline || *sv->stop))
			sv->jobs[i].stop = 1;
	pthread_mutex_unlock(&sv->lock);
}

static void serve_free(struct serve *sv)
{
	long i;

	for (i = 0; i < sv->nkeys; i++)
		free(sv->keys[i].path);
	free(sv->base);
	free(sv->scenario);
	free(sv->model);
	pthread_mutex_destroy(&sv->lock);
	pthread_cond_destroy(&sv->freed);
	free(sv);
}

int cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'L' },
		{ "class", no_argument, NULL, 'C' },
		{ "max-trials", required_argument, NULL, 2001 },
		{ "runs", required_argument, NULL, 'R' },
		{ "run-seconds", required_argument, NULL, 'T' },
		{ "rate", required_argument, NULL, 'Q' },
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_SET,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct serve_args a = { "127.0.0.1", 8080, 0, 200000, 2, 10, 20 };
	struct cliopt o;
	struct serve *sv;
	struct MHD_Daemon *d;
	struct timespec tick = { 0, 50000000 };
	int ret;

	cliopt_init(&o);
	ret = cliopt_parse(&o, argc, argv, "hn:s:j:", opts, "serve", usage_text, serve_option, &a);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (optind < argc - 1)
		return usage_error("serve", "more than one CONFIG given ('%s')", argv[optind + 1]);
	if (o.trials_p && o.trials > (uint64_t)a.max_trials)
		return usage_error("serve", "-n: more than --max-trials (%g)", a.max_trials);
	if (!(sv = calloc(1, sizeof(*sv))))
		return error("out of memory"), EXIT_RUNTIME;
	pthread_mutex_init(&sv->lock, NULL);
	pthread_cond_init(&sv->freed, NULL);
	sv->lim = (struct serve_limits){ o.trials_p ? o.trials : 10000, (uint64_t)a.max_trials,
					 a.seconds, (int)a.runs, a.rate, o.threads };
	sv->class_mode = a.class_mode;
	if ((ret = serve_setup(sv, optind < argc ? argv[optind] : NULL, &o))) {
		serve_free(sv);
		return ret;
	}
	if (serve_random(sv->code, 6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789") < 0 ||
	    serve_random(sv->token, 24, "abcdefghijkmnpqrstuvwxyz23456789") < 0) {
		serve_free(sv);
		return error("no random numbers from the system for the join code"), EXIT_RUNTIME;
	}
	sv->stop = sigstop_install();
	if (!(d = serve_http_start(sv, a.addr, a.port))) {
		serve_free(sv);
		return EXIT_RUNTIME;
	}
	printf("sim serve: '%s' (model %s, %llu trials a run, seed %llu) on http://%s:%d/\n",
	       sv->scenario, sv->model, (unsigned long long)sv->lim.trials,
	       (unsigned long long)sv->seed, a.addr, a.port);
	if (sv->class_mode)
		printf("class mode: join code %s\nteacher's page: http://%s:%d/?code=%s&teacher=%s\n",
		       sv->code, a.addr, a.port, sv->code, sv->token);
	printf("Ctrl-C stops it.\n");
	fflush(stdout);
	while (!*sv->stop) {
		nanosleep(&tick, NULL);
		watch(sv);
	}
	watch(sv);
	MHD_stop_daemon(d);
	printf("sim serve: stopped after %ld requests (%ld refused or failed)\n", sv->requests,
	       sv->errors);
	serve_free(sv);
	return cliopt_flush() ? EXIT_RUNTIME : EXIT_OK;
}

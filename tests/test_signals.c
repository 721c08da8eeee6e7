/* test_signals.c - every command stops within about a second of SIGINT,
 * whatever the config: in the middle of one trial of 10^7 steps, while a
 * run's tables for 12 guarantors are being built (seconds of work), in a
 * comparison and in a sweep; it then exits with 130 and writes nothing
 * half-done. Each child runs under the test's own deadline. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "testutil.h"

/* How long a stop may take: a second, and some slack for a loaded machine;
 * twice that under AddressSanitizer (the 'make sanitize' binary), where
 * laying out a scenario of 10^7 steps, which a sweep's point does before
 * it can look at the stop flag, takes three times as long. */
#define STOP_LIMIT 1.5

static double stop_limit(void)
{
	const char *sim = getenv("GSIM_SIM");

	return sim && strstr(sim, "build-san") ? 2 * STOP_LIMIT : STOP_LIMIT;
}

/* One trial of 10^7 steps; tables are quick (one guarantor). */
static const char long1[] =
	"scenario = { name = \"long\"; horizon_years = 10.0; steps_per_year = 1000000; };\n"
	"challenger = { forces = 100.0; war_cost = 5.0; max_hazard = 0.0001; temperature = 0.1; };\n"
	"target = { troops = 100.0; };\n"
	"guarantors = ( { name = \"a\"; interest = 0.5; guarantee = { strength = 0.9; }; } );\n";

/* Writes a config of 12 guarantors and 10^7 steps to PATH: building its
 * honour tables takes seconds. */
static void write_long12(const char *path)
{
	FILE *f = fopen(path, "w");
	int g;

	assert_non_null(f);
	fputs("scenario = { name = \"long12\"; horizon_years = 10.0; steps_per_year = 1000000; };\n"
	      "challenger = { forces = 100.0; war_cost = 5.0; max_hazard = 0.0001; temperature = 0.1; };\n"
	      "target = { troops = 100.0; };\nguarantors = (\n", f);
	for (g = 0; g < 12; g++)
		fprintf(f, "%s{ name = \"g%d\"; interest = 0.5; forces = 10.0; guarantee = "
			"{ strength = 0.9; }; election_interval = 4.0; turnover_prob = 0.5; "
			"election_shock = 0.1; }\n", g ? ", " : "  ", g);
	fputs(");\n", f);
	assert_int_equal(fclose(f), 0);
}

/* Starts ARGV, sends SIGINT after AFTER seconds, and checks that it exits
 * with 130 within STOP_LIMIT seconds. */
static void stop_within(const char *tmp, char *const argv[], double after)
{
	char errpath[512];
	double t0, took;
	pid_t pid;
	int st;

	snprintf(errpath, sizeof(errpath), "%s/stderr", tmp);
	pid = start(argv, errpath);
	sleep_ms((int)(after * 1000));
	if (wait_child(pid, 0, &st))
		fail_msg("%s ended (status 0x%x) before the signal", cmdline(argv), st);
	t0 = now();
	assert_int_equal(kill(pid, SIGINT), 0);
	if (!wait_child(pid, 30, &st)) {
		kill_child(pid);
		fail_msg("%s: still running 30 s after SIGINT", cmdline(argv));
	}
	took = now() - t0;
	printf("[          ] %s: stopped %.3f s after SIGINT\n", argv[1], took);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 130)
		fail_msg("%s: status 0x%x after SIGINT, expected exit 130", cmdline(argv), st);
	if (took > stop_limit())
		fail_msg("%s: took %.2f s to stop after SIGINT, more than %.1f s", cmdline(argv),
			 took, stop_limit());
}

static void test_stop_in_long_trials(void **state)
{
	const char *tmp = *state;
	char cfg[512], cfg12[512], out[512];
	FILE *f;

	snprintf(cfg, sizeof(cfg), "%s/long.cfg", tmp);
	f = fopen(cfg, "w");
	assert_non_null(f);
	fputs(long1, f);
	assert_int_equal(fclose(f), 0);
	snprintf(cfg12, sizeof(cfg12), "%s/long12.cfg", tmp);
	write_long12(cfg12);
	snprintf(out, sizeof(out), "%s/out", tmp);

	/* Inside trials of 10^7 steps (a block of them took over 20 s). */
	stop_within(tmp, (char *const[]){ SIM, "run", cfg, "-q", "-j", "2", NULL }, 1.0);
	/* While the tables of 12 guarantors are built (about 8 s of work). */
	stop_within(tmp, (char *const[]){ SIM, "run", cfg12, "-q", "-j", "2", NULL }, 1.0);
	stop_within(tmp, (char *const[]){ SIM, "compare", cfg12, cfg, "-q", NULL }, 1.0);
	stop_within(tmp, (char *const[]){ SIM, "sweep", cfg, "-q", "-o", out, "--vary",
					  "guarantors.[0].guarantee.strength=0.5,0.6", NULL }, 1.0);
	if (exists(out) && !exists(strcat(out, "/sweep.tsv.partial")))
		fail_msg("an interrupted sweep left no partial file");
	/* While a sweep still checks its points (before a handler was installed
	 * this killed it by the signal: status 0x2). */
	snprintf(out, sizeof(out), "%s/out2", tmp);
	stop_within(tmp, (char *const[]){ SIM, "sweep", cfg, "-q", "-o", out, "--vary",
					  "guarantors.[0].guarantee.strength=0.5,0.6", NULL }, 0.05);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stop_in_long_trials, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

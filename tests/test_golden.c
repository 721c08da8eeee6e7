/* test_golden.c - the outputs of a fixed set of commands on the commitment
 * model stay what they were: every file they write (summary.json, the
 * .tsv files, config.cfg, report.md) and what they print (the table, the
 * JSON, a trace) equals its copy in tests/golden/outputs/, byte for byte,
 * apart from lines that name files, versions, hosts, commands or times (see
 * ignored()).
 *
 * This pins behaviour across refactors: a change to the engine, the model
 * interface or the writers that alters one figure or one byte of layout
 * fails here, with the first differing line. After an intended change,
 * GSIM_GOLDEN_UPDATE=1 rewrites the copies (then review the diff). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#define GOLDEN "tests/golden/outputs"
#define STRENGTH "guarantors.[0].guarantee.strength"

/* One case: a command whose stdout (when KEEP_OUT) and whose files in its
 * output directory (-o, appended when OUTDIR) are compared. */
struct golden_case {
	const char *name;
	int outdir, keep_out;
	const char *argv[40];
};

static const struct golden_case cases[] = {
	{ "run-default", 1, 1, { "run", "-n", "5000", "-q", NULL } },
	{ "run-bench", 1, 1, { "run", "configs/bench.cfg", "-n", "3000", "-s", "7", "-q", NULL } },
	{ "run-json", 0, 1, { "run", "configs/ukraine-28-point.cfg", "-n", "3000", "--json", "-q",
			     NULL } },
	{ "run-precision", 1, 0, { "run", "-n", "1000", "--precision", "0.01", "-q", NULL } },
	{ "run-uncertain", 1, 1, { "run", "tests/configs/stats_uncertain.cfg", "-n", "4000", "-q",
				  NULL } },
	{ "sweep", 1, 0, { "sweep", "-n", "1000", "-q", "--vary", STRENGTH "=0:1:3", "--vary",
			  "target.troop_cap=400000,800000", NULL } },
	{ "sweep-independent", 1, 0, { "sweep", "configs/ukraine-28-point.cfg", "-n", "800", "-q",
				      "--independent", "--vary", STRENGTH "=0.2,0.8", NULL } },
	{ "sample", 1, 0, { "sample", "-n", "800", "-q", "--lhs", "5", "--range", STRENGTH "=0:1",
			   "--range", "challenger.war_cost=0.2:0.6", NULL } },
	{ "sensitivity", 1, 0, { "sensitivity", "-n", "300", "-q", "--base-samples", "8",
				"--replicates", "4", "--range", STRENGTH "=0:1", "--range",
				"challenger.war_cost=0.2:0.6", NULL } },
	{ "compare", 1, 1, { "compare", "configs/ukraine-19-point.cfg", "configs/ukraine-28-point.cfg",
			    "configs/ukraine-no-guarantee.cfg", "-n", "2000", "-q", NULL } },
	{ "trace-default", 0, 1, { "trace", "--trial", "5", NULL } },
	{ "trace-bench-tsv", 0, 1, { "trace", "configs/bench.cfg", "--trial", "11", "--tsv", NULL } },
	{ "backtest", 1, 1, { "backtest", "-n", "500", "-q", NULL } },
	{ "report", 1, 1, { "report", "configs/bench.cfg", "-n", "2000", "-q", NULL } },
};

/* Lines that may differ between builds and runs: the timing line of the
 * table, the program's version, the paths of configs and directories. */
static int ignored(const char *line, size_t n)
{
	static const char *const prefixes[] = {
		"time ", "# gsim ", "# run: ", "# config: ", "# from: ", "config    ",
		"# The resolved config of", "sweep: ", "sample: ", "sensitivity: ", "compare: ",
		"wrote ", NULL
	};
	/* The members of a JSON provenance that name the build and the run. */
	static const char *const members[] = {
		"\"gsim\": \"", "\"commit\": \"", "\"libraries\": \"", "\"date\": \"",
		"\"host\": \"", "\"command\": \"", "\"config\": \"", NULL
	};
	size_t sp = strspn(line, " ");
	int i;

	for (i = 0; prefixes[i]; i++)
		if (n >= strlen(prefixes[i]) && !strncmp(line, prefixes[i], strlen(prefixes[i])))
			return 1;
	for (i = 0; members[i]; i++)
		if (n - sp >= strlen(members[i]) && !strncmp(line + sp, members[i], strlen(members[i])))
			return 1;
	return memmem(line, n, "gsim 0.", 6) != NULL || memmem(line, n, "/tmp/", 5) != NULL;
}

/* TEXT without its ignored lines (a new string). */
static char *kept(const char *text)
{
	struct buf b = { NULL, 0, 0 };
	const char *p = text, *e;

	buf_add(&b, "", 0);
	for (; *p; p = e) {
		e = strchr(p, '\n');
		e = e ? e + 1 : p + strlen(p);
		if (!ignored(p, (size_t)(e - p)))
			buf_add(&b, p, (size_t)(e - p));
	}
	return b.p;
}

/* Compares TEXT (as produced) with the golden file PATH, or writes it
 * there when updating. */
static void compare_one(const char *what, const char *path, const char *text, int update)
{
	char *want, *got = kept(text);
	const char *a, *b;
	int line = 1;

	if (update) {
		put_file(path, text);
		free(got);
		return;
	}
	want = slurp(path, NULL);
	if (!want) {
		check(0, "%s: no golden copy %s (GSIM_GOLDEN_UPDATE=1 writes it)", what, path);
		free(got);
		return;
	}
	{
		char *w = kept(want);

		free(want);
		want = w;
	}
	for (a = got, b = want; *a && *a == *b; a++, b++)
		line += *a == '\n';
	if (*a || *b) {
		const char *la = a, *lb = b;

		while (la > got && la[-1] != '\n')
			la--;
		while (lb > want && lb[-1] != '\n')
			lb--;
		check(0, "%s differs from %s at kept line %d:\n  observed: %.*s\n  expected: %.*s",
		      what, path, line, (int)strcspn(la, "\n"), la, (int)strcspn(lb, "\n"), lb);
	}
	free(got);
	free(want);
}

/* Compares every file under DIR (recursively, names sorted) with the
 * golden directory GDIR. */
static void compare_dir(const char *name, const char *dir, const char *gdir, int update)
{
	char *names = list_dir(dir), *line, *save, path[1024], gpath[1024];
	struct stat st;

	assert_non_null(names);
	if (update)
		mkdir(gdir, 0777);
	for (line = strtok_r(names, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		snprintf(gpath, sizeof(gpath), "%s/%s", gdir, line);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			compare_dir(name, path, gpath, update);
			continue;
		}
		/* Charts and HTML are checked elsewhere; their bytes depend on
		 * gnuplot's version. */
		if (strstr(line, ".png") || strstr(line, ".svg") || strstr(line, ".html"))
			continue;
		{
			char *text = slurp(path, NULL), what[1200];

			assert_non_null(text);
			snprintf(what, sizeof(what), "%s: %s", name, line);
			compare_one(what, gpath, text, update);
			free(text);
		}
	}
	free(names);
}

static void run_case(const struct golden_case *c, const char *tmp, int update)
{
	char *argv[48], out[512], gdir[512], gpath[600];
	struct result r;
	int n = 0, i;

	argv[n++] = SIM;
	for (i = 0; c->argv[i]; i++)
		argv[n++] = (char *)c->argv[i];
	snprintf(out, sizeof(out), "%s/%s", tmp, c->name);
	if (c->outdir) {
		argv[n++] = "-o";
		argv[n++] = out;
	}
	argv[n++] = "-j";
	argv[n++] = "2";
	argv[n] = NULL;
	if (!strcmp(c->argv[0], "trace"))
		argv[n - 2] = NULL;	/* trace runs one trial, on one thread */
	run(argv, &r);
	if (r.timed_out || r.status != 0) {
		check(0, "%s: exit %d, expected 0\n%s", cmdline(argv), r.status, text(&r.err));
		result_free(&r);
		return;
	}
	snprintf(gdir, sizeof(gdir), "%s/%s", GOLDEN, c->name);
	if (update)
		mkdir(gdir, 0777);
	if (c->keep_out) {
		snprintf(gpath, sizeof(gpath), "%s/stdout", gdir);
		compare_one(c->name, gpath, text(&r.out), update);
	}
	if (c->outdir)
		compare_dir(c->name, out, gdir, update);
	result_free(&r);
}

static void test_golden(void **state)
{
	const char *tmp = *state, *u = getenv("GSIM_GOLDEN_UPDATE");
	int update = u && !strcmp(u, "1");
	size_t i;

	failures = 0;
	if (update)
		mkdir(GOLDEN, 0777);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i], tmp, update);
	printf("[          ] %zu cases %s\n", sizeof(cases) / sizeof(cases[0]),
	       update ? "written to " GOLDEN : "compared with " GOLDEN);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_golden, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

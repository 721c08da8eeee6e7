/* test_cli.c - the command line of ./bin/sim, run as a child process from
 * the top directory of the repository (as 'make check' does).
 *
 * test_bad_configs runs every case of tests/bad/: for a case NAME with
 * NAME.err, the command is
 *     ./bin/sim run tests/bad/NAME.cfg -q -o OUTDIR ARGS...
 * where ARGS are the lines of NAME.args (if present) and OUTDIR a fresh
 * path that does not exist. The case passes when sim exits with 2, prints
 * nothing on stdout, prints exactly NAME.err on stderr and leaves OUTDIR
 * uncreated. NAME.cfg may be missing (or a directory) on purpose. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "testutil.h"

#define BAD_DIR "tests/bad"

/* ---------------------------------------------------------------- */
/* Helpers */

/* Whether some line of S starts with PREFIX. */
static int has_line(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	for (;;) {
		if (!strncmp(s, prefix, n))
			return 1;
		s = strchr(s, '\n');
		if (!s)
			return 0;
		s++;
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---------------------------------------------------------------- */
/* The catalogue of bad configs */

/* Runs case NAME; on failure appends a report to REPORT and returns 0. */
static int bad_case(const char *name, struct buf *report)
{
	char path[1024], tmp[256], outdir[300], line[4096];
	char *argv[64], *expected, *args[56];
	int argc = 0, nargs = 0, ok = 1, outdir_made;
	struct result r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.err", BAD_DIR, name);
	expected = slurp(path, NULL);
	if (!expected) {
		snprintf(line, sizeof(line), "\n[%s] cannot read %s\n", name, path);
		buf_add(report, line, strlen(line));
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s.args", BAD_DIR, name);
	f = fopen(path, "r");
	if (f) {
		while (nargs < 56 && fgets(line, sizeof(line), f)) {
			size_t n = strlen(line);

			if (n && line[n - 1] == '\n')
				line[--n] = '\0';
			args[nargs++] = strdup(line);
		}
		fclose(f);
	}
	make_tmp(tmp, sizeof(tmp));
	snprintf(outdir, sizeof(outdir), "%s/out", tmp);
	snprintf(path, sizeof(path), "%s/%s.cfg", BAD_DIR, name);
	argv[argc++] = (char *)SIM;
	argv[argc++] = (char *)"run";
	argv[argc++] = path;
	argv[argc++] = (char *)"-q";
	argv[argc++] = (char *)"-o";
	argv[argc++] = outdir;
	for (int i = 0; i < nargs; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;

	run(argv, &r);
	outdir_made = exists(outdir);
	if (r.timed_out || r.status != 2 || strcmp(text(&r.err), expected) ||
	    r.out.n || outdir_made) {
		struct buf cmd = { NULL, 0, 0 };

		ok = 0;
		for (int i = 0; i < argc; i++) {
			buf_add(&cmd, " ", i ? 1 : 0);
			buf_add(&cmd, argv[i], strlen(argv[i]));
		}
		snprintf(line, sizeof(line), "\n[%s] %s\n", name, cmd.p);
		buf_add(report, line, strlen(line));
		free(cmd.p);
		if (r.timed_out) {
			snprintf(line, sizeof(line), "  timed out after %d s\n", TIMEOUT_SECONDS);
			buf_add(report, line, strlen(line));
		}
		snprintf(line, sizeof(line), "  exit code: expected 2, got %d%s\n", r.status,
			 r.status == 2 ? "" : "   <-- WRONG");
		buf_add(report, line, strlen(line));
		if (strcmp(text(&r.err), expected)) {
			buf_add(report, "  stderr expected:\n", 19);
			buf_add(report, expected, strlen(expected));
			buf_add(report, "  stderr observed:\n", 19);
			buf_add(report, text(&r.err), r.err.n);
			if (r.err.n && r.err.p[r.err.n - 1] != '\n')
				buf_add(report, "  (no newline at end)\n", 22);
		}
		if (r.out.n) {
			snprintf(line, sizeof(line), "  stdout should be empty, got %zu bytes:\n",
				 r.out.n);
			buf_add(report, line, strlen(line));
			buf_add(report, r.out.p, r.out.n > 400 ? 400 : r.out.n);
			buf_add(report, "\n", 1);
		}
		if (outdir_made)
			buf_add(report, "  the output directory was created\n", 35);
	}
	remove_tree(tmp);
	result_free(&r);
	for (int i = 0; i < nargs; i++)
		free(args[i]);
	free(expected);
	return ok;
}

static void test_bad_configs(void **state)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *e;
	char *names[512];
	int n = 0, failed = 0;
	struct buf report = { NULL, 0, 0 };

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len > 4 && !strcmp(e->d_name + len - 4, ".err") && n < 512)
			names[n++] = strndup(e->d_name, len - 4);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	assert_true(n >= 25);
	buf_add(&report, "", 0);
	for (int i = 0; i < n; i++) {
		if (!bad_case(names[i], &report))
			failed++;
		free(names[i]);
	}
	if (failed) {
		print_error("%s\n", report.p);
		free(report.p);
		fail_msg("%d of %d cases in " BAD_DIR "/ failed (details above)", failed, n);
	}
	printf("[          ] %d cases in " BAD_DIR "/ passed\n", n);
	free(report.p);
}

/* ---------------------------------------------------------------- */
/* Commands */

static void test_version(void **state)
{
	struct result r;

	(void)state;
	sim(&r, "--version", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(text(&r.out), "sim"));
	assert_non_null(strpbrk(text(&r.out), "0123456789"));
	result_free(&r);
}

static void test_help(void **state)
{
	static const char *const cases[][3] = {
		{ "help", NULL, NULL },
		{ "--help", NULL, NULL },
		{ "run", "--help", NULL },
		{ "check", "--help", NULL },
		{ "models", "--help", NULL },
		{ "help", "run", NULL },
		{ "help", "--help", NULL },
		{ "help", "help", NULL },
		{ "discover", "--help", NULL },
		{ "robust", "--help", NULL },
		{ "screen", "--help", NULL },
		{ "calibrate", "--help", NULL },
	};
	struct result r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim(&r, cases[i][0], cases[i][1], NULL);
		if (r.status != 0 || !has_line(text(&r.out), "usage:"))
			fail_msg("sim %s%s%s: exit %d (expected 0), stdout:\n%s\nstderr:\n%s",
				 cases[i][0], cases[i][1] ? " " : "",
				 cases[i][1] ? cases[i][1] : "", r.status, text(&r.out),
				 text(&r.err));
		result_free(&r);
	}
}

static void test_models(void **state)
{
	struct result r;

	(void)state;
	sim(&r, "models", NULL);
	assert_int_equal(r.status, 0);
	if (!has_line(text(&r.out), "commitment"))
		fail_msg("'sim models' does not list commitment:\n%s", text(&r.out));
	if (!has_line(text(&r.out), "baseline"))
		fail_msg("'sim models' does not list baseline:\n%s", text(&r.out));
	/* Each model's figures, from its layout, under its line. */
	if (!has_line(text(&r.out), "  p_challenger_wins_given_attack ") ||
	    !has_line(text(&r.out), "  mean_attack_year ") ||
	    !has_line(text(&r.out), "  guarantor intervenes | attack "))
		fail_msg("'sim models' does not list the figures:\n%s", text(&r.out));
	result_free(&r);
}

/* compare sets scenarios of different models side by side on the figures
 * they share (here all of them: the crisis model keeps commitment's keys),
 * saying so once; 'sim models' lists crisis too. */
static void test_compare_models(void **state)
{
	struct result r;

	(void)state;
	sim(&r, "compare", "configs/ukraine-19-point.cfg", "configs/crisis-ukraine-19-point.cfg",
	    "-n", "200", "-q", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(text(&r.err),
			    "sim: warning: [2] runs model crisis and [1] model commitment: "
			    "compared on the 8 figures they share\n");
	if (!strstr(text(&r.out), "p_challenger_wins_given_attack"))
		fail_msg("compare lists no figure:\n%s", text(&r.out));
	result_free(&r);
	sim(&r, "models", NULL);
	if (!has_line(text(&r.out), "crisis"))
		fail_msg("'sim models' does not list crisis:\n%s", text(&r.out));
	result_free(&r);
}

static void test_usage_errors(void **state)
{
	struct result r;

	(void)state;
	sim(&r, "frobnicate", NULL);
	assert_int_equal(r.status, 2);
	assert_true(r.err.n > 0);
	result_free(&r);

	sim(&r, "run", "--frobnicate", NULL);
	assert_int_equal(r.status, 2);
	assert_true(r.err.n > 0);
	assert_int_equal(r.out.n, 0);
	result_free(&r);

	sim(&r, NULL);
	assert_int_equal(r.status, 2);
	result_free(&r);
}

static void test_check(void **state)
{
	struct result r;

	(void)state;
	sim(&r, "check", "configs/default.cfg", NULL);
	if (r.status != 0)
		fail_msg("sim check configs/default.cfg: exit %d\n%s", r.status, text(&r.err));
	assert_int_equal(r.err.n, 0);
	result_free(&r);

	sim(&r, "check", BAD_DIR "/negative_troops.cfg", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(text(&r.err), "target.troops"));
	assert_int_equal(r.out.n, 0);
	result_free(&r);

	/* Without a CONFIG, check validates the embedded default. */
	sim(&r, "check", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(text(&r.out), "(default): ok"));
	result_free(&r);

	sim(&r, "check", "a.cfg", "b.cfg", NULL);
	assert_int_equal(r.status, 2);
	result_free(&r);

	/* A config without scenario.rng takes $GSL_RNG_TYPE, whose errors
	 * are the program's, not the config's. */
	setenv("GSL_RNG_TYPE", "bogus", 1);
	sim(&r, "check", NULL);
	unsetenv("GSL_RNG_TYPE");
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "sim: error: GSL_RNG_TYPE: unknown or unsupported "
			    "generator 'bogus' (supported: taus2, taus, taus113, mt19937, mrg, "
			    "cmrg)\n");
	assert_int_equal(r.out.n, 0);
	result_free(&r);
}

/* Checks the provenance header of a TSV file written by 'sim run -o'. */
static void check_tsv_header(const char *path)
{
	char *s = slurp(path, NULL);
	static const char *const keys[] = { "# seed:", "# trials:", "# rng:", "# config:" };

	if (!s)
		fail_msg("cannot read %s", path);
	if (s[0] != '#')
		fail_msg("%s does not start with a '#' line", path);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		/* Only the leading block of '#' lines counts. */
		const char *p = s;
		int found = 0;

		while (*p == '#') {
			if (!strncmp(p, keys[i], strlen(keys[i])))
				found = 1;
			p = strchr(p, '\n');
			if (!p)
				break;
			p++;
		}
		if (!found)
			fail_msg("%s: no '%s' line in its header", path, keys[i]);
	}
	if (!strstr(s, "# trials: 2000\n"))
		fail_msg("%s: expected '# trials: 2000'", path);
	free(s);
}

/* Drops the "# config: ..." line of S (in place). */
static void drop_config_line(char *s)
{
	char *p = s, *end;

	while (p && *p) {
		if (!strncmp(p, "# config:", 9)) {
			end = strchr(p, '\n');
			if (end)
				memmove(p, end + 1, strlen(end + 1) + 1);
			else
				*p = '\0';
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

static void test_run_output_dir(void **state)
{
	static const char *const expect[] = {
		"config.cfg", "outcomes.tsv", "summary.json", "survival.tsv"
	};
	const char *tmp = *state;
	char dir[300], dir2[300], path[400], cfg[400];
	const char *names[16];
	struct result r;
	DIR *d;
	struct dirent *e;
	size_t n = 0;
	char *a, *b;

	snprintf(dir, sizeof(dir), "%s/run1", tmp);
	snprintf(dir2, sizeof(dir2), "%s/run2", tmp);

	sim(&r, "run", "-n", "2000", "-q", "-o", dir, NULL);
	if (r.status != 0)
		fail_msg("sim run -n 2000 -q -o %s: exit %d\n%s", dir, r.status, text(&r.err));
	assert_int_equal(r.err.n, 0);
	result_free(&r);

	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL && n < 16)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp_str);
	if (n != 4)
		fail_msg("%s holds %zu files, expected exactly the 4: config.cfg outcomes.tsv "
			 "summary.json survival.tsv", dir, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(names[i], expect[i]);
		free((char *)names[i]);
	}

	snprintf(path, sizeof(path), "%s/survival.tsv", dir);
	check_tsv_header(path);
	snprintf(path, sizeof(path), "%s/outcomes.tsv", dir);
	check_tsv_header(path);

	/* The resolved config is valid and reproduces the run. */
	snprintf(cfg, sizeof(cfg), "%s/config.cfg", dir);
	sim(&r, "check", cfg, NULL);
	if (r.status != 0)
		fail_msg("sim check %s: exit %d\n%s", cfg, r.status, text(&r.err));
	result_free(&r);

	sim(&r, "run", cfg, "-q", "-o", dir2, NULL);
	if (r.status != 0)
		fail_msg("sim run %s -q -o %s: exit %d\n%s", cfg, dir2, r.status, text(&r.err));
	result_free(&r);

	snprintf(path, sizeof(path), "%s/survival.tsv", dir);
	a = slurp(path, NULL);
	snprintf(path, sizeof(path), "%s/survival.tsv", dir2);
	b = slurp(path, NULL);
	assert_non_null(a);
	assert_non_null(b);
	if (strstr(a, "# config: (default)\n") == NULL)
		fail_msg("first survival.tsv: expected '# config: (default)'");
	snprintf(path, sizeof(path), "# config: %s\n", cfg);
	if (strstr(b, path) == NULL)
		fail_msg("second survival.tsv: expected '# config: %s'", cfg);
	drop_config_line(a);
	drop_config_line(b);
	{
		char *sa = stable(a), *sb = stable(b);

		/* The resolved config resolves to itself: the same content hash. */
		if (strcmp(sa, sb))
			fail_msg("survival.tsv of the re-run from config.cfg differs (beyond "
				 "'# config:' and '# run:'):\n%s\n---\n%s", sa, sb);
		free(sa);
		free(sb);
	}
	free(a);
	free(b);
}

/* The run line of a data file is the command line as bash takes it back:
 * run again through bash, it writes the same files (a --set with single
 * and double quotes, spaces and '#'; a config path with a tab). */
static void test_run_line(void **state)
{
	const char *tmp = *state;
	char cfg[400], dir[400], path[500], *text_, *line, *cmd, *again;
	char *argv[4] = { "/bin/bash", "-c", NULL, NULL };
	struct result r;

	snprintf(cfg, sizeof(cfg), "%s/a\tb.cfg", tmp);
	snprintf(dir, sizeof(dir), "%s/out", tmp);
	text_ = slurp("configs/ukraine-19-point.cfg", NULL);
	assert_non_null(text_);
	put_file(cfg, text_);
	free(text_);
	sim(&r, "run", cfg, "-n", "50", "-q", "-o", dir, "--set",
	    "guarantors.[0].name=O'Neil \"the #1\"", NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(path, sizeof(path), "%s/survival.tsv", dir);
	text_ = slurp(path, NULL);
	assert_non_null(text_);
	line = strstr(text_, "\n# run: ");
	assert_non_null(line);
	line = strchr(line + 1, '\n') ? strndup(line + 1, (size_t)(strchr(line + 1, '\n') - line - 1))
				    : NULL;
	assert_non_null(line);
	cmd = strstr(strstr(line, " on ") + 4, ": ");
	assert_non_null(cmd);
	argv[2] = cmd + 2;
	run(argv, &r);
	if (r.status != 0)
		fail_msg("the run line '%s' does not run again in bash: exit %d\n%s", line, r.status,
			 text(&r.err));
	result_free(&r);
	again = slurp(path, NULL);
	assert_non_null(again);
	assert_true(same_bytes("survival.tsv, run again from its run line", text_, strlen(text_),
			       again, strlen(again)));
	free(again);
	free(line);
	free(text_);
}

static void test_run_json(void **state)
{
	static const char *const keys[] = {
		"trials", "seed", "estimator", "antithetic", "p_deterred", "p_deterred_ci", "p_attack",
		"p_honored_given_attack", "p_abandoned_given_attack", "p_challenger_wins",
		"p_challenger_wins_given_attack", "mean_attack_year", "figures", "breakdowns", "run",
		"provenance"
	};
	const size_t nkeys = sizeof(keys) / sizeof(keys[0]);
	struct result r;
	json_t *j, *v;
	json_error_t je;
	const char *k;

	(void)state;
	sim(&r, "run", "-n", "2000", "-q", "--json", NULL);
	if (r.status != 0)
		fail_msg("sim run -n 2000 -q --json: exit %d\n%s", r.status, text(&r.err));
	j = json_loads(text(&r.out), 0, &je);
	if (!j)
		fail_msg("--json output does not parse: %s (line %d)\n%s", je.text, je.line,
			 text(&r.out));
	assert_true(json_is_object(j));
	for (size_t i = 0; i < nkeys; i++)
		if (!json_object_get(j, keys[i]))
			fail_msg("--json output lacks the key '%s'", keys[i]);
	json_object_foreach(j, k, v) {
		size_t i;

		for (i = 0; i < nkeys && strcmp(keys[i], k); i++)
			;
		if (i == nkeys)
			fail_msg("--json output has the unexpected key '%s'", k);
	}
	assert_int_equal(json_object_size(j), nkeys);
	assert_int_equal(json_integer_value(json_object_get(j, "trials")), 2000);
	v = json_object_get(j, "p_deterred_ci");
	assert_true(json_is_array(v) && json_array_size(v) == 2);
	/* Every figure of the table, with its interval; each guarantor's rate. */
	v = json_object_get(j, "figures");
	assert_int_equal(json_object_size(v), 8);
	assert_true(json_real_value(json_object_get(json_object_get(v, "p_deterred"), "value")) ==
		    json_real_value(json_object_get(j, "p_deterred")));
	assert_int_equal(json_array_size(json_object_get(json_object_get(v, "p_partial_given_attack"),
							 "ci")), 2);
	v = json_array_get(json_object_get(j, "breakdowns"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "title")),
			    "guarantor intervenes | attack");
	assert_int_equal(json_object_size(json_object_get(v, "guarantor")), 3);
	assert_non_null(json_object_get(json_object_get(json_object_get(v, "guarantor"),
							"United States"), "ci"));
	v = json_object_get(j, "provenance");
	{
		char want[600];

		snprintf(want, sizeof(want), "%s run -n 2000 -q --json", SIM);
		assert_string_equal(json_string_value(json_object_get(v, "command")), want);
	}
	assert_non_null(json_string_value(json_object_get(v, "commit")));
	assert_non_null(strstr(json_string_value(json_object_get(v, "libraries")), "GSL "));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "run"), "model")),
			    "crisis");
	json_decref(j);
	result_free(&r);
}

static void test_run_unwritable(void **state)
{
	struct result r;

	(void)state;
	sim(&r, "run", "-n", "100", "-q", "-o", "/dev/full/x", NULL);
	if (r.status != 1)
		fail_msg("sim run -o /dev/full/x: exit %d, expected 1\n%s", r.status, text(&r.err));
	assert_true(r.err.n > 0);
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_models),
		cmocka_unit_test(test_compare_models),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_check),
		cmocka_unit_test_setup_teardown(test_run_output_dir, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_run_json),
		cmocka_unit_test_setup_teardown(test_run_line, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_run_unwritable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

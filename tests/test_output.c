/* test_output.c - output safety: a full disk, a file-size limit or a
 * closed stdout end with exit code 1, a message, and no partial file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Runs "sh -c SCRIPT" and returns the result in R. */
static void shell(struct result *r, const char *script)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };

	run(argv, r);
}

/* Each command, its stdout on /dev/full, fails with 1 and says so. */
static void test_stdout_full(void **state)
{
	static const char *const cmds[] = {
		"run -n 200 -q",
		"run -n 200 -q --json",
		"sweep --vary guarantors.[0].guarantee.strength=0,1 -n 200 -q",
		"compare configs/default.cfg configs/default.cfg -n 200 -q",
		"check configs/default.cfg",
		"init -",
		"trace --trial 0",
		"models",
		"backtest -n 100 -q",
		"help",
		"help run",
		"--version",
		"--help",
		"run --help",
	};
	char script[512];
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		snprintf(script, sizeof(script), "exec %s %s > /dev/full", SIM, cmds[i]);
		shell(&r, script);
		if (r.status != 1 || !strstr(text(&r.err), "cannot write"))
			fail_msg("sim %s > /dev/full: exit %d, stderr '%s'; expected exit 1 and "
				 "'cannot write'", cmds[i], r.status, text(&r.err));
		result_free(&r);
	}
}

/* A file-size limit makes survival.tsv fail to write: exit 1, the file
 * named, and not one file (nor temporary) left in the directory. */
static void test_file_too_large(void **state)
{
	char dir[256], script[1024], *ls;
	struct result r;

	(void)state;
	make_tmp(dir, sizeof(dir));
	snprintf(script, sizeof(script), "ulimit -f 1; trap '' XFSZ; exec %s run -n 2000 -q -o %s/out",
		 SIM, dir);
	shell(&r, script);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(text(&r.err), "cannot write"));
	result_free(&r);
	snprintf(script, sizeof(script), "%s/out", dir);
	ls = list_dir(script);
	if (ls && *ls)
		fail_msg("files left after a failed write: %s", ls);
	free(ls);
	remove_tree(dir);
}

/* An earlier complete output stays whole when a later run fails to write. */
static void test_old_output_kept(void **state)
{
	char dir[256], script[1024], path[300], *before, *after;
	struct result r;

	(void)state;
	make_tmp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	sim(&r, "run", "-n", "500", "-q", "-o", path, NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(path, sizeof(path), "%s/out/survival.tsv", dir);
	before = slurp(path, NULL);
	assert_non_null(before);
	snprintf(script, sizeof(script), "ulimit -f 1; trap '' XFSZ; exec %s run -n 900 -s 5 -q -o %s/out",
		 SIM, dir);
	shell(&r, script);
	assert_int_equal(r.status, 1);
	result_free(&r);
	after = slurp(path, NULL);
	assert_non_null(after);
	assert_string_equal(before, after);
	free(before);
	free(after);
	remove_tree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stdout_full),
		cmocka_unit_test(test_file_too_large),
		cmocka_unit_test(test_old_output_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_config.c - reading configs: every whole number as libconfig's
 * token gives it (never re-read from the line), @include relative to the
 * including file with the right file and line in messages, the size cap,
 * refusal of what is not a regular file, and --set values of one setting.
 * These call the library directly, so each case costs microseconds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cfg.h"
#include "engine/scenario.h"
#include "testutil.h"

/* Writes TEXT to DIR/NAME (making DIR/sub directories as needed). */
static void put(const char *dir, const char *name, const char *text)
{
	char path[1024], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdir(path, 0777);
	*slash = '/';
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Loads DIR/NAME with its errors captured into ERR (of SIZE bytes);
 * returns what cfg_load returned. */
static int load(struct cfg *c, const char *dir, const char *name, char *err, size_t size)
{
	char path[1024];
	FILE *saved = stderr, *f = fmemopen(err, size, "w");
	int r;

	memset(err, 0, size);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	stderr = f;
	r = cfg_load(c, path);
	stderr = saved;
	fclose(f);
	return r;
}

/* The whole number at PATH of C, as the checker reads it. */
static long long int_at(struct cfg *c, const char *path)
{
	config_setting_t *s = config_lookup(&c->lc, path);

	assert_non_null(s);
	return config_setting_get_int64(s);
}

static void check_int(struct cfg *c, const char *path, long long expect)
{
	long long got = int_at(c, path);

	if (got != expect) {
		print_error("%s: observed %lld vs expected %lld\n", path, got, expect);
		failures++;
	}
}

static void check_text(const char *what, const char *obs, const char *exp_)
{
	if (strcmp(obs, exp_)) {
		print_error("%s:\n  observed '%s'\n  expected '%s'\n", what, obs, exp_);
		failures++;
	}
}

/* Two keys of one name on one line, names inside strings that look like
 * settings, leading zeros, numbers on the line after their key, and
 * numbers of every width. */
static void test_whole_numbers(void **state)
{
	const char *dir = *state;
	char err[4096], buf[1100];
	struct cfg c;

	put(dir, "n.cfg",
	    "s = { name = \"seed = 99, trials = 7\"; trials = 2000; seed = 1; };\n"
	    "g = ( { forces = 1; }, { forces = 500000; } );\n"
	    "z = { a = 010; b = 09; c = -007; };\n"
	    "w = { trials =\n 4294968296; neg = -4294968296; edge = 2147483648; low = -2147483649;\n"
	    "      max = 9223372036854775807; min = -9223372036854775808; l = 5L; big = 4294967296L;\n"
	    "      h = 0x10; hw = 0xFFFFFFFF; hl = 0x1FFFFFFFF; };\n"
	    "/* x = 7; */ k = 3; // y = 8\n"
	    "# q = 9\n");
	assert_int_equal(load(&c, dir, "n.cfg", err, sizeof(err)), 0);
	check_int(&c, "s.trials", 2000);
	check_int(&c, "s.seed", 1);
	check_int(&c, "g.[0].forces", 1);
	check_int(&c, "g.[1].forces", 500000);
	check_int(&c, "z.a", 10);
	check_int(&c, "z.b", 9);
	check_int(&c, "z.c", -7);
	check_int(&c, "w.trials", 4294968296LL);
	check_int(&c, "w.neg", -4294968296LL);
	check_int(&c, "w.edge", 2147483648LL);
	check_int(&c, "w.low", -2147483649LL);
	check_int(&c, "w.max", INT64_MAX);
	check_int(&c, "w.min", INT64_MIN);
	check_int(&c, "w.l", 5);
	check_int(&c, "w.big", 4294967296LL);
	check_int(&c, "w.h", 16);
	check_int(&c, "w.hw", 4294967295LL);
	check_int(&c, "w.hl", 8589934591LL);
	check_int(&c, "k", 3);
	if (config_lookup(&c.lc, "x") || config_lookup(&c.lc, "y") || config_lookup(&c.lc, "q")) {
		print_error("a commented-out setting was read\n");
		failures++;
	}
	check_text("name", config_setting_get_string(config_lookup(&c.lc, "s.name")),
		   "seed = 99, trials = 7");
	cfg_release(&c);

	/* Strings keep what looks like comments and numbers. */
	put(dir, "s.cfg", "a = \"# not // a /* comment */ 4294968296\"; b = \"q\\\"#\"; c = 1;\n");
	assert_int_equal(load(&c, dir, "s.cfg", err, sizeof(err)), 0);
	check_text("a", config_setting_get_string(config_lookup(&c.lc, "a")),
		   "# not // a /* comment */ 4294968296");
	check_text("b", config_setting_get_string(config_lookup(&c.lc, "b")), "q\"#");
	check_int(&c, "c", 1);
	cfg_release(&c);

	/* A block comment between two digits separates them, as in libconfig. */
	put(dir, "j.cfg", "x = 1/* */2;\n");
	assert_int_equal(load(&c, dir, "j.cfg", err, sizeof(err)), -1);
	snprintf(buf, sizeof(buf), "%s/j.cfg:1: error: syntax error\n", dir);
	check_text("joined tokens", err, buf);
	cfg_release(&c);

	/* Wider than 64 bits: an error naming what was given. */
	put(dir, "w.cfg", "a = 1;\nb = { seed = 9223372036854775808; };\n");
	assert_int_equal(load(&c, dir, "w.cfg", err, sizeof(err)), -1);
	snprintf(buf, sizeof(buf), "%s/w.cfg:2: error: seed: 9223372036854775808 is outside the "
		 "64-bit range [-9223372036854775808, 9223372036854775807]\n", dir);
	check_text("2^63", err, buf);
	cfg_release(&c);
	put(dir, "h.cfg", "h = 0x10000000000000000;\n");
	assert_int_equal(load(&c, dir, "h.cfg", err, sizeof(err)), -1);
	snprintf(buf, sizeof(buf), "%s/h.cfg:1: error: h: 0x10000000000000000 is outside the "
		 "64-bit range [-9223372036854775808, 9223372036854775807]\n", dir);
	check_text("hex 2^64", err, buf);
	cfg_release(&c);
	check_finish();
}

/* The cases the review found, through the checker: what a run uses. */
static void test_checked_values(void **state)
{
	const char *dir = *state;
	char err[4096];
	struct cfg c;
	struct scenario s;

	put(dir, "r.cfg",
	    "scenario = { name = \"seed = 99, trials = 7\"; horizon_years = 1.0; trials = 2000; seed = 1; };\n"
	    "challenger = { forces = 100.0; war_cost = 0.5; max_hazard = 0.5; temperature = 0.1; };\n"
	    "target = { troops = 100.0; };\n"
	    "guarantors = ( { name = \"a\"; interest = 0.5; forces = 1; guarantee = { strength = 0.5; }; },"
	    " { name = \"b\"; interest = 0.5; forces = 500000; guarantee = { strength = 0.5; }; } );\n");
	assert_int_equal(load(&c, dir, "r.cfg", err, sizeof(err)), 0);
	assert_int_equal(scenario_load(&s, &c, NULL, NULL), 0);
	check_long("trials", (long)s.trials, 2000);
	check_long("seed", (long)s.seed, 1);
	check_int(&c, "guarantors.[0].forces", 1);
	check_int(&c, "guarantors.[1].forces", 500000);
	scenario_release(&s);
	cfg_release(&c);

	put(dir, "o.cfg",
	    "scenario = { name = \"x\"; horizon_years = 1.0; seed = 010; trials =\n 4294968296; };\n"
	    "challenger = { forces = 100.0; war_cost = 0.5; max_hazard = 0.5; temperature = 0.1; };\n"
	    "target = { troops = 100.0; };\n");
	assert_int_equal(load(&c, dir, "o.cfg", err, sizeof(err)), 0);
	assert_int_equal(scenario_load(&s, &c, NULL, NULL), 0);
	check_long("trials", (long)s.trials, 4294968296L);
	check_long("seed", (long)s.seed, 10);
	scenario_release(&s);
	cfg_release(&c);
	check_finish();
}

#define BASE "scenario = { name = \"x\"; horizon_years = 1.0; };\n"
#define CHAL "challenger = { forces = 100.0; war_cost = 0.5; max_hazard = 0.5; temperature = 0.1; };\n"

/* Checks DIR/NAME and expects the stderr EXPECT (with "%s" for DIR). */
static void check_error(const char *dir, const char *name, const char *expect)
{
	char err[4096], want[4096];
	struct cfg c;
	struct scenario s;
	FILE *saved = stderr, *f;

	if (load(&c, dir, name, err, sizeof(err)) == 0) {
		f = fmemopen(err, sizeof(err), "w");
		stderr = f;
		if (scenario_load(&s, &c, NULL, NULL) == 0)
			scenario_release(&s);
		stderr = saved;
		fclose(f);
	}
	cfg_release(&c);
	snprintf(want, sizeof(want), expect, dir, dir, dir);
	check_text(name, err, want);
}

/* @include: relative to the including file, nested, with the file and line
 * of every message right, and the rest of an @include line read on. */
static void test_include(void **state)
{
	const char *dir = *state;

	put(dir, "main.cfg", BASE "@include \"sub/inc.cfg\"\ntarget = { troops = -5.0; };\n");
	put(dir, "sub/inc.cfg", CHAL "@include \"deeper.cfg\"\n");
	put(dir, "sub/deeper.cfg", "# nothing but a comment, no newline at the end");
	check_error(dir, "main.cfg", "%s/main.cfg:3: error: target.troops: must be >= 0, got -5\n");

	put(dir, "m2.cfg", BASE "@include \"sub/bad.cfg\"\n");
	put(dir, "sub/bad.cfg", "\n\ntarget = { troops = 1.0; };\n" CHAL
	    "@include \"deeper.cfg\"\nguarantors = ( { name = \"a\"; interest = 0.5; turnover_prob = 2.0;\n"
	    "  guarantee = { strength = 0.5; }; } );\n");
	check_error(dir, "m2.cfg", "%s/sub/bad.cfg:6: error: guarantors.[0].turnover_prob: must be "
		    "in [0, 1], got 2\n");

	put(dir, "syn.cfg", BASE "@include \"sub/syn.inc\"\n");
	put(dir, "sub/syn.inc", "a = 1;\nb = = 2;\n");
	check_error(dir, "syn.cfg", "%s/sub/syn.inc:2: error: syntax error\n");

	/* Not regular files. */
	put(dir, "d.cfg", "@include \"sub\"\n");
	check_error(dir, "d.cfg", "%s/d.cfg:1: error: cannot include 'sub' (%s/sub): is a "
		    "directory, not a config file\n");
	put(dir, "p.cfg", "\n@include \"/proc/self/mem\"\n");
	check_error(dir, "p.cfg", "%s/p.cfg:2: error: cannot include '/proc/self/mem': "
		    "cannot read: Input/output error\n");
	put(dir, "z.cfg", "@include \"/dev/zero\"\n");
	check_error(dir, "z.cfg", "%s/z.cfg:1: error: cannot include '/dev/zero': not a "
		    "regular file (a device, FIFO or socket)\n");
	check_finish();
}

/* An @include of a FIFO nobody writes to fails at once (libconfig 1.5
 * waited forever), and so does a FIFO given as the config. */
static void test_include_fifo(void **state)
{
	const char *dir = *state;
	char fifo[1024], main[1024];
	struct result r;
	double t0;

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	put(dir, "f.cfg", "@include \"fifo\"\n");
	snprintf(main, sizeof(main), "%s/f.cfg", dir);
	t0 = now();
	sim(&r, "check", main, NULL);
	assert_false(r.timed_out);
	assert_int_equal(r.status, 2);
	assert_true(now() - t0 < 10);
	{
		char want[2048];

		snprintf(want, sizeof(want), "%s:1: error: cannot include 'fifo' (%s): not a regular "
			 "file (a device, FIFO or socket)\n", main, fifo);
		check_text("fifo include", text(&r.err), want);
	}
	result_free(&r);
	sim(&r, "check", fifo, NULL);
	assert_false(r.timed_out);
	assert_int_equal(r.status, 2);
	result_free(&r);
	check_finish();
}

/* Configs are capped at 1 MiB with what they include; a file over the cap
 * fails at once, even one long comment line (libconfig's scanner takes
 * quadratic time on those: 40 s for 5 MB). */
static void test_size_cap(void **state)
{
	const char *dir = *state;
	size_t n = 5u << 20;
	char *big = malloc(n + 2), err[4096], want[2048];
	struct cfg c;
	double t0;

	memset(big, 'x', n);
	big[0] = '#';
	big[n] = '\n';
	big[n + 1] = '\0';
	put(dir, "big.cfg", big);
	free(big);
	t0 = now();
	assert_int_equal(load(&c, dir, "big.cfg", err, sizeof(err)), -1);
	cfg_release(&c);
	snprintf(want, sizeof(want), "%s/big.cfg:1: error: a config with what it includes must be "
		 "at most 1 MiB (1048576 bytes)\n", dir);
	check_text("5 MB", err, want);
	assert_true(now() - t0 < 2);

	/* Two files of 0.6 MiB each: the second goes over. */
	big = malloc(629146);
	memset(big, ' ', 629145);
	big[629145] = '\0';
	memcpy(big, "a = 1;\n", 7);
	put(dir, "half.inc", big);
	free(big);
	put(dir, "two.cfg", "@include \"half.inc\"\n@include \"half.inc\"\n");
	assert_int_equal(load(&c, dir, "two.cfg", err, sizeof(err)), -1);
	cfg_release(&c);
	snprintf(want, sizeof(want), "%s/two.cfg:2: error: cannot include 'half.inc' (%s/half.inc): "
		 "a config with what it includes must be at most 1 MiB (1048576 bytes)\n", dir, dir);
	check_text("two halves", err, want);

	put(dir, "nul.cfg", "a = 1;\nb = 2;");
	{
		char path[1024];
		int fd;

		snprintf(path, sizeof(path), "%s/nul.cfg", dir);
		fd = open(path, O_WRONLY | O_APPEND);
		assert_int_equal(write(fd, "\0\n", 2), 2);
		close(fd);
	}
	assert_int_equal(load(&c, dir, "nul.cfg", err, sizeof(err)), -1);
	cfg_release(&c);
	snprintf(want, sizeof(want), "%s/nul.cfg:2: error: holds a NUL byte: not a text file\n", dir);
	check_text("NUL", err, want);
	check_finish();
}

/* Applies override ARG to the default config; returns its stderr. */
static const char *set_one(const char *arg, long long *value, const char *path)
{
	static char err[4096];
	struct cfg c;
	struct diag d;
	FILE *f;

	memset(err, 0, sizeof(err));
	f = fmemopen(err, sizeof(err), "w");
	assert_int_equal(cfg_load(&c, NULL), 0);
	d.cfg = &c;
	d.out = f;
	d.errors = 0;
	if (cfg_set(&c, arg, 1, &d) == 0 && value)
		*value = int_at(&c, path);
	fclose(f);
	cfg_release(&c);
	return err;
}

/* A --set value is one setting: a second one is an error, not dropped;
 * whole numbers are read as in files. */
static void test_set_values(void **state)
{
	long long v = 0;

	(void)state;
	check_text("two settings", set_one("target.troops=5; x = 6", NULL, NULL),
		   "--set:1: error: target.troops: the value '5; x = 6' holds more than one "
		   "setting; quote a string value (target.troops=\"...\")\n");
	check_text("wide", set_one("scenario.seed=18446744073709551616", NULL, NULL),
		   "--set:1: error: scenario.seed: 18446744073709551616 is outside the 64-bit "
		   "range [-9223372036854775808, 9223372036854775807]\n");
	check_text("include", set_one("scenario.name=\n@include \"/etc/passwd\"", NULL, NULL),
		   "--set:1: error: scenario.name: @include is not allowed here\n");
	check_text("octal-looking", set_one("scenario.seed=010", &v, "scenario.seed"), "");
	if (v != 10) {
		print_error("scenario.seed=010: observed %lld vs expected 10\n", v);
		failures++;
	}
	check_text("64-bit", set_one("scenario.trials=4294968296", &v, "scenario.trials"), "");
	if (v != 4294968296LL) {
		print_error("scenario.trials=4294968296: observed %lld\n", v);
		failures++;
	}
	check_finish();
}

static int setup(void **state)
{
	failures = 0;
	return tmp_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_numbers, setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_checked_values, setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_include, setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_include_fifo, setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_size_cap, setup, tmp_teardown),
		cmocka_unit_test_setup(test_set_values, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

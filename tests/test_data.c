/* test_data.c - gsim's tables load in other tools as they are: every .tsv
 * a command writes (run, trials, sweep, sample, compare, sensitivity,
 * screen, discover, robust, backtest), with a guarantor whose name holds
 * '#', '"' and ',' (and one in UTF-8, from a config whose file name is
 * not), is read by Python's csv module, pandas and R
 * (tests/data_load.py; skipped with a message without pandas), and its
 * --format csv and json copies hold the same table; the converter is also
 * checked directly on a table with every hard case. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/tabular.h"
#include "testutil.h"

/* The converter on TEXT as FORMAT, into a new string. */
static char *convert(const char *text, int format)
{
	char *out = NULL;
	size_t n = 0;
	FILE *in = fmemopen((void *)text, strlen(text), "r"), *f = open_memstream(&out, &n);

	assert_non_null(in);
	assert_non_null(f);
	assert_int_equal(tabular_write(in, f, format, NULL), 0);
	fclose(in);
	fclose(f);
	return out;
}

static void test_converter(void **state)
{
	static const char tsv[] =
		"# gsim test\n# name: a \\x22quoted\\x22 \\x23 name\n"
		"name\tvalue\tci\n"
		"plain\t0.5\t1e-3\n"
		"with, comma\t-2\t\n"
		"\\x22q\\x22 and tab\\there\tNaN\t1.\n"
		"\n"
		"new\\nline\t+3\tinf\n"
		"hash \\x23 only\t1\t2\n";
	char *csv = convert(tsv, TABULAR_CSV), *json = convert(tsv, TABULAR_JSON);

	(void)state;
	assert_string_equal(csv,
			    "# gsim test\n# name: a \\x22quoted\\x22 \\x23 name\n"
			    "name,value,ci\n"
			    "plain,0.5,1e-3\n"
			    "\"with, comma\",-2,\n"
			    "\"\"\"q\"\" and tab\there\",NaN,1.\n"
			    "\"new\nline\",+3,inf\n"
			    "\"hash # only\",1,2\n");
	assert_string_equal(json,
			    "{\n  \"provenance\": [\n    \"gsim test\",\n"
			    "    \"name: a \\\"quoted\\\" # name\"\n  ],\n"
			    "  \"columns\": [\"name\",\"value\",\"ci\"],\n  \"data\": [\n"
			    "    [\"plain\",0.5,1e-3],\n"
			    "    [\"with, comma\",-2,null],\n"
			    "    [\"\\\"q\\\" and tab\\there\",null,1],\n"
			    "    [\"new\\nline\",3,\"inf\"],\n"
			    "    [\"hash # only\",1,2]\n  ]\n}\n");
	free(csv);
	free(json);
	json = convert("# only a comment\n", TABULAR_JSON);
	assert_string_equal(json, "{\n  \"provenance\": [\n    \"only a comment\"\n  ],\n"
			    "  \"columns\": [],\n  \"data\": []\n}\n");
	free(json);
	assert_int_equal(tabular_format("csv"), TABULAR_CSV);
	assert_int_equal(tabular_format("JSON"), -1);
}

/* Runs sim with the NULL-terminated arguments, expecting exit 0. */
static void ok(const char *first, ...)
{
	char *argv[64];
	struct result r;
	va_list ap;
	int n = 0;

	argv[n++] = SIM;
	argv[n++] = (char *)first;
	va_start(ap, first);
	while (n < 63 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	run_expect(argv, &r, 0);
	result_free(&r);
}

static const char hostile[] = "guarantors.[0].name=A #1 \"best\", pledge";

static void test_tools_load_every_table(void **state)
{
	const char *tmp = *state;
	char d[16][600], trials[600], smp[600];
	char *argv[24];
	struct result r;
	int k = 0, i;

	for (i = 0; i < 16; i++)
		snprintf(d[i], sizeof(d[i]), "%s/d%d", tmp, i);
	snprintf(trials, sizeof(trials), "%s/trials.tsv", d[0]);
	ok("run", "configs/ukraine-19-point.cfg", "-n", "400", "-q", "-o", d[k], "--set", hostile,
	   "--set", "guarantors.[1].name=UK#2", "--set",
	   "guarantors.[UK#2].guarantee.strength={ dist = \"uniform\"; min = 0.2; max = 0.6; }",
	   "--trials-out", trials, "--format", "csv", NULL);
	k++;
	ok("run", "-n", "400", "-q", "-o", d[k++], "--format", "json", NULL);
	ok("sweep", "configs/ukraine-19-point.cfg", "--vary", "target.troop_cap=400000:800000:3",
	   "--vary", "challenger.war_cost=0.2,0.4", "-n", "200", "-q", "-o", d[k++], "--format",
	   "json", NULL);
	snprintf(smp, sizeof(smp), "%s/sample.tsv", d[k]);
	ok("sample", "configs/ukraine-19-point.cfg", "--lhs", "12", "--range",
	   "challenger.war_cost=0.1:0.6", "--range", "guarantors.[0].guarantee.strength=0:1",
	   "-n", "200", "-q", "-o", d[k++], "--format", "csv", NULL);
	ok("compare", "configs/ukraine-19-point.cfg", "configs/ukraine-28-point.cfg", "-n", "300",
	   "-q", "-o", d[k++], "--format", "json", NULL);
	ok("sensitivity", "configs/ukraine-19-point.cfg", "--range", "challenger.war_cost=0.1:0.6",
	   "--range", "target.troop_cap=400000:800000", "--base-samples", "8", "--replicates",
	   "2", "-n", "100", "-q", "-o", d[k++], "--format", "csv", NULL);
	ok("screen", "configs/ukraine-19-point.cfg", "--range", "challenger.war_cost=0.1:0.6",
	   "--range", "target.troop_cap=400000:800000", "--trajectories", "4", "-n", "100",
	   "-q", "-o", d[k++], "--format", "json", NULL);
	ok("discover", smp, "--where", "p_deterred < 0.5", "-o", d[k++], "--format", "csv", NULL);
	ok("robust", "--design", "base=configs/ukraine-19-point.cfg", "--design",
	   "cap=configs/ukraine-19-point.cfg --set target.troop_cap=600000", "--range",
	   "challenger.war_cost=0.1:0.6", "--lhs", "6", "-n", "100", "-q", "-o", d[k++], "--format", "json", NULL);
	ok("backtest", "-n", "200", "-q", "-o", d[k++], "--format", "csv", NULL);
	/* A config whose name is not UTF-8 (Latin-1) and a guarantor's that is:
	 * the files stay valid UTF-8, which every reader decodes them as. */
	{
		char latin[600], *cfg = slurp("configs/ukraine-19-point.cfg", NULL);

		snprintf(latin, sizeof(latin), "%s/caf\xe9.cfg", tmp);
		assert_non_null(cfg);
		put_file(latin, cfg);
		free(cfg);
		snprintf(trials, sizeof(trials), "%s/trials.tsv", d[k]);
		ok("run", latin, "-n", "200", "-q", "-o", d[k], "--set",
		   "guarantors.[0].name=T\xc3\xbcrkiye", "--trials-out", trials, "--format", "json",
		   NULL);
		k++;
	}
	if (access("/usr/bin/python3", X_OK) != 0) {
		skip();
		return;
	}
	argv[0] = "/usr/bin/python3";
	argv[1] = "tests/data_load.py";
	for (i = 0; i < k; i++)
		argv[2 + i] = d[i];
	argv[2 + k] = NULL;
	run(argv, &r);
	if (r.status == 77) {
		fprintf(stderr, "%s", text(&r.out));
		result_free(&r);
		skip();
		return;
	}
	if (r.status != 0)
		fail_msg("tests/data_load.py (exit %d):\n%s%s", r.status, text(&r.out), text(&r.err));
	printf("%s", text(&r.out));
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_converter),
		cmocka_unit_test_setup_teardown(test_tools_load_every_table, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_install.c - "make install" into a temporary DESTDIR, the installed
 * gsim run from a directory that is not the checkout, its man pages and
 * bash completion, and "make uninstall".
 *
 * The group setup installs the sim under test ($GSIM_SIM, else ./bin/sim;
 * with make -o, so that nothing is built) into D/dest with PREFIX
 * /usr/local, D a new temporary directory, and makes D/work, where the
 * installed program runs:
 *   test_layout      every data file of configs/ and plots/ installed, and
 *                    the program, pages, completion and documents
 *   test_commands    gsim run, plot, backtest, report and calibrate, and an
 *                    installed config that @includes others, from D/work
 *   test_datadir     $GSIM_DATADIR, a copy of the program outside any
 *                    prefix (the error names the file and where it looked),
 *                    and the checkout's own files first when run there
 *   test_man         tests/test_install_man.sh on the installed pages
 *   test_completion  tests/test_install_completion.sh on the installed
 *                    script (as gsim) and on the checkout's (as ./bin/sim)
 *   test_uninstall   "make uninstall" leaves no file behind (last)
 * make, sh, bash and man (man-db) are found on PATH through /usr/bin/env. */
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
#include <unistd.h>

#include "testutil.h"

#define PREFIX "/usr/local"

static char root[256], dest[512], work[512], prefix[512], gsim[600], datadir[600];

/* Runs make TARGET with the install variables: the sim under test as
 * BIN, never rebuilt (-o); the build directory, where the man pages are
 * made, in D. The make running the tests passes nothing down. */
static void make(const char *target, struct result *r)
{
	char o[512], bin[600], b[600], destdir[600];
	char *argv[] = { "/usr/bin/env", "-u", "MAKEFLAGS", "-u", "MAKELEVEL", "-u", "MFLAGS",
			 "make", "-s", "-o", o, (char *)target, bin, b, destdir, "PREFIX=" PREFIX,
			 NULL };

	snprintf(o, sizeof(o), "%s", SIM);
	snprintf(bin, sizeof(bin), "BIN=%s", SIM);
	snprintf(b, sizeof(b), "B=%s/build", root);
	snprintf(destdir, sizeof(destdir), "DESTDIR=%s", dest);
	run(argv, r);
}

/* Runs the NULL-terminated command that follows in directory DIR, in the
 * environment ENVP (NULL: this one's), into R. */
static void in_dir(const char *dir, char **envp, struct result *r, ...)
{
	char *argv[64] = { "/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", (char *)dir };
	int n = 4;
	va_list ap;

	va_start(ap, r);
	while (n < 63 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	run_env(argv, envp, r);
}

/* Counts a failure unless R exited with EXPECT in time. */
static void check_exit(const char *what, const struct result *r, int expect)
{
	check(!r->timed_out && r->status == expect, "%s: exit %d%s, expected %d; stderr:\n%s",
	      what, r->status, r->timed_out ? " (timed out)" : "", expect, text(&r->err));
}

/* The sanitizer build's LSAN_OPTIONS names its suppressions file relative
 * to the checkout (make sanitize); the commands here run elsewhere. */
static void lsan_absolute(void)
{
	const char *o = getenv("LSAN_OPTIONS"), *s;
	char top[512], opts[2048];

	if (!o || !(s = strstr(o, "suppressions=")) || s[13] == '/' || !getcwd(top, sizeof(top)))
		return;
	snprintf(opts, sizeof(opts), "%.*ssuppressions=%s/%s", (int)(s - o), o, top, s + 13);
	setenv("LSAN_OPTIONS", opts, 1);
}

static int group_setup(void **state)
{
	struct result r;
	char path[600];

	(void)state;
	if (access(SIM, X_OK) != 0) {
		fprintf(stderr, "%s not built: run 'make' first (make check does)\n", SIM);
		return -1;
	}
	snprintf(root, sizeof(root), "/tmp/gsim-install-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(dest, sizeof(dest), "%s/dest", root);
	snprintf(work, sizeof(work), "%s/work", root);
	snprintf(prefix, sizeof(prefix), "%s" PREFIX, dest);
	snprintf(gsim, sizeof(gsim), "%s/bin/gsim", prefix);
	snprintf(datadir, sizeof(datadir), "%s/share/gsim", prefix);
	snprintf(path, sizeof(path), "%s/cfg", work);
	if (mkdir(work, 0755) < 0 || mkdir(path, 0755) < 0)
		return -1;
	lsan_absolute();
	make("install", &r);
	if (r.timed_out || r.status != 0) {
		fprintf(stderr, "make install failed (exit %d):\n%s%s", r.status, text(&r.out),
			text(&r.err));
		result_free(&r);
		return -1;
	}
	result_free(&r);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (root[0])
		remove_tree(root);
	return 0;
}

/* Counts a failure for every file below the directory FROM (relative to
 * the checkout) that is not also at TO/FROM. */
static void check_copied(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *e;
	struct stat st;
	char sub[1024], there[1200];

	check(d != NULL, "cannot read %s", from);
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", from, e->d_name);
		snprintf(there, sizeof(there), "%s/%s", to, sub);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			check_copied(sub, to);
		else
			check(exists(there), "%s is not installed (no %s)", sub, there);
	}
	if (d)
		closedir(d);
}

static void test_layout(void **state)
{
	static const char *const files[] = {
		"bin/gsim", "share/gsim/configs/default.cfg", "share/gsim/configs/history/cases.tsv",
		"share/gsim/configs/history/casebase.tsv", "share/gsim/configs/calibration/crisis.cfg",
		"share/gsim/plots/survival.gp", "share/man/man1/gsim.1", "share/man/man1/gsim-run.1",
		"share/bash-completion/completions/gsim", "share/doc/gsim/README.md",
		"share/doc/gsim/docs/model.md", "share/doc/gsim/docs/validation/codebook.md", NULL
	};
	char path[1024];
	struct stat st;

	(void)state;
	for (int i = 0; files[i]; i++)
		check(exists(in(path, sizeof(path), prefix, files[i])), "%s is not installed", path);
	check(stat(gsim, &st) == 0 && (st.st_mode & 0777) == 0755, "%s: mode %o, expected 755",
	      gsim, (unsigned)(st.st_mode & 0777));
	check(stat(in(path, sizeof(path), datadir, "configs/default.cfg"), &st) == 0 &&
	      (st.st_mode & 0777) == 0644, "%s: mode %o, expected 644", path,
	      (unsigned)(st.st_mode & 0777));
	check_copied("configs", datadir);
	check_copied("plots", datadir);
	check_copied("docs", in(path, sizeof(path), prefix, "share/doc/gsim"));
	check_finish();
}

/* Counts a failure unless the file DIR/NAME exists with at least BYTES. */
static void check_file(const char *dir, const char *name, long bytes)
{
	char path[1024];
	struct stat st;

	in(path, sizeof(path), dir, name);
	check(stat(path, &st) == 0 && st.st_size >= bytes, "%s: missing or under %ld bytes", path,
	      bytes);
}

static void test_commands(void **state)
{
	struct result r;
	char out[600], cfg[700], *text_;

	(void)state;
	in_dir(work, NULL, &r, gsim, "run", "-n", "2000", "-q", "-o", "run", NULL);
	check_exit("gsim run", &r, 0);
	result_free(&r);
	check_file(work, "run/summary.json", 100);
	in_dir(work, NULL, &r, gsim, "plot", "run", "-q", NULL);
	check_exit("gsim plot", &r, 0);
	result_free(&r);
	check_file(work, "run/survival.png", 10000);
	check_file(work, "run/outcomes.png", 10000);
	in_dir(work, NULL, &r, gsim, "backtest", "-n", "200", "-q", "-o", "history", NULL);
	check_exit("gsim backtest", &r, 0);
	check(strstr(text(&r.out), "Budapest Memorandum") != NULL, "gsim backtest printed:\n%s",
	      text(&r.out));
	result_free(&r);
	snprintf(out, sizeof(out), "%s/history/backtest.tsv", work);
	text_ = slurp(out, NULL);
	snprintf(cfg, sizeof(cfg), "%s/configs/history/budapest-1994.cfg", datadir);
	check(text_ && strstr(text_, cfg), "%s does not name %s", out, cfg);
	free(text_);
	in_dir(work, NULL, &r, gsim, "report", "-n", "2000", "-q", "-o", "report", NULL);
	check_exit("gsim report", &r, 0);
	result_free(&r);
	check_file(work, "report/report.html", 10000);
	check_file(work, "report/report.md", 500);
	/* calibrate reads its case base before it locks the output directory,
	 * which a file cannot be: exit 1, not 2 with "not found". */
	put_file(in(out, sizeof(out), work, "file"), "");
	in_dir(work, NULL, &r, gsim, "calibrate", "-o", "file", NULL);
	check_exit("gsim calibrate -o FILE", &r, 1);
	check(!strstr(text(&r.err), "not found"), "gsim calibrate: %s", text(&r.err));
	result_free(&r);
	snprintf(cfg, sizeof(cfg), "%s/configs/crisis-ukraine-19-point.cfg", datadir);
	in_dir(work, NULL, &r, gsim, "run", cfg, "-n", "1000", "-q", NULL);
	check_exit("gsim run crisis-ukraine-19-point.cfg", &r, 0);
	result_free(&r);
	check_finish();
}

/* Copies the installed program to DIR/bin/gsim, outside any prefix. */
static void copy_program(const char *dir, char *path, size_t size)
{
	size_t n;
	char *bytes = slurp(gsim, &n), sub[600];
	FILE *f;

	assert_non_null(bytes);
	snprintf(sub, sizeof(sub), "%s/bin", dir);
	assert_true(mkdir(dir, 0755) == 0 && mkdir(sub, 0755) == 0);
	snprintf(path, size, "%s/gsim", sub);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_true(fwrite(bytes, 1, n, f) == n);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	free(bytes);
}

static void test_datadir(void **state)
{
	struct result r;
	char nodata[600], loose[600], copy[700], want[800];
	char **env;

	(void)state;
	snprintf(nodata, sizeof(nodata), "%s/nodata", root);
	env = env_with("GSIM_DATADIR", nodata);
	in_dir(work, env, &r, gsim, "backtest", "-n", "100", "-q", NULL);
	env_free(env);
	check_exit("GSIM_DATADIR=nodata gsim backtest", &r, 2);
	snprintf(want, sizeof(want), "configs/history/cases.tsv: not found in the current "
		 "directory (%s) or in %s ($GSIM_DATADIR)", work, nodata);
	check(strstr(text(&r.err), want) != NULL, "stderr:\n%s\nexpected:\n%s", text(&r.err), want);
	result_free(&r);

	snprintf(loose, sizeof(loose), "%s/loose", root);
	copy_program(loose, copy, sizeof(copy));
	in_dir(work, NULL, &r, copy, "calibrate", NULL);
	check_exit("a copy of gsim outside the prefix: calibrate", &r, 2);
	snprintf(want, sizeof(want), "configs/history/casebase.tsv: not found in the current "
		 "directory (%s) or in %s/share/gsim (from the program's location, %s)", work,
		 loose, copy);
	check(strstr(text(&r.err), want) != NULL, "stderr:\n%s\nexpected:\n%s", text(&r.err), want);
	result_free(&r);
	env = env_with("GSIM_DATADIR", datadir);
	in_dir(work, env, &r, copy, "backtest", "-n", "100", "-q", NULL);
	env_free(env);
	check_exit("GSIM_DATADIR=PREFIX/share/gsim gsim backtest", &r, 0);
	result_free(&r);

	/* Run from the checkout, the installed program reads the checkout's
	 * files, by the relative paths it always did. */
	snprintf(want, sizeof(want), "%s/bt", root);
	in_dir(".", NULL, &r, gsim, "backtest", "-n", "100", "-q", "-o", want, NULL);
	check_exit("gsim backtest in the checkout", &r, 0);
	result_free(&r);
	strcat(want, "/backtest.tsv");
	{
		char *t = slurp(want, NULL);

		check(t && strstr(t, "\nconfigs/history/budapest-1994.cfg\t"),
		      "%s does not name configs/history/budapest-1994.cfg:\n%s", want, t ? t : "");
		free(t);
	}
	check_finish();
}

static void test_man(void **state)
{
	struct result r;
	char mandir[700];
	char *argv[] = { "/usr/bin/env", "sh", "tests/test_install_man.sh", gsim, mandir, NULL };

	(void)state;
	snprintf(mandir, sizeof(mandir), "%s/share/man/man1", prefix);
	run(argv, &r);
	check_exit("tests/test_install_man.sh", &r, 0);
	check(strstr(text(&r.out), " 0 failed") != NULL, "%s", text(&r.out));
	if (failures)
		print_error("%s", text(&r.out));
	result_free(&r);
	check_finish();
}

static void test_completion(void **state)
{
	struct result r;
	char script[700], test[700], top[512];

	(void)state;
	assert_non_null(getcwd(top, sizeof(top)));
	snprintf(test, sizeof(test), "%s/tests/test_install_completion.sh", top);
	put_file(in(script, sizeof(script), work, "cfg/t.cfg"),
		 "# for the completion test: a crisis config, two guarantors\n"
		 "model = \"crisis\";\n"
		 "scenario = { name = \"a # name; { (\"; horizon_years = 5.0; };\n"
		 "guarantors = (\n"
		 "  { name = \"A\"; interest = 0.1; guarantee = { strength = 0.5; }; },\n"
		 "@include \"second.cfg\"\n"
		 ");\n");
	put_file(in(script, sizeof(script), work, "cfg/second.cfg"),
		 "  { name = \"B \\\" }\"; interest = 0.2; }\n");
	snprintf(script, sizeof(script), "%s/share/bash-completion/completions/gsim", prefix);
	in_dir(work, NULL, &r, "/usr/bin/env", "bash", test, gsim, script, "cfg/t.cfg", NULL);
	check_exit("the installed completion", &r, 0);
	if (r.status)
		print_error("%s", text(&r.out));
	result_free(&r);
	in(script, sizeof(script), work, "cfg/t.cfg");
	in_dir(".", NULL, &r, "/usr/bin/env", "bash", test, SIM, "completion/gsim.bash", script,
	       NULL);
	check_exit("the checkout's completion", &r, 0);
	if (r.status)
		print_error("%s", text(&r.out));
	result_free(&r);
	check_finish();
}

/* The files and symbolic links below DIR, one a line, into B. */
static void list_files(const char *dir, struct buf *b)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;
	char sub[1024];

	while (d && (e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
			list_files(sub, b);
		} else {
			buf_add(b, sub, strlen(sub));
			buf_add(b, "\n", 1);
		}
	}
	if (d)
		closedir(d);
}

static void test_uninstall(void **state)
{
	struct result r;
	struct buf left = { NULL, 0, 0 };
	char path[1024];

	(void)state;
	make("uninstall", &r);
	check_exit("make uninstall", &r, 0);
	result_free(&r);
	list_files(dest, &left);
	check(left.n == 0, "left after make uninstall:\n%s", text(&left));
	free(left.p);
	check(!exists(datadir), "%s is left", datadir);
	check(!exists(in(path, sizeof(path), prefix, "share/doc/gsim")), "%s is left", path);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_layout, check_setup),
		cmocka_unit_test_setup(test_commands, check_setup),
		cmocka_unit_test_setup(test_datadir, check_setup),
		cmocka_unit_test_setup(test_man, check_setup),
		cmocka_unit_test_setup(test_completion, check_setup),
		cmocka_unit_test_setup(test_uninstall, check_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

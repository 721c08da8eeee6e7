/* test_report_browser.c - a report as a browser shows it: headless
 * Chromium loads report.html (its DOM holds the key findings and the two
 * charts inline), takes a 1200 px wide screenshot of it, and prints it
 * with 'sim report DIR --pdf'; without Chromium on PATH, --pdf says how to
 * install it and leaves the report in place. The tests that need Chromium
 * are skipped, saying so, when it is not installed (Debian: apt-get
 * install chromium). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* Chromium on PATH, or NULL. */
static const char *chromium(void)
{
	static const char *const names[] = { "chromium", "chromium-browser", NULL };
	static char found[4096];
	const char *path = getenv("PATH");
	char *copy = path ? strdup(path) : NULL, *dir, *save;
	int i;

	for (i = 0; copy && names[i]; i++) {
		char *c = strdup(path);

		for (dir = strtok_r(c, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
			snprintf(found, sizeof(found), "%s/%s", dir, names[i]);
			if (access(found, X_OK) == 0) {
				free(c);
				free(copy);
				return found;
			}
		}
		free(c);
	}
	free(copy);
	return NULL;
}

/* Occurrences of NEEDLE in S. */
static int count_of(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The report of the group, made once: D/rep. */
static int group_setup(void **state)
{
	char dir[300];
	struct result r;
	int ok;

	if (tmp_setup(state) < 0)
		return -1;
	in(dir, sizeof(dir), *state, "rep");
	{
		char *argv[] = { SIM, "report", "-n", "1000", "-q", "-o", dir, NULL };

		run(argv, &r);
	}
	ok = !r.timed_out && r.status == 0;
	if (!ok)
		fprintf(stderr, "setup: sim report: exit %d\n%s", r.status, text(&r.err));
	result_free(&r);
	return ok ? 0 : -1;
}

/* Runs Chromium headless on the group's report.html, with the options
 * EXTRA and EXTRA2 (may be NULL), a profile of its own in D/PROFILE, into
 * R; the test is skipped when there is no Chromium. */
static void browse(const char *d, const char *profile, const char *extra, const char *extra2,
		   struct result *r)
{
	const char *c = chromium();
	char url[400], dir[400], arg[420];

	if (!c) {
		printf("[  SKIPPED ] chromium is not installed (apt-get install chromium)\n");
		skip();
	}
	snprintf(url, sizeof(url), "file://%s/rep/report.html", d);
	snprintf(arg, sizeof(arg), "--user-data-dir=%s", in(dir, sizeof(dir), d, profile));
	{
		char *argv[] = { (char *)c, "--headless", "--no-sandbox", "--disable-gpu",
				 "--hide-scrollbars", arg, (char *)extra, (char *)extra2, url, NULL };

		if (!extra2) {
			argv[7] = url;
			argv[8] = NULL;
		}
		run(argv, r);
	}
	check(!r->timed_out && r->status == 0, "chromium %s: exit %d\n%s", extra, r->status,
	      text(&r->err));
	remove_tree(dir);
}

static void test_dom(void **state)
{
	struct result r;

	browse(*state, "profile-dom", "--dump-dom", NULL, &r);
	check(strstr(text(&r.out), "Key findings") != NULL, "the DOM has no 'Key findings'");
	check(strstr(text(&r.out), "does not attack within the horizon) in ") != NULL,
	      "the DOM has no key findings sentence");
	check(count_of(text(&r.out), "<svg") == 2, "the DOM has %d <svg, expected the 2 charts",
	      count_of(text(&r.out), "<svg"));
	check(count_of(text(&r.out), "<table") >= 6, "the DOM has %d tables",
	      count_of(text(&r.out), "<table"));
	result_free(&r);
	check_finish();
}

static void test_screenshot(void **state)
{
	const char *d = *state;
	char shot[400], sarg[420];
	unsigned char *png;
	size_t len;
	struct result r;

	snprintf(sarg, sizeof(sarg), "--screenshot=%s", in(shot, sizeof(shot), d, "shot.png"));
	browse(d, "profile-shot", "--window-size=1200,2400", sarg, &r);
	result_free(&r);
	png = (unsigned char *)slurp(shot, &len);
	check(png && len > 24 && !memcmp(png + 12, "IHDR", 4) &&
	      ((unsigned long)png[16] << 24 | (unsigned long)png[17] << 16 |
	       (unsigned long)png[18] << 8 | png[19]) == 1200,
	      "the screenshot is not a PNG 1200 px wide");
	/* a drawn page: far more than a blank one */
	check(png && len > 100000, "the screenshot is %zu bytes: a blank page?", len);
	free(png);
	check_finish();
}

static void test_pdf(void **state)
{
	const char *d = *state;
	char dir[300], path[400];
	size_t len;
	char *pdf;

	if (!chromium()) {
		printf("[  SKIPPED ] chromium is not installed (apt-get install chromium)\n");
		skip();
	}
	in(dir, sizeof(dir), d, "rep");
	SIM_OK("report", dir, "--pdf", "-q");
	pdf = slurp(in(path, sizeof(path), dir, "report.pdf"), &len);
	while (pdf && len > 0 && (pdf[len - 1] == '\n' || pdf[len - 1] == '\r'))
		len--;
	check(pdf && len > 1000 && !memcmp(pdf, "%PDF-", 5) && !memcmp(pdf + len - 5, "%%EOF", 5),
	      "report.pdf is not a whole PDF");
	free(pdf);
	check_finish();
}

/* Links into the directory BIN every program of PATH called as one of the
 * NULL-terminated NAMES. */
static void link_tools(const char *bin, const char *const *names)
{
	const char *p = getenv("PATH");
	char path[400], link[400], *copy, *w, *save;

	for (; *names; names++) {
		copy = p ? strdup(p) : NULL;
		for (w = copy ? strtok_r(copy, ":", &save) : NULL; w; w = strtok_r(NULL, ":", &save)) {
			snprintf(path, sizeof(path), "%s/%s", w, *names);
			if (access(path, X_OK) == 0) {
				snprintf(link, sizeof(link), "%s/%s", bin, *names);
				check(symlink(path, link) == 0, "cannot link %s", link);
				break;
			}
		}
		free(copy);
	}
}

/* Without Chromium on PATH (gnuplot and the tools its scripts call only),
 * --pdf fails saying how to install it, and the report itself is
 * written. */
static void test_pdf_missing(void **state)
{
	static const char *const tools[] = {
		"gnuplot", "sed", "grep", "head", "tail", "cut", "tr", "awk", "sort", "uniq", "wc",
		"nl", "cat", "test", NULL
	};
	const char *d = *state;
	char bin[300], dir[300], path[400], **env;
	struct result r;

	in(bin, sizeof(bin), d, "bin");
	in(dir, sizeof(dir), d, "nopdf");
	assert_int_equal(mkdir(bin, 0755), 0);
	link_tools(bin, tools);
	env = env_with("PATH", bin);
	{
		char *argv[] = { SIM, "report", "-n", "500", "-q", "--pdf", "-o", dir, NULL };

		run_env(argv, env, &r);
	}
	check(!r.timed_out && r.status == 1, "report --pdf without chromium: exit %d\n%s", r.status,
	      text(&r.err));
	check(strstr(text(&r.err), "apt-get install chromium") != NULL,
	      "report --pdf without chromium: stderr does not say how to install it:\n%s",
	      text(&r.err));
	check(exists(in(path, sizeof(path), dir, "report.html")) &&
	      !exists(in(path, sizeof(path), dir, "report.pdf")),
	      "report --pdf without chromium: report.html missing or report.pdf there");
	result_free(&r);
	env_free(env);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dom, check_setup),
		cmocka_unit_test_setup(test_screenshot, check_setup),
		cmocka_unit_test_setup(test_pdf, check_setup),
		cmocka_unit_test_setup(test_pdf_missing, check_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, tmp_teardown);
}

/* test_serve_browser.c - the page of 'sim serve' in headless Chromium:
 * it loads, a control is moved through the DOM (the page's ?test= hook
 * sets a number input and fires its change event), the chart is redrawn
 * with the previous curve faint, the number shown is 'sim run''s with
 * the same value, and one history is told; then a screenshot. A
 * student's page joins in class mode. Skips, saying so, without
 * Chromium ($CHROMIUM, else chromium on the PATH). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <sys/stat.h>

#include "serveutil.h"

#define PATH_US "guarantors.[United States].guarantee.strength"
#define PATH_URL "guarantors.%5BUnited%20States%5D.guarantee.strength"

/* The browser, or NULL. */
static const char *chromium(void)
{
	static const char *const where[] = { "/usr/bin/chromium", "/usr/bin/chromium-browser",
					     "/usr/bin/google-chrome", NULL };
	const char *e = getenv("CHROMIUM");
	int i;

	if (e && *e)
		return access(e, X_OK) == 0 ? e : NULL;
	for (i = 0; where[i]; i++)
		if (access(where[i], X_OK) == 0)
			return where[i];
	return NULL;
}

/* Runs the browser on URL with the option WHAT (--dump-dom or
 * --screenshot=FILE) into R. */
static void browse(const char *dir, const char *what, const char *url, struct result *r)
{
	char profile[600], data[700];
	char *argv[] = { (char *)chromium(), "--headless", "--no-sandbox", "--disable-gpu",
			 "--hide-scrollbars", "--window-size=1280,1100", data,
			 "--virtual-time-budget=15000", (char *)what, (char *)url, NULL };

	snprintf(profile, sizeof(profile), "%s/chrome", dir);
	snprintf(data, sizeof(data), "--user-data-dir=%s", profile);
	run(argv, r);
}

/* The value of attribute ATTR (as 'ATTR="') in TEXT, into OUT. */
static int attribute(const char *text, const char *attr, char *out, size_t size)
{
	const char *p = strstr(text, attr), *e;

	if (!p)
		return -1;
	p += strlen(attr);
	e = strchr(p, '"');
	if (!e || (size_t)(e - p) >= size)
		return -1;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = 0;
	return 0;
}

static void test_page(void **state)
{
	static const char *const args[] = { "-n", "4000", "-j", "1", NULL };
	struct server sv;
	struct result r, rr;
	struct stat st;
	char url[512], p[64], moved[200], shot[600], opt[700];
	json_t *j;
	double want;

	if (!chromium()) {
		printf("[  SKIPPED ] no Chromium (apt-get install chromium, or set $CHROMIUM): the "
		       "page is not tested in a browser\n");
		skip();
	}
	server_start(&sv, *state, args);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/?test=%s=0.85&story=1", sv.port, PATH_URL);
	browse(*state, "--dump-dom", url, &r);
	check(strstr(text(&r.out), "<pre id=\"story-text\" class=\"\">Trial ") != NULL,
	      "the page told one history");
	check(attribute(text(&r.out), "data-moved=\"", moved, sizeof(moved)) == 0 &&
	      !strcmp(moved, PATH_US), "the page moved the control: observed '%s'", moved);
	check(strstr(text(&r.out), "data-ready=\"1\"") != NULL, "the page finished its run");
	check(strstr(text(&r.out), "id=\"prev-line\"") && strstr(text(&r.out), "id=\"cur-line\""),
	      "the chart shows the new curve and the previous one, faint");
	sim(&rr, "run", "-q", "--json", "-n", "4000", "--set", PATH_US "=0.85", NULL);
	j = json_loads(text(&rr.out), 0, NULL);
	want = json_number_value(json_object_get(j, "p_deterred"));
	json_decref(j);
	result_free(&rr);
	check(attribute(text(&r.out), "data-p=\"", p, sizeof(p)) == 0 &&
	      fabs(atof(p) - want) < 1e-9, "the page's p_deterred: observed %s vs expected sim "
	      "run's %.10g", p, want);
	check(strstr(text(&r.out), "change from the previous design: +") != NULL,
	      "the page shows the paired difference");
	result_free(&r);
	/* A screenshot with one history told. */
	in(shot, sizeof(shot), *state, "page.png");
	snprintf(opt, sizeof(opt), "--screenshot=%s", shot);
	browse(*state, opt, url, &r);
	check(stat(shot, &st) == 0 && st.st_size > 20000, "the screenshot %s was written", shot);
	if (getenv("GSIM_SCREENSHOTS")) {
		char *png = slurp(shot, NULL), dst[600];
		size_t n = (size_t)st.st_size;
		FILE *f;

		snprintf(dst, sizeof(dst), "%s/page.png", getenv("GSIM_SCREENSHOTS"));
		if (png && (f = fopen(dst, "wb"))) {
			check(fwrite(png, 1, n, f) == n && fclose(f) == 0, "copied %s", dst);
		}
		free(png);
	}
	result_free(&r);
	check(server_stop(&sv) == 0, "the server stops cleanly");
	check_finish();
}

/* Class mode: a student's page joins (the ?join= hook), shows the
 * class's panel, and the server has the student. */
static void test_student(void **state)
{
	static const char *const args[] = { "--class", "-n", "1000", "-j", "1", NULL };
	struct server sv;
	struct result r;
	struct reply rp;
	char url[512], hdr[160];

	if (!chromium())
		skip();
	server_start(&sv, *state, args);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/?code=%s&join=Eve", sv.port, sv.code);
	browse(*state, "--dump-dom", url, &r);
	check(strstr(text(&r.out), "id=\"student\" class=\"\"") != NULL &&
	      strstr(text(&r.out), "data-ready=\"1\""), "the student's page shows the class's panel "
	      "and ran the scenario");
	result_free(&r);
	snprintf(hdr, sizeof(hdr), "X-Join-Code: %s\r\nX-Teacher-Token: %s\r\n", sv.code, sv.token);
	http(sv.port, "GET", "/api/class", hdr, NULL, &rp);
	check(strstr(text(&rp.body), "\"joined\":1") != NULL, "the server has the student: %s",
	      text(&rp.body));
	reply_free(&rp);
	check(server_stop(&sv) == 0, "the class server stops cleanly");
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_page, check_tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_student, check_tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_serve.c - 'sim serve' over loopback HTTP: every endpoint, bad
 * values (the message and the status), the join code and the teacher's
 * token, the limits (body size, trials, rate, run time, runs at once), a
 * small fuzz of the request parser and of the JSON, and a clean stop on
 * SIGINT. The server runs as a child on a free port; no curl. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <pthread.h>

#include "serveutil.h"

#define PATH_US "guarantors.[United States].guarantee.strength"

static const char *const plain_args[] = { "-n", "4000", "-j", "1", NULL };

/* The JSON of R's body (NULL when it is not JSON). */
static json_t *body_json(const struct reply *r)
{
	return json_loads(text(&r->body), 0, NULL);
}

/* Checks METHOD PATH BODY answers STATUS with MUST in its body. */
static void expect(int port, const char *method, const char *path, const char *headers,
		   const char *body, int status, const char *must)
{
	struct reply r;

	http(port, method, path, headers, body, &r);
	check(r.status == status, "%s %s %.80s: observed status %d vs expected %d (%s)", method,
	      path, body ? body : "", r.status, status, text(&r.body));
	if (must)
		check(strstr(text(&r.body), must) != NULL, "%s %s: observed '%s' vs expected '%s' in it",
		      method, path, text(&r.body), must);
	reply_free(&r);
}

/* p_deterred of 'sim run' with the --set SET (NULL: none), N trials. */
static double sim_run_p(const char *set, const char *n)
{
	struct result r;
	json_t *j;
	double p = NAN;

	if (set)
		sim(&r, "run", "-q", "--json", "-n", n, "--set", set, NULL);
	else
		sim(&r, "run", "-q", "--json", "-n", n, NULL);
	if ((j = json_loads(text(&r.out), 0, NULL)))
		p = json_number_value(json_object_get(j, "p_deterred"));
	json_decref(j);
	result_free(&r);
	return p;
}

static double reply_p(const struct reply *r)
{
	json_t *j = body_json(r);
	double p = json_number_value(json_object_get(json_object_get(json_object_get(j, "figures"),
								     "p_deterred"), "value"));

	json_decref(j);
	return p;
}

static void test_endpoints(void **state)
{
	struct server sv;
	struct reply r;
	json_t *j;
	char *page;
	double p;

	server_start(&sv, *state, plain_args);
	/* The page is web/index.html, embedded. */
	http(sv.port, "GET", "/", NULL, NULL, &r);
	page = slurp("web/index.html", NULL);
	check(r.status == 200 && page && !strcmp(text(&r.body), page),
	      "GET /: observed status %d, %zu bytes vs expected web/index.html", r.status, r.body.n);
	free(page);
	reply_free(&r);
	/* The controls come from the model's keys. */
	http(sv.port, "GET", "/api/keys", NULL, NULL, &r);
	j = body_json(&r);
	check(r.status == 200 && json_array_size(json_object_get(j, "keys")) > 20,
	      "GET /api/keys: observed %d with %zu keys", r.status,
	      json_array_size(json_object_get(j, "keys")));
	check(strstr(text(&r.body), PATH_US) != NULL, "GET /api/keys lists %s", PATH_US);
	json_decref(j);
	reply_free(&r);
	/* A run is sim run's, on the same seed and trials. */
	http(sv.port, "POST", "/api/run", NULL, "{\"set\": {\"" PATH_US "\": 0.8}}", &r);
	p = reply_p(&r);
	check(r.status == 200 && fabs(p - sim_run_p(PATH_US "=0.8", "4000")) < 1e-9,
	      "POST /api/run: observed %g (status %d) vs expected sim run's", p, r.status);
	reply_free(&r);
	/* With a base, the paired difference. */
	http(sv.port, "POST", "/api/run", NULL,
	     "{\"set\": {\"" PATH_US "\": 0.9}, \"base\": {\"" PATH_US "\": 0.2}}", &r);
	j = body_json(&r);
	{
		json_t *d = json_object_get(j, "difference");
		double v = json_number_value(json_object_get(d, "value"));

		check(r.status == 200 && d && v > 0 && json_number_value(json_object_get(d, "lo")) <= v &&
		      json_number_value(json_object_get(d, "hi")) >= v,
		      "POST /api/run with base: observed difference %g (status %d) vs expected > 0 "
		      "inside its interval", v, r.status);
	}
	json_decref(j);
	reply_free(&r);
	/* Bad values: the checker's message, 4xx. */
	expect(sv.port, "POST", "/api/run", NULL, "{\"set\": {\"" PATH_US "\": 1.5}}", 400,
	       "must be in [0, 1], got 1.5");
	expect(sv.port, "POST", "/api/run", NULL, "{\"set\": {\"challenger.forcez\": 1}}", 400,
	       "not a key");
	expect(sv.port, "POST", "/api/run", NULL, "{\"set\": {\"" PATH_US "\": \"@include\"}}", 400,
	       "expected a number");
	expect(sv.port, "POST", "/api/run", NULL, "{\"set\": [1]}", 400, "expected an object");
	expect(sv.port, "POST", "/api/run", NULL, "{\"trials\": 100000000}", 400, "trials:");
	expect(sv.port, "POST", "/api/run", NULL, "{\"set\": ", 400, "not JSON");
	expect(sv.port, "POST", "/api/run", NULL, "[1, 2]", 400, "JSON object");
	expect(sv.port, "POST", "/api/run", NULL, "{\"a\": 1, \"a\": 2}", 400, "not JSON");
	expect(sv.port, "GET", "/etc/passwd", NULL, NULL, 404, "no such page");
	expect(sv.port, "GET", "/api/nothing", NULL, NULL, 404, "no such endpoint");
	expect(sv.port, "PUT", "/api/run", NULL, "{}", 405, "only GET and POST");
	expect(sv.port, "POST", "/api/join", NULL, "{\"name\": \"x\"}", 404, "only in class mode");
	check(server_stop(&sv) == 0, "SIGINT: the server exits 0");
	page = slurp(sv.log, NULL);
	check(page && strstr(page, "stopped after"), "the server says it stopped: %s", page);
	free(page);
	check_finish();
}

/* A history, a design's config, the saved designs. */
static void test_outputs(void **state)
{
	struct server sv;
	struct reply r;
	json_t *j;
	char path[600];
	double p;

	server_start(&sv, *state, plain_args);
	/* One history, as sim trace tells it. */
	http(sv.port, "POST", "/api/trace", NULL, "{\"trial\": 3}", &r);
	j = body_json(&r);
	check(r.status == 200 && !strncmp(json_string_value(json_object_get(j, "text")) ?: "",
					  "Trial 3 of", 10) && json_is_array(json_object_get(j, "events")),
	      "POST /api/trace: observed %d '%.60s'", r.status, text(&r.body));
	json_decref(j);
	reply_free(&r);
	expect(sv.port, "POST", "/api/trace", NULL, "{\"trial\": -1}", 400, "trial:");
	expect(sv.port, "POST", "/api/trace", NULL, "{\"trial\": 4000}", 400, "trial:");
	/* The design as a config sim run accepts. */
	http(sv.port, "POST", "/api/config", NULL, "{\"set\": {\"" PATH_US "\": 0.8}}", &r);
	in(path, sizeof(path), *state, "design.cfg");
	put_file(path, text(&r.body));
	check(r.status == 200 && strstr(text(&r.body), "scenario"), "POST /api/config: %d", r.status);
	reply_free(&r);
	{
		struct result rr;
		json_t *jr;

		sim(&rr, "run", path, "-q", "--json", NULL);
		jr = json_loads(text(&rr.out), 0, NULL);
		p = json_number_value(json_object_get(jr, "p_deterred"));
		check(rr.status == 0 && fabs(p - sim_run_p(PATH_US "=0.8", "4000")) < 1e-9,
		      "sim run of the downloaded config: observed %g (exit %d, %s)", p, rr.status,
		      text(&rr.err));
		json_decref(jr);
		result_free(&rr);
	}
	expect(sv.port, "POST", "/api/config", NULL, "{\"set\": {\"" PATH_US "\": -1}}", 400,
	       "must be in");
	/* Saved designs stay on the server. */
	expect(sv.port, "POST", "/api/designs", NULL,
	       "{\"name\": \"<b>strong</b>\", \"set\": {\"" PATH_US "\": 0.9}}", 200,
	       "\"name\":\"<b>strong</b>\"");
	expect(sv.port, "POST", "/api/designs", NULL, "{\"name\": \"\", \"set\": {}}", 400, "name:");
	expect(sv.port, "GET", "/api/designs", NULL, NULL, 200, "p_deterred");
	check(server_stop(&sv) == 0, "SIGINT: the server exits 0");
	check_finish();
}

/* Joins as NAME, keeping the key the server gives into KEY. */
static void join_as(int port, const char *hdr, const char *name, char *key, size_t size)
{
	char body[128];
	struct reply r;
	json_t *j;

	snprintf(body, sizeof(body), "{\"name\": \"%s\"}", name);
	http(port, "POST", "/api/join", hdr, body, &r);
	j = body_json(&r);
	snprintf(key, size, "%s", json_string_value(json_object_get(j, "key")) ?: "");
	check(r.status == 200 && strlen(key) == 16, "join %s: %d %s", name, r.status, text(&r.body));
	json_decref(j);
	reply_free(&r);
	/* Joining again with the key is the same student. */
	snprintf(body, sizeof(body), "{\"name\": \"%s\", \"key\": \"%s\"}", name, key);
	expect(port, "POST", "/api/join", hdr, body, 200, key);
}

/* Submits design SET with PREDICTION as NAME with KEY, expecting STATUS. */
static void submit_as(int port, const char *hdr, const char *name, const char *key,
		      const char *set, const char *prediction, int status, const char *must)
{
	char body[512];

	snprintf(body, sizeof(body), "{\"name\": \"%s\", \"key\": \"%s\", \"set\": %s, "
		 "\"prediction\": %s}", name, key, set, prediction);
	expect(port, "POST", "/api/submit", hdr, body, status, must);
}

static void test_class(void **state)
{
	static const char *const args[] = { "--class", "-n", "2000", "-j", "1", NULL };
	static const char *const paths[] = { "/api/keys", "/api/designs", "/api/class", NULL };
	struct server sv;
	char code[64], both[160], wrong[64], ada[32], bo[32], url[80];
	struct reply r;
	json_t *j;
	int i;

	server_start(&sv, *state, args);
	check(strlen(sv.code) == 6 && strlen(sv.token) == 24, "class mode prints a code (%s) and "
	      "a token (%s)", sv.code, sv.token);
	snprintf(code, sizeof(code), "X-Join-Code: %s\r\n", sv.code);
	snprintf(wrong, sizeof(wrong), "X-Join-Code: %s\r\n", "ZZZZZZ");
	snprintf(both, sizeof(both), "X-Join-Code: %s\r\nX-Teacher-Token: %s\r\n", sv.code, sv.token);
	/* The page is static; every request of the API needs the code. */
	expect(sv.port, "GET", "/", NULL, NULL, 200, "<html");
	for (i = 0; paths[i]; i++) {
		expect(sv.port, "GET", paths[i], NULL, NULL, 403, "join code");
		expect(sv.port, "GET", paths[i], wrong, NULL, 403, "join code");
	}
	expect(sv.port, "POST", "/api/run", NULL, "{}", 403, "join code");
	expect(sv.port, "POST", "/api/submit", NULL, "{}", 403, "join code");
	expect(sv.port, "GET", "/api/keys", code, NULL, 200, "\"teacher\":false");
	expect(sv.port, "GET", "/api/keys?code=XXXX", NULL, NULL, 403, "join code");
	/* Students join (a key proves the name theirs) and submit. */
	join_as(sv.port, code, "Ada", ada, sizeof(ada));
	join_as(sv.port, code, "Bo", bo, sizeof(bo));
	expect(sv.port, "POST", "/api/join", code, "{\"name\": \"ada\"}", 409, "taken");
	expect(sv.port, "POST", "/api/join", code, "{\"name\": \"a\\u0007b\"}", 400, "control");
	submit_as(sv.port, code, "Ada", ada, "{\"" PATH_US "\": 0.9}", "1.2", 400, "prediction:");
	submit_as(sv.port, code, "Ada", ada, "{\"" PATH_US "\": 7}", "0.5", 400, "must be in");
	submit_as(sv.port, code, "Ada", bo, "{}", "0.5", 404, "not joined");
	submit_as(sv.port, code, "Nobody", ada, "{}", "0.5", 404, "not joined");
	submit_as(sv.port, code, "Ada", ada, "{\"" PATH_US "\": 0.9}", "0.99", 200, "submitted");
	submit_as(sv.port, code, "Bo", bo, "{\"" PATH_US "\": 0.1}", "0.5", 200, "submitted");
	/* A student sees only their own before the reveal, and cannot run. */
	snprintf(url, sizeof(url), "/api/class?key=%s", bo);
	http(sv.port, "GET", url, code, NULL, &r);
	check(r.status == 200 && strstr(text(&r.body), "Bo") && !strstr(text(&r.body), "Ada") &&
	      !strstr(text(&r.body), sv.code), "a student's view: %s", text(&r.body));
	reply_free(&r);
	expect(sv.port, "POST", "/api/class/run", code, "{}", 403, "only the teacher");
	expect(sv.port, "POST", "/api/class/reveal", both, "{}", 409, "run the designs first");
	/* The teacher runs them all and reveals who predicted best. */
	http(sv.port, "POST", "/api/class/run", both, "{}", &r);
	j = body_json(&r);
	check(r.status == 200 && json_array_size(json_object_get(j, "designs")) == 2 &&
	      json_string_value(json_object_get(j, "best")),
	      "the teacher's run: %d %s", r.status, text(&r.body));
	json_decref(j);
	reply_free(&r);
	expect(sv.port, "POST", "/api/class/reveal", both, "{}", 200, "\"revealed\":true");
	http(sv.port, "GET", url, code, NULL, &r);
	check(strstr(text(&r.body), "Ada") && strstr(text(&r.body), "\"best\""),
	      "after the reveal a student sees every result: %s", text(&r.body));
	reply_free(&r);
	submit_as(sv.port, code, "Bo", bo, "{}", "0.5", 409, "closed");
	check(server_stop(&sv) == 0, "SIGINT: the class server exits 0");
	check_finish();
}

static void test_limits(void **state)
{
	static const char *const rate_args[] = { "-n", "1000", "--rate", "2", "-j", "1", NULL };
	static const char *const slow_args[] = { "-n", "1000", "--max-trials", "2000000",
						 "--run-seconds", "0.05", "-j", "1", NULL };
	struct server sv;
	struct reply r;
	char *big;
	int i, refused = 0, ok = 0;

	server_start(&sv, *state, rate_args);
	/* The body is bounded. */
	big = malloc(70001);
	memset(big, ' ', 70000);
	big[0] = '{';
	big[69999] = '}';
	big[70000] = 0;
	expect(sv.port, "POST", "/api/run", NULL, big, 413, "larger than");
	free(big);
	/* A burst from one address: 4 pass, then a clear 429. */
	for (i = 0; i < 12; i++) {
		http(sv.port, "GET", "/api/keys", NULL, NULL, &r);
		refused += r.status == 429 && strstr(text(&r.body), "too many requests");
		ok += r.status == 200;
		reply_free(&r);
	}
	check(refused >= 6 && ok >= 1, "rate limit: observed %d refused, %d served of 12", refused,
	      ok);
	server_stop(&sv);
	/* A run past its time is stopped with a message. */
	server_start(&sv, *state, slow_args);
	expect(sv.port, "POST", "/api/run", NULL, "{\"trials\": 2000000}", 503, "longer than");
	expect(sv.port, "POST", "/api/run", NULL, "{\"trials\": 100}", 200, "p_deterred");
	check(server_stop(&sv) == 0, "the stopped run left the server well");
	check_finish();
}

struct runner {
	int port;
	struct reply r;
};

static void *run_long(void *arg)
{
	struct runner *u = arg;

	http(u->port, "POST", "/api/run", NULL, "{\"trials\": 150000}", &u->r);
	return NULL;
}

/* With --runs 1, of three long runs at once one runs and the others are
 * told the server is busy (after waiting a second for the slot). */
static void test_busy(void **state)
{
	static const char *const args[] = { "configs/ukraine-19-point.cfg", "-n", "1000", "--runs",
					    "1", "--max-trials", "1000000", "-j", "1", NULL };
	struct server sv;
	struct runner u[3];
	pthread_t th[3];
	int i, ok = 0, busy = 0;

	server_start(&sv, *state, args);
	for (i = 0; i < 3; i++) {
		u[i].port = sv.port;
		pthread_create(&th[i], NULL, run_long, &u[i]);
	}
	for (i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		ok += u[i].r.status == 200;
		busy += u[i].r.status == 503 && strstr(text(&u[i].r.body), "busy");
		reply_free(&u[i].r);
	}
	check(ok >= 1 && busy >= 1 && ok + busy == 3, "--runs 1: observed %d run and %d busy of 3",
	      ok, busy);
	check(server_stop(&sv) == 0, "the busy server stops cleanly");
	check_finish();
}

/* A small fuzz: broken request lines and headers, random bytes, and
 * mutations of a valid JSON body; the server answers every one with a
 * status below 500 (or closes), and still serves afterwards. */
static void test_fuzz(void **state)
{
	static const char *const raw[] = {
		"GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
		"POST /api/run HTTP/1.1\r\nContent-Length: -5\r\n\r\n{}",
		"POST /api/run HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n{}",
		"POST /api/run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"GET /%00%ff/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
		"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "", NULL,
	};
	static const char valid[] = "{\"set\": {\"" PATH_US "\": 0.5}, \"trial\": 2, \"trials\": 200}";
	static const char *const urls[] = { "/api/run", "/api/trace", "/api/config", "/api/designs" };
	struct server sv;
	struct reply r;
	char body[sizeof(valid) + 8], hdr[70000];
	unsigned seed = 12345;
	int i, k, bad = 0;

	server_start(&sv, *state, (const char *const[]){ "-n", "500", "--rate", "100000", "-j",
							 "1", NULL });
	for (i = 0; raw[i]; i++) {
		http_raw(sv.port, raw[i], strlen(raw[i]), &r);
		bad += r.status >= 500 && r.status != 505;
		reply_free(&r);
	}
	/* JSON nested far deeper than jansson's parser goes. */
	memset(hdr, '[', 60000);
	hdr[60000] = 0;
	http(sv.port, "POST", "/api/run", NULL, hdr, &r);
	check(r.status == 400, "deeply nested JSON: observed %d vs expected 400", r.status);
	reply_free(&r);
	/* A header far larger than the connection's memory. */
	memset(hdr, 'a', sizeof(hdr) - 1);
	hdr[sizeof(hdr) - 1] = 0;
	memcpy(hdr, "GET / HTTP/1.1\r\nX: ", 19);
	http_raw(sv.port, hdr, strlen(hdr), &r);
	check(r.status == 0 || (r.status >= 400 && r.status < 500), "huge header: %d", r.status);
	reply_free(&r);
	for (i = 0; i < 150; i++) {
		memcpy(body, valid, sizeof(valid));
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			body[(seed >> 8) % (sizeof(valid) - 1)] = (char)(seed >> 20);
		}
		http(sv.port, "POST", urls[i % 4], NULL, body, &r);
		if (r.status == 0 || r.status >= 500)
			bad++, fprintf(stderr, "fuzz: %d for %s\n", r.status, body);
		reply_free(&r);
	}
	check(bad == 0, "fuzz: %d requests failed with 5xx or no reply", bad);
	expect(sv.port, "GET", "/api/keys", NULL, NULL, 200, "keys");
	check(server_stop(&sv) == 0, "after the fuzz the server stops cleanly");
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_endpoints, check_tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_outputs, check_tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_class, check_tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_limits, check_tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_busy, check_tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, check_tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

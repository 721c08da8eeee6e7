/* test_serve_load.c - 40 simulated students at once on loopback: each
 * joins and submits a design with a prediction at the same moment (one
 * thread each); every request must succeed, none be lost (the teacher's
 * list holds all 40, each run), and the 50th and 99th percentile
 * response times are reported. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>

#include "serveutil.h"

#define STUDENTS 40

struct student {
	const struct server *sv;
	int id;
	int status[2];
	double ms[2];
};

static pthread_barrier_t go;

static void *student_main(void *arg)
{
	struct student *s = arg;
	char hdr[64], body[256];
	struct reply r;
	json_t *j;
	double t;

	snprintf(hdr, sizeof(hdr), "X-Join-Code: %s\r\n", s->sv->code);
	pthread_barrier_wait(&go);
	snprintf(body, sizeof(body), "{\"name\": \"student %d\"}", s->id);
	t = now();
	http(s->sv->port, "POST", "/api/join", hdr, body, &r);
	s->ms[0] = 1000 * (now() - t);
	s->status[0] = r.status;
	j = json_loads(text(&r.body), 0, NULL);
	snprintf(body, sizeof(body),
		 "{\"name\": \"student %d\", \"key\": \"%s\", \"prediction\": %g, \"set\": "
		 "{\"guarantors.[United States].guarantee.strength\": %g}}",
		 s->id, json_string_value(json_object_get(j, "key")) ?: "", 0.5 + s->id / 100.0,
		 s->id / 40.0);
	json_decref(j);
	reply_free(&r);
	t = now();
	http(s->sv->port, "POST", "/api/submit", hdr, body, &r);
	s->ms[1] = 1000 * (now() - t);
	s->status[1] = r.status;
	reply_free(&r);
	return NULL;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void test_load(void **state)
{
	static const char *const args[] = { "--class", "-n", "2000", "--rate", "100000", NULL };
	struct student st[STUDENTS];
	pthread_t th[STUDENTS];
	double ms[2 * STUDENTS], t;
	struct server sv;
	struct reply r;
	char hdr[200];
	json_t *j;
	int i, failed = 0, ran = 0;

	server_start(&sv, *state, args);
	pthread_barrier_init(&go, NULL, STUDENTS);
	for (i = 0; i < STUDENTS; i++) {
		st[i] = (struct student){ &sv, i, { 0, 0 }, { 0, 0 } };
		pthread_create(&th[i], NULL, student_main, &st[i]);
	}
	for (i = 0; i < STUDENTS; i++) {
		pthread_join(th[i], NULL);
		failed += (st[i].status[0] != 200) + (st[i].status[1] != 200);
		ms[2 * i] = st[i].ms[0];
		ms[2 * i + 1] = st[i].ms[1];
	}
	pthread_barrier_destroy(&go);
	qsort(ms, 2 * STUDENTS, sizeof(ms[0]), by_value);
	printf("[          ] %d students, %d requests at once: p50 %.1f ms, p99 %.1f ms, "
	       "max %.1f ms, %d failed\n", STUDENTS, 2 * STUDENTS, ms[STUDENTS - 1],
	       ms[(int)(0.99 * (2 * STUDENTS - 1))], ms[2 * STUDENTS - 1], failed);
	check(failed == 0, "load: %d of %d requests failed", failed, 2 * STUDENTS);
	/* None lost: the teacher runs all 40 on the same trials. */
	snprintf(hdr, sizeof(hdr), "X-Join-Code: %s\r\nX-Teacher-Token: %s\r\n", sv.code, sv.token);
	t = now();
	http(sv.port, "POST", "/api/class/run", hdr, "{}", &r);
	j = json_loads(text(&r.body), 0, NULL);
	for (i = 0; i < (int)json_array_size(json_object_get(j, "designs")); i++)
		ran += json_is_object(json_object_get(json_array_get(json_object_get(j, "designs"),
								   (size_t)i), "p_deterred"));
	printf("[          ] the teacher's run of %d designs: %.0f ms\n", ran, 1000 * (now() - t));
	check(r.status == 200 && json_integer_value(json_object_get(j, "submitted")) == STUDENTS &&
	      ran == STUDENTS, "the teacher's list: observed %d submitted, %d run (status %d) vs "
	      "expected %d", (int)json_integer_value(json_object_get(j, "submitted")), ran, r.status,
	      STUDENTS);
	json_decref(j);
	reply_free(&r);
	check(server_stop(&sv) == 0, "the server stops cleanly after the load");
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load, check_tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

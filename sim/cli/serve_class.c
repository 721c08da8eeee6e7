/* serve_class.c - 'sim serve': saved designs and class mode (students
 * join with the code and a name, submit a design and a prediction of
 * p_deterred; the teacher runs them all on the same trials and reveals
 * who predicted best). The state lives here, not in any browser. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "cli/serve.h"

#define KEY_CHARS "abcdefghijkmnpqrstuvwxyz23456789"

int serve_random(char *buf, size_t n, const char *alphabet)
{
	unsigned char r[64];
	size_t i, k = strlen(alphabet);

	if (n > sizeof(r) || getrandom(r, n, 0) != (ssize_t)n)
		return -1;
	for (i = 0; i < n; i++)
		buf[i] = alphabet[r[i] % k];
	buf[n] = 0;
	return 0;
}

/* Whether request J carries the key of student S. */
static int keyed(const json_t *j, const struct serve_student *s)
{
	const char *k = json_string_value(json_object_get(j, "key"));

	return k && s->key[0] && !strcmp(k, s->key);
}

/* Reads member "name" of J: 1 to SERVE_MAX_NAME bytes of printable text
 * (UTF-8 allowed, no control characters). Returns 0, or the status after
 * filling R. */
static int read_name(const json_t *j, char *name, struct serve_reply *r)
{
	const char *s = json_string_value(json_object_get(j, "name"));
	size_t n, i;

	if (!s)
		return serve_fail(r, 400, "name: expected a string");
	n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	while (n > 0 && *s == ' ')
		s++, n--;
	if (n == 0 || n > SERVE_MAX_NAME)
		return serve_fail(r, 400, "name: expected 1 to %d characters", SERVE_MAX_NAME);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return serve_fail(r, 400, "name: no control characters");
	memcpy(name, s, n);
	name[n] = 0;
	return 0;
}

/* The student called NAME, or NULL (call with the lock held). */
static struct serve_student *student(struct serve *sv, const char *name)
{
	int i;

	for (i = 0; i < sv->nstudents; i++)
		if (!strcasecmp(sv->students[i].name, name))
			return &sv->students[i];
	return NULL;
}

static json_t *value_json(const struct serve_value *v)
{
	return v->ok ? json_pack("{s:f,s:f,s:f}", "value", v->p, "lo", v->lo, "hi", v->hi)
		     : json_null();
}

/* POST /api/designs {name, set}: runs and keeps a design; GET lists them. */
static int designs(struct serve *sv, int post, const json_t *req, struct serve_reply *r)
{
	struct serve_saved d;
	json_t *a;
	char err[2048];
	int st, i;

	if (post) {
		memset(&d, 0, sizeof(d));
		if ((st = read_name(req, d.name, r)) || (st = serve_read_set(sv, req, &d.set, r)))
			return st;
		if ((st = serve_p_deterred(sv, &d.set, sv->lim.trials, &d.p, err, sizeof(err))))
			return serve_fail(r, st, "%s", err);
		pthread_mutex_lock(&sv->lock);
		if (sv->nsaved >= SERVE_MAX_SAVED) {
			pthread_mutex_unlock(&sv->lock);
			return serve_fail(r, 409, "at most %d saved designs", SERVE_MAX_SAVED);
		}
		sv->saved[sv->nsaved++] = d;
		pthread_mutex_unlock(&sv->lock);
	}
	a = json_array();
	pthread_mutex_lock(&sv->lock);
	for (i = 0; a && i < sv->nsaved; i++)
		json_array_append_new(a, json_pack("{s:s,s:o,s:o}", "name", sv->saved[i].name, "set",
						   serve_set_json(sv, &sv->saved[i].set), "p_deterred",
						   value_json(&sv->saved[i].p)));
	pthread_mutex_unlock(&sv->lock);
	return serve_json(r, 200, json_pack("{s:o}", "designs", a));
}

/* POST /api/join {name, key?}: a student joins, and gets the key that
 * later proves the name theirs; joining again takes that key. */
static int join(struct serve *sv, const json_t *req, struct serve_reply *r)
{
	char name[SERVE_MAX_NAME + 1], key[17];
	struct serve_student *s;
	int st;

	if ((st = read_name(req, name, r)))
		return st;
	if (serve_random(key, 16, KEY_CHARS) < 0)
		return serve_fail(r, 500, "no random numbers for a key");
	st = 200;
	pthread_mutex_lock(&sv->lock);
	s = student(sv, name);
	if (s && !keyed(req, s))
		st = 409;
	else if (!s && sv->nstudents >= SERVE_MAX_STUDENTS)
		st = 507;
	if (!s && st == 200) {
		s = &sv->students[sv->nstudents++];
		memset(s, 0, sizeof(*s));
		strcpy(s->name, name);
		strcpy(s->key, key);
	}
	if (st == 200)
		strcpy(key, s->key);
	pthread_mutex_unlock(&sv->lock);
	if (st == 409)
		return serve_fail(r, 409, "the name '%s' is taken: choose another", name);
	if (st == 507)
		return serve_fail(r, 409, "the class is full (%d students)", SERVE_MAX_STUDENTS);
	return serve_json(r, 200, json_pack("{s:s,s:s}", "name", name, "key", key));
}

/* POST /api/submit {name, set, prediction}: a student's design, checked
 * by the config checker now so that a bad value comes back at once. */
static int submit(struct serve *sv, const json_t *req, struct serve_reply *r)
{
	char name[SERVE_MAX_NAME + 1], err[2048];
	struct serve_set set;
	struct serve_student *s;
	struct cfg c;
	struct scenario sc;
	json_t *pj = json_object_get(req, "prediction");
	double pred;
	int st;

	if ((st = read_name(req, name, r)) || (st = serve_read_set(sv, req, &set, r)))
		return st;
	if (!json_is_number(pj) || !(json_number_value(pj) >= 0 && json_number_value(pj) <= 1))
		return serve_fail(r, 400, "prediction: expected a probability from 0 to 1");
	pred = json_number_value(pj);
	st = serve_load(sv, &set, 1, &c, &sc, err, sizeof(err));
	if (st == 0)
		scenario_release(&sc);
	cfg_release(&c);
	if (st < 0)
		return serve_fail(r, 400, "%s", err);
	pthread_mutex_lock(&sv->lock);
	s = student(sv, name);
	if (s && !keyed(req, s))
		s = NULL;
	if (s && !sv->revealed) {
		s->submitted = 1;
		s->set = set;
		s->prediction = pred;
		s->p.ok = 0;
		sv->ran = 0;
	}
	st = !s ? 404 : sv->revealed ? 409 : 200;
	pthread_mutex_unlock(&sv->lock);
	if (st == 404)
		return serve_fail(r, 404, "%s has not joined from this browser: POST /api/join "
				  "first", name);
	if (st == 409)
		return serve_fail(r, 409, "the results are out: submissions are closed");
	return serve_json(r, 200, json_pack("{s:s,s:b}", "name", name, "submitted", 1));
}

/* The class as JSON: to the teacher every submission; to a student the
 * count, their own, and the results once revealed. */
static json_t *class_json(struct serve *sv, int teacher, const json_t *req)
{
	json_t *a = json_array(), *o;
	int i, shown = teacher || sv->revealed, best = -1, n = 0;

	for (i = 0; i < sv->nstudents; i++) {
		struct serve_student *s = &sv->students[i];

		if (!s->submitted)
			continue;
		n++;
		if (s->p.ok && (best < 0 || fabs(s->prediction - s->p.p) <
					    fabs(sv->students[best].prediction - sv->students[best].p.p)))
			best = i;
		if (!shown && !keyed(req, s))
			continue;
		o = json_pack("{s:s,s:o,s:f}", "name", s->name, "set", serve_set_json(sv, &s->set),
			      "prediction", s->prediction);
		if (sv->ran && (teacher || sv->revealed)) {
			json_object_set_new(o, "p_deterred", value_json(&s->p));
			if (s->p.ok)
				json_object_set_new(o, "miss", json_real(fabs(s->prediction - s->p.p)));
			if (s->error[0])
				json_object_set_new(o, "error", json_string(s->error));
		}
		json_array_append_new(a, o);
	}
	o = json_pack("{s:i,s:i,s:b,s:b,s:o}", "joined", sv->nstudents, "submitted", n, "ran",
		      sv->ran, "revealed", sv->revealed, "designs", a);
	if (teacher)
		json_object_set_new(o, "code", json_string(sv->code));
	if (sv->ran && (teacher || sv->revealed) && best >= 0)
		json_object_set_new(o, "best", json_string(sv->students[best].name));
	return o;
}

/* POST /api/class/run (the teacher): every submitted design on the same
 * trials (the server's seed: common random numbers). */
static int class_run(struct serve *sv)
{
	struct serve_set set;
	struct serve_value v;
	char err[256];
	int i, n;

	pthread_mutex_lock(&sv->lock);
	n = sv->nstudents;
	pthread_mutex_unlock(&sv->lock);
	for (i = 0; i < n; i++) {
		pthread_mutex_lock(&sv->lock);
		set = sv->students[i].set;
		v.ok = sv->students[i].submitted;
		pthread_mutex_unlock(&sv->lock);
		if (!v.ok)
			continue;
		err[0] = 0;
		if (serve_p_deterred(sv, &set, sv->lim.trials, &v, err, sizeof(err)))
			v.ok = 0;
		pthread_mutex_lock(&sv->lock);
		sv->students[i].p = v;
		snprintf(sv->students[i].error, sizeof(sv->students[i].error), "%s", err);
		pthread_mutex_unlock(&sv->lock);
	}
	pthread_mutex_lock(&sv->lock);
	sv->ran = 1;
	pthread_mutex_unlock(&sv->lock);
	return 0;
}

int serve_class_route(struct serve *sv, const char *method, const char *url,
		      const json_t *req, int teacher, struct serve_reply *r)
{
	int post = !strcmp(method, "POST");
	json_t *o;

	if (!strcmp(url, "/api/designs"))
		return designs(sv, post, req, r);
	if (strcmp(url, "/api/join") && strcmp(url, "/api/submit") && strncmp(url, "/api/class", 10))
		return 0;
	if (!sv->class_mode)
		return serve_fail(r, 404, "%s: only in class mode (sim serve --class)", url);
	if (post && !strcmp(url, "/api/join"))
		return join(sv, req, r);
	if (post && !strcmp(url, "/api/submit"))
		return submit(sv, req, r);
	if (!post && !strcmp(url, "/api/class")) {
		pthread_mutex_lock(&sv->lock);
		o = class_json(sv, teacher, req);
		pthread_mutex_unlock(&sv->lock);
		return serve_json(r, 200, o);
	}
	if (post && (!strcmp(url, "/api/class/run") || !strcmp(url, "/api/class/reveal"))) {
		if (!teacher)
			return serve_fail(r, 403, "only the teacher (the token 'sim serve' printed) "
					  "can run and reveal");
		if (!strcmp(url, "/api/class/run"))
			class_run(sv);
		pthread_mutex_lock(&sv->lock);
		if (!strcmp(url, "/api/class/reveal")) {
			if (!sv->ran) {
				pthread_mutex_unlock(&sv->lock);
				return serve_fail(r, 409, "run the designs first (POST /api/class/run)");
			}
			sv->revealed = 1;
		}
		o = class_json(sv, 1, req);
		pthread_mutex_unlock(&sv->lock);
		return serve_json(r, 200, o);
	}
	return serve_fail(r, 404, "no such endpoint: %s %.100s", method, url);
}

/* serve_run.c - the runs of 'sim serve': a design's scenario through the
 * config checker, its trials on common random numbers, its figures,
 * curve and outcomes as JSON, one trial's story, its resolved config. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/serve.h"
#include "core/paired.h"
#include "core/stats.h"
#include "engine/engine.h"
#include "engine/summary.h"

/* The config checker prints to stderr; its messages are taken from there
 * one load at a time. */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

#define CURVE_POINTS 240	/* points of a curve sent to the page */

double serve_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Keeps the messages of TEXT as the page shows them: each line from
 * "error: " on, at most SIZE - 1 bytes into ERR. */
static void messages(const char *text, char *err, size_t size)
{
	size_t n = 0;
	const char *line = text, *e, *end;

	err[0] = 0;
	while (line && *line && n + 1 < size) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		e = strstr(line, "error: ");
		if (e && e < end)
			line = e + 7;
		n += (size_t)snprintf(err + n, size - n, "%s%.*s", n ? "\n" : "", (int)(end - line),
				      line);
		line = *end ? end + 1 : NULL;
	}
	if (n >= size)
		err[size - 1] = 0;
}

int serve_load(struct serve *sv, const struct serve_set *s, uint64_t trials, struct cfg *c,
		struct scenario *sc, char *err, size_t size)
{
	char arg[1024], num[32], *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len), *old;
	struct diag d = { c, mem, 0 };
	int i, ret = -1;

	memset(sc, 0, sizeof(*sc));
	if (!mem) {
		snprintf(err, size, "out of memory");
		return -1;
	}
	pthread_mutex_lock(&load_lock);
	old = stderr;
	stderr = mem;
	if (cfg_load_string(c, sv->cfg_name, sv->base) == 0) {
		d.cfg = c;
		for (i = 0; i < s->n; i++) {
			snprintf(arg, sizeof(arg), "%s=%s", sv->keys[s->key[i]].path,
				 cfg_format_real(num, s->val[i]));
			cfg_set(c, arg, i + 1, &d);
		}
		if (!d.errors && scenario_load(sc, c, &trials, &sv->seed) == 0)
			ret = 0;
	}
	fflush(mem);
	stderr = old;
	pthread_mutex_unlock(&load_lock);
	if (ret < 0)
		messages(buf && *buf ? buf : "error: the design does not check", err, size);
	fclose(mem);
	free(buf);
	return ret;
}

/* Takes a run slot of SV, waiting up to a second; returns the job whose
 * flag the watchdog sets at the deadline, or NULL when the server is
 * busy. */
static struct serve_job *take_slot(struct serve *sv)
{
	struct timespec until;
	struct serve_job *j = NULL;
	int i;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	pthread_mutex_lock(&sv->lock);
	while (sv->running >= sv->lim.runs)
		if (pthread_cond_timedwait(&sv->freed, &sv->lock, &until) != 0)
			break;
	if (sv->running < sv->lim.runs)
		for (i = 0; i < SERVE_MAX_JOBS && !j; i++)
			if (!sv->jobs[i].used) {
				j = &sv->jobs[i];
				j->used = 1;
				j->stop = 0;
				j->deadline = serve_now() + sv->lim.seconds;
				sv->running++;
			}
	pthread_mutex_unlock(&sv->lock);
	return j;
}

static void give_slot(struct serve *sv, struct serve_job *j)
{
	pthread_mutex_lock(&sv->lock);
	j->used = 0;
	sv->running--;
	pthread_cond_signal(&sv->freed);
	pthread_mutex_unlock(&sv->lock);
}

/* Runs the M scenarios SC on the same trials into T (and P, the pairing
 * of the second with the first when M is 2). Returns 0, or the status
 * after writing the message into ERR. */
static int run_trials(struct serve *sv, const struct scenario *const *sc, int m, struct tally *t,
		      struct pairing *p, char *err, size_t size)
{
	struct serve_job *j = take_slot(sv);
	struct engine_run r = { .s = sc, .m = m, .count = sc[0]->trials, .threads = sv->lim.threads };
	int k, x;

	if (!j) {
		snprintf(err, size, "the server is busy (%d runs at once): try again in a moment",
			 sv->lim.runs);
		return 503;
	}
	r.stop = &j->stop;
	for (k = 0; k < m; k++)
		t[k].sum = NULL;
	x = 0;
	for (k = 0; k < m && x == 0; k++)
		x = engine_tally(&t[k], sc[k]);
	if (x == 0 && m == 2)
		x = pairing_init(&p[1], sc[1], sc[0]);
	if (x == 0)
		x = engine_run(&r, t, m == 2 ? p : NULL);
	give_slot(sv, j);
	if (x == 0)
		return 0;
	if (x > 0)
		snprintf(err, size, "the run took longer than %g s and was stopped: ask for fewer "
			 "trials", sv->lim.seconds);
	else
		snprintf(err, size, "out of memory");
	return x > 0 ? 503 : 500;
}

/* Reads the trials request J asks for (default: the server's). Returns
 * 0, or the 4xx status after filling R. */
static int read_trials(const struct serve *sv, const json_t *j, uint64_t *n,
		       struct serve_reply *r)
{
	json_t *v = json_object_get(j, "trials");

	*n = sv->lim.trials;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    (uint64_t)json_integer_value(v) > sv->lim.max_trials)
		return serve_fail(r, 400, "trials: expected a whole number from 1 to %llu",
				  (unsigned long long)sv->lim.max_trials);
	*n = (uint64_t)json_integer_value(v);
	return 0;
}

static json_t *figure_json(const struct figure *f)
{
	if (!f->defined)
		return json_null();
	return json_pack("{s:f,s:f,s:f}", "value", f->value, "lo", f->has_ci ? f->lo : f->value,
			 "hi", f->has_ci ? f->hi : f->value);
}

/* The figures, curve and outcomes of SC from T, as JSON. */
static json_t *result_json(const struct scenario *sc, const struct tally *t)
{
	const struct model_layout *L = sc->layout;
	size_t nf = summary_count(L), i;
	struct figure *fig = calloc(nf, sizeof(*fig)), f;
	double *s = calloc((size_t)sc->n_steps + 1, sizeof(*s));
	json_t *o = json_object(), *figs = json_object(), *curve = json_array(), *out = json_array();
	long k, stride = sc->n_steps / CURVE_POINTS + 1;

	if (!fig || !s || !o || !figs || !curve || !out) {
		free(fig);
		free(s);
		json_decref(o);
		json_decref(figs);
		json_decref(curve);
		json_decref(out);
		return NULL;
	}
	summary_compute(L, t, sc->dt, fig);
	for (i = 0; i < L->nfigures; i++)
		json_object_set_new(figs, L->figures[i].key, figure_json(&fig[i]));
	summary_curve(L, sc->n_steps, t, s);
	json_array_append_new(curve, json_pack("[f,f]", 0.0, 1.0));
	for (k = 0; k < sc->n_steps; k++)
		if ((k + 1) % stride == 0 || k + 1 == sc->n_steps)
			json_array_append_new(curve, json_pack("[f,f]", (double)(k + 1) * sc->dt, s[k]));
	for (i = 0; i < L->noutcomes; i++) {
		summary_outcome(L, i, t, &f);
		json_array_append_new(out, json_pack("{s:s,s:s,s:i,s:b,s:f}", "key", L->outcomes[i].key,
						     "label", L->outcomes[i].label, "group",
						     L->outcomes[i].group, "hatched",
						     L->outcomes[i].hatched, "value", f.value));
	}
	json_object_set_new(o, "figures", figs);
	json_object_set_new(o, "curve", curve);
	json_object_set_new(o, "outcomes", out);
	json_object_set_new(o, "horizon", json_real(sc->horizon));
	json_object_set_new(o, "trials", json_integer((json_int_t)t->trials));
	json_object_set_new(o, "seed", json_integer((json_int_t)sc->seed));
	free(fig);
	free(s);
	return o;
}

/* The paired difference of p_deterred of scenario 1 from scenario 0, as
 * sim compare forms it, or NULL when it is not paired. */
static json_t *difference_json(const struct scenario *const *sc, const struct tally *t,
			       const struct pairing *p)
{
	int f = summary_find(sc[1]->layout, "p_deterred");
	size_t j;
	double s1, s2, s3, lo, hi, n = (double)t[0].trials;
	uint64_t b, c;

	for (j = 0; j < p->n && f >= 0; j++)
		if (p->fig[j] == (size_t)f)
			break;
	if (f < 0 || j == p->n || n <= 0)
		return NULL;
	s1 = (double)tally_get(&p->t, 3 * j);
	s2 = (double)tally_get(&p->t, 3 * j + 1);
	s3 = (double)tally_get(&p->t, 3 * j + 2);
	if (p->frac[3 * j] == 0 && paired_discordant(s1, s2, t[0].trials, &b, &c))
		paired_score(b, c, t[0].trials, SIM_Z95, &lo, &hi);
	else
		paired_clusters(s1, s2, s3, t[0].trials, t[0].units, SIM_Z95, &lo, &hi);
	if (!isfinite(lo) || !isfinite(hi))
		lo = hi = s1 / n;
	return json_pack("{s:s,s:f,s:f,s:f}", "figure", "p_deterred", "value", s1 / n + 0.0, "lo",
			 lo, "hi", hi);
}

int serve_run(struct serve *sv, const json_t *req, struct serve_reply *r)
{
	struct serve_set s[2];
	struct cfg c[2];
	struct scenario sc[2];
	const struct scenario *sp[2] = { &sc[0], &sc[1] };
	struct tally t[2];
	struct pairing p[2];
	uint64_t n;
	char err[2048];
	int m = json_object_get(req, "base") ? 2 : 1, k, st, loaded = 0;
	double t0 = serve_now();
	json_t *o = NULL, *d;

	memset(p, 0, sizeof(p));
	if ((st = read_trials(sv, req, &n, r)) || (st = serve_read_set(sv, req, &s[m - 1], r)))
		return st;
	if (m == 2) {
		json_t *b = json_pack("{s:O}", "set", json_object_get(req, "base"));

		st = serve_read_set(sv, b, &s[0], r);
		json_decref(b);
		if (st)
			return st;
	}
	for (k = 0; k < m; k++, loaded++)
		if (serve_load(sv, &s[k], n, &c[k], &sc[k], err, sizeof(err)) < 0) {
			cfg_release(&c[k]);
			st = serve_fail(r, 400, "%s", err);
			goto done;
		}
	if (m == 2 && sc[0].model != sc[1].model) {
		st = serve_fail(r, 400, "the two designs run different models");
		goto done;
	}
	st = run_trials(sv, sp, m, t, p, err, sizeof(err));
	if (st) {
		serve_fail(r, st, "%s", err);
	} else if (!(o = result_json(&sc[m - 1], &t[m - 1]))) {
		st = serve_fail(r, 500, "out of memory");
	} else {
		if (m == 2 && (d = difference_json(sp, t, &p[1])))
			json_object_set_new(o, "difference", d);
		json_object_set_new(o, "ms", json_real(1000 * (serve_now() - t0)));
		st = serve_json(r, 200, o);
	}
	for (k = 0; k < m; k++)
		tally_release(&t[k]);
	if (m == 2)
		pairing_release(&p[1]);
done:
	for (k = 0; k < loaded; k++) {
		scenario_release(&sc[k]);
		cfg_release(&c[k]);
	}
	return st;
}

int serve_p_deterred(struct serve *sv, const struct serve_set *s, uint64_t trials,
		     struct serve_value *v, char *err, size_t size)
{
	struct cfg c;
	struct scenario sc;
	const struct scenario *sp = &sc;
	struct tally t;
	struct figure f;
	int st, k;

	v->ok = 0;
	if (serve_load(sv, s, trials, &c, &sc, err, size) < 0) {
		cfg_release(&c);
		return 400;
	}
	st = run_trials(sv, &sp, 1, &t, NULL, err, size);
	if (st == 0 && (k = summary_find(sc.layout, "p_deterred")) >= 0) {
		summary_figure(sc.layout, (size_t)k, &t, sc.dt, &f);
		*v = (struct serve_value){ 1, f.value, f.has_ci ? f.lo : f.value,
					   f.has_ci ? f.hi : f.value };
	}
	if (st == 0 && !v->ok)
		snprintf(err, size, "the model reports no p_deterred");
	tally_release(&t);
	scenario_release(&sc);
	cfg_release(&c);
	return st ? st : v->ok ? 0 : 400;
}

int serve_config(struct serve *sv, const json_t *req, struct serve_reply *r)
{
	struct serve_set s;
	struct cfg c;
	struct scenario sc;
	char err[2048], *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int st, w;

	if ((st = serve_read_set(sv, req, &s, r)))
		return st;
	if (serve_load(sv, &s, sv->lim.trials, &c, &sc, err, sizeof(err)) < 0) {
		cfg_release(&c);
		return serve_fail(r, 400, "%s", err);
	}
	mem = open_memstream(&buf, &len);
	w = mem ? cfg_write(mem, &c.lc) : -1;
	if (mem && fclose(mem) != 0)
		w = -1;
	scenario_release(&sc);
	cfg_release(&c);
	if (w < 0) {
		free(buf);
		return serve_fail(r, 500, "could not write the config");
	}
	r->status = 200;
	r->type = "text/plain; charset=utf-8";
	r->body = buf;
	r->len = len;
	r->filename = "design.cfg";
	return 200;
}

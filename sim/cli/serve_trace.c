/* serve_trace.c - 'sim serve': one trial's history, told as 'sim trace'
 * tells it (the model's story, or its columns year by year), with its
 * events for marking on the curve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/serve.h"

#define TRACE_EVENTS 500	/* events sent at most */

struct teller {
	const struct scenario *sc;
	FILE *f;
	void *story;
	json_t *events;
	size_t nvalues;
};

/* One value of field FD of a traced event, into BUF. */
static void field_text(const struct teller *tl, const struct model_field *fd, double v,
		       char *buf, size_t size)
{
	const struct model_layout *L = tl->sc->layout;
	size_t n = 0;
	int a;

	switch (fd->type) {
	case MODEL_FIELD_ACTOR:
		snprintf(buf, size, "%s", v >= 0 && v < L->nactors ? L->actor_names[(int)v] : "?");
		break;
	case MODEL_FIELD_INT:
		snprintf(buf, size, "%d", (int)v);
		break;
	case MODEL_FIELD_ACTORS:
		buf[0] = 0;
		for (a = 0; a < L->nactors && n + 2 < size; a++)
			n += (size_t)snprintf(buf + n, size - n, "%s%d", a ? "," : "",
					      (int)((unsigned long)v >> a & 1));
		break;
	case MODEL_FIELD_CHOICE:
		snprintf(buf, size, "%s", fd->choices[(int)v]);
		break;
	default:
		snprintf(buf, size, "%.6g", v);
	}
}

static void on_step(void *ctx, const struct model_trace_step *s)
{
	struct teller *tl = ctx;
	size_t i;

	if (tl->story) {
		tl->sc->model->story->step(tl->story, s);
		return;
	}
	if (s->k % tl->sc->steps_per_year && s->k + 1 != tl->sc->n_steps)
		return;
	fprintf(tl->f, "%8.2f", s->t);
	for (i = 0; i < tl->nvalues; i++)
		fprintf(tl->f, " %12.6g", s->values[i]);
	fputc('\n', tl->f);
}

static void on_event(void *ctx, const struct model_trace_event *e)
{
	struct teller *tl = ctx;
	const struct model_event *ev = &tl->sc->layout->events[e->kind];
	char text[512], v[128];
	size_t i, n;

	n = (size_t)snprintf(text, sizeof(text), "%s in year %.2f:", ev->name, e->t);
	for (i = 0; i < ev->nfields && n < sizeof(text); i++) {
		field_text(tl, &ev->fields[i], e->values[i], v, sizeof(v));
		n += (size_t)snprintf(text + n, sizeof(text) - n, " %s %s", ev->fields[i].name, v);
	}
	if (json_array_size(tl->events) < TRACE_EVENTS)
		json_array_append_new(tl->events, json_pack("{s:f,s:s,s:s}", "t", e->t, "name",
							    ev->name, "text", text));
	if (tl->story)
		tl->sc->model->story->event(tl->story, e);
	else
		fprintf(tl->f, "  %s\n", text);
}

/* The header of a trace without a story: what each column means. */
static void columns(struct teller *tl)
{
	const struct model_layout *L = tl->sc->layout;
	size_t i;
	int a;

	for (i = 0; i < L->ncolumns; i++) {
		fprintf(tl->f, "%s: %s%s.\n", L->columns[i].name, L->columns[i].meaning,
			L->columns[i].per_actor ? " (one per actor)" : "");
		tl->nvalues += L->columns[i].per_actor ? (size_t)L->nactors : 1;
	}
	fprintf(tl->f, "\n%8s", "year");
	for (i = 0; i < L->ncolumns; i++) {
		if (!L->columns[i].per_actor) {
			fprintf(tl->f, " %12.12s", L->columns[i].name);
			continue;
		}
		for (a = 0; a < L->nactors; a++) {
			char name[64];

			snprintf(name, sizeof(name), "%s_%d", L->columns[i].name, a + 1);
			fprintf(tl->f, " %12.12s", name);
		}
	}
	fputc('\n', tl->f);
}

/* Tells trial K of SC into TL; returns 0 or -1 when out of memory. */
static int tell(struct teller *tl, uint64_t k)
{
	const struct scenario *sc = tl->sc;
	const model_type *m = sc->model;
	struct model_trace_sink sink = { tl, on_step, on_event };
	void *w = m->work_alloc(sc->instance, sc->rng, NULL);
	void *rec = calloc(1, sc->layout->record_size + 1);

	if (!w || !rec) {
		if (w)
			m->work_free(w);
		free(rec);
		return -1;
	}
	fprintf(tl->f, "Trial %llu of '%s' (seed %llu), a line a year.\n", (unsigned long long)k,
		sc->name, (unsigned long long)sc->seed);
	if (m->story)
		tl->story = m->story->begin(sc->instance, tl->f, sc->steps_per_year);
	else
		columns(tl);
	m->trace(sc->instance, w, sc->seed, k, &sink, rec);
	if (tl->story)
		m->story->end(tl->story, rec);
	m->work_free(w);
	free(rec);
	return 0;
}

int serve_trace(struct serve *sv, const json_t *req, struct serve_reply *r)
{
	struct serve_set s;
	struct cfg c;
	struct scenario sc;
	char err[2048], *buf = NULL;
	size_t len = 0;
	json_t *jt = json_object_get(req, "trial");
	struct teller tl;
	int st, x;
	uint64_t k;


	if ((st = serve_read_set(sv, req, &s, r)))
		return st;
	if (!json_is_integer(jt) || json_integer_value(jt) < 0 ||
	    (uint64_t)json_integer_value(jt) >= sv->lim.trials)
		return serve_fail(r, 400, "trial: expected a whole number from 0 to %llu",
				  (unsigned long long)sv->lim.trials - 1);
	k = (uint64_t)json_integer_value(jt);
	if (serve_load(sv, &s, sv->lim.trials, &c, &sc, err, sizeof(err)) < 0) {
		cfg_release(&c);
		return serve_fail(r, 400, "%s", err);
	}
	memset(&tl, 0, sizeof(tl));
	tl.sc = &sc;
	tl.events = json_array();
	tl.f = open_memstream(&buf, &len);
	x = tl.f && tl.events ? tell(&tl, k) : -1;
	if (tl.f && fclose(tl.f) != 0)
		x = -1;
	scenario_release(&sc);
	cfg_release(&c);
	if (x < 0) {
		json_decref(tl.events);
		free(buf);
		return serve_fail(r, 500, "out of memory");
	}
	st = serve_json(r, 200, json_pack("{s:I,s:s,s:o}", "trial", (json_int_t)k, "text",
					  buf ? buf : "", "events", tl.events));
	free(buf);
	return st;
}

/* serve_http.c - 'sim serve': the HTTP side (libmicrohttpd): bounded
 * request bodies, a rate limit per client address, the join code, the
 * routes, and replies in JSON. */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <microhttpd.h>

#include "cli/serve.h"

/* The page, web/index.html, embedded by scripts/embed.sh at build time. */
extern const struct embedded {
	const char *name;
	const char *text;
} serve_pages[];

const char *serve_page_text(void)
{
	return serve_pages[0].text;
}

/* What a connection accumulates of its request's body. */
struct request {
	char *body;
	size_t len;
	int too_big;
};

int serve_fail(struct serve_reply *r, int status, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return serve_json(r, status, json_pack("{s:s,s:i}", "error", msg, "status", status));
}

int serve_json(struct serve_reply *r, int status, json_t *j)
{
	r->body = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(j);
	r->type = "application/json";
	r->status = r->body ? status : 500;
	r->len = r->body ? strlen(r->body) : 0;
	return r->status;
}

/* The index of the key called PATH, or -1. */
static int key_index(const struct serve *sv, const char *path)
{
	long i;

	for (i = 0; i < sv->nkeys; i++)
		if (!strcmp(sv->keys[i].path, path))
			return (int)i;
	return -1;
}

int serve_read_set(const struct serve *sv, const json_t *j, struct serve_set *s,
		   struct serve_reply *r)
{
	json_t *set = json_object_get(j, "set"), *v;
	const char *path;
	int k;

	s->n = 0;
	if (!set)
		return 0;
	if (!json_is_object(set))
		return serve_fail(r, 400, "set: expected an object of {\"PATH\": number}");
	if (json_object_size(set) > SERVE_MAX_SET)
		return serve_fail(r, 413, "set: at most %d values in a design", SERVE_MAX_SET);
	json_object_foreach(set, path, v) {
		if ((k = key_index(sv, path)) < 0)
			return serve_fail(r, 400, "%.200s: not a key of this scenario's controls "
					  "(GET /api/keys lists them)", path);
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return serve_fail(r, 400, "%.200s: expected a number", path);
		s->key[s->n] = k;
		s->val[s->n++] = json_number_value(v);
	}
	return 0;
}

json_t *serve_set_json(const struct serve *sv, const struct serve_set *s)
{
	json_t *o = json_object();
	int i;

	for (i = 0; o && i < s->n; i++)
		json_object_set_new(o, sv->keys[s->key[i]].path, json_real(s->val[i]));
	return o;
}

/* GET /api/keys: the scenario and its controls. */
static int keys_route(struct serve *sv, int teacher, struct serve_reply *r)
{
	json_t *o, *a = json_array();
	long i;

	for (i = 0; a && i < sv->nkeys; i++) {
		const struct model_key *k = &sv->keys[i];

		json_array_append_new(a, json_pack("{s:s,s:f,s:f,s:b,s:b,s:f,s:b,s:s}", "path", k->path,
						   "lo", isfinite(k->lo) ? k->lo : -1e300, "hi",
						   isfinite(k->hi) ? k->hi : 1e300, "lo_open",
						   (k->flags & CFG_LO_OPEN) != 0, "hi_open",
						   (k->flags & CFG_HI_OPEN) != 0, "value", k->value,
						   "drawn", k->drawn, "help", k->help ? k->help : ""));
	}
	o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:b,s:b,s:o}", "scenario", sv->scenario, "model",
		      sv->model, "seed", (json_int_t)sv->seed, "trials", (json_int_t)sv->lim.trials,
		      "max_trials", (json_int_t)sv->lim.max_trials, "class", sv->class_mode,
		      "teacher", teacher, "keys", a);
	return serve_json(r, 200, o);
}

/* Whether the client at ADDR may make another request now: a bucket of
 * 2 x rate requests refilled at rate per second, per address. */
static int admit(struct serve *sv, const struct sockaddr *addr)
{
	unsigned char key[16] = { 0 };
	double now = serve_now();
	struct serve_client *c = NULL, *old = NULL;
	int i, ok;

	if (addr && addr->sa_family == AF_INET)
		memcpy(key, &((const struct sockaddr_in *)addr)->sin_addr, 4);
	else if (addr && addr->sa_family == AF_INET6)
		memcpy(key, &((const struct sockaddr_in6 *)addr)->sin6_addr, 16);
	pthread_mutex_lock(&sv->lock);
	for (i = 0; i < SERVE_CLIENTS && !c; i++) {
		if (sv->clients[i].used && !memcmp(sv->clients[i].addr, key, 16))
			c = &sv->clients[i];
		else if (!sv->clients[i].used ? !old || old->used
					      : !old || (old->used && sv->clients[i].last < old->last))
			old = &sv->clients[i];
	}
	if (!c) {
		c = old;
		memcpy(c->addr, key, 16);
		c->used = 1;
		c->tokens = 2 * sv->lim.rate;
		c->last = now;
	}
	c->tokens += (now - c->last) * sv->lim.rate;
	if (c->tokens > 2 * sv->lim.rate)
		c->tokens = 2 * sv->lim.rate;
	c->last = now;
	ok = c->tokens >= 1;
	if (ok)
		c->tokens -= 1;
	pthread_mutex_unlock(&sv->lock);
	return ok;
}

/* Whether the request carries CODE (header X-Join-Code or ?code=). */
static int has_value(struct MHD_Connection *con, const char *header, const char *arg,
		     const char *want)
{
	const char *v = MHD_lookup_connection_value(con, MHD_HEADER_KIND, header);

	if (!v)
		v = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, arg);
	return v && *want && strlen(v) == strlen(want) && !strcasecmp(v, want);
}

/* Answers METHOD URL with body REQ (NULL for none) into R. */
static int route(struct serve *sv, struct MHD_Connection *con, const char *method,
		 const char *url, const json_t *req, struct serve_reply *r)
{
	int post = !strcmp(method, "POST"), get = !strcmp(method, "GET"), teacher = 0, st;

	if (get && (!strcmp(url, "/") || !strcmp(url, "/index.html"))) {
		r->status = 200;
		r->type = "text/html; charset=utf-8";
		r->body = strdup(serve_page_text());
		r->len = r->body ? strlen(r->body) : 0;
		return r->body ? 200 : serve_fail(r, 500, "out of memory");
	}
	if (strncmp(url, "/api/", 5))
		return serve_fail(r, 404, "no such page: %.100s", url);
	if (sv->class_mode) {
		if (!has_value(con, "X-Join-Code", "code", sv->code))
			return serve_fail(r, 403, "class mode: this request needs the class's join "
					  "code (header X-Join-Code or ?code=)");
		teacher = has_value(con, "X-Teacher-Token", "teacher", sv->token);
	} else {
		teacher = 1;
	}
	if (!get && !post)
		return serve_fail(r, 405, "%s: only GET and POST", method);
	if (get && !strcmp(url, "/api/keys"))
		return keys_route(sv, teacher, r);
	if (post && !strcmp(url, "/api/run"))
		return serve_run(sv, req, r);
	if (post && !strcmp(url, "/api/trace"))
		return serve_trace(sv, req, r);
	if (post && !strcmp(url, "/api/config"))
		return serve_config(sv, req, r);
	if (get) {
		/* A GET's one argument, the student asking (by their key). */
		const char *me = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "key");
		json_t *q = json_pack("{s:s?}", "key", me);

		st = serve_class_route(sv, method, url, q, teacher, r);
		json_decref(q);
	} else {
		st = serve_class_route(sv, method, url, req, teacher, r);
	}
	if (st)
		return st;
	return serve_fail(r, 404, "no such endpoint: %s %.100s", method, url);
}

/* Queues reply R on CON and frees its body. */
static enum MHD_Result answer(struct MHD_Connection *con, struct serve_reply *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char disp[128];

	resp = MHD_create_response_from_buffer(r->len, r->body ? r->body : (void *)"",
					       MHD_RESPMEM_MUST_COPY);
	free(r->body);
	r->body = NULL;
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", r->type ? r->type : "text/plain");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; script-src 'self' 'unsafe-inline'; "
				"style-src 'self' 'unsafe-inline'; img-src 'self' data:");
	if (r->status == 503)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (r->filename) {
		snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", r->filename);
		MHD_add_response_header(resp, "Content-Disposition", disp);
	}
	ret = MHD_queue_response(con, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Parses the body of Q as a JSON object into *J (NULL for an empty
 * body). Returns 0, or the status after filling R. */
static int parse_body(const struct request *q, json_t **j, struct serve_reply *r)
{
	json_error_t e;

	*j = NULL;
	if (q->len == 0)
		return 0;
	*j = json_loadb(q->body, q->len, JSON_REJECT_DUPLICATES, &e);
	if (!*j)
		return serve_fail(r, 400, "the request is not JSON: %s (at byte %d)", e.text,
				  e.position);
	if (!json_is_object(*j)) {
		json_decref(*j);
		*j = NULL;
		return serve_fail(r, 400, "the request must be a JSON object");
	}
	return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *con, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *size, void **con_cls)
{
	struct serve *sv = cls;
	struct request *q = *con_cls;
	struct serve_reply r = { 0, NULL, NULL, 0, NULL };
	const union MHD_ConnectionInfo *ci;
	json_t *j = NULL;
	enum MHD_Result ret;

	(void)version;
	if (!q) {
		if (!(q = calloc(1, sizeof(*q))))
			return MHD_NO;
		*con_cls = q;
		return MHD_YES;
	}
	if (*size) {
		if (!q->too_big && q->len + *size <= SERVE_BODY_MAX) {
			char *b = realloc(q->body, q->len + *size + 1);

			if (!b)
				return MHD_NO;
			memcpy(b + q->len, data, *size);
			q->body = b;
			q->len += *size;
		} else {
			q->too_big = 1;
		}
		*size = 0;
		return MHD_YES;
	}
	ci = MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	pthread_mutex_lock(&sv->lock);
	sv->requests++;
	pthread_mutex_unlock(&sv->lock);
	if (!admit(sv, ci ? ci->client_addr : NULL))
		serve_fail(&r, 429, "too many requests from your address (at most %g a second): "
			   "wait a moment", sv->lim.rate);
	else if (q->too_big)
		serve_fail(&r, 413, "the request is larger than %d bytes", SERVE_BODY_MAX);
	else if (parse_body(q, &j, &r) == 0)
		route(sv, con, method, url, j, &r);
	json_decref(j);
	if (r.status >= 400) {
		pthread_mutex_lock(&sv->lock);
		sv->errors++;
		pthread_mutex_unlock(&sv->lock);
	}
	ret = answer(con, &r);
	return ret;
}

/* Frees what a connection accumulated. */
static void completed(void *cls, struct MHD_Connection *con, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct request *q = *con_cls;

	(void)cls;
	(void)con;
	(void)toe;
	if (q) {
		free(q->body);
		free(q);
		*con_cls = NULL;
	}
}

struct MHD_Daemon *serve_http_start(struct serve *sv, const char *addr, int port)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "sim: error: --listen: '%s' is not an IPv4 address\n", addr);
		return NULL;
	}
	/* No MHD_USE_ERROR_LOG: stderr belongs to the config checker while it
	 * checks a design (serve_load()). */
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
			     (uint16_t)port, NULL, NULL, handle, sv, MHD_OPTION_SOCK_ADDR, &sa,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)64,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)15,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
			     MHD_OPTION_END);
	if (!d)
		fprintf(stderr, "sim: error: cannot listen on %s:%d (in use, or not this "
			"machine's address)\n", addr, port);
	return d;
}

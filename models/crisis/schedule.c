/* schedule.c - the crisis model's changes on a date: the config's list
 * "schedule" of { at; path; value; }, each path resolved to a parameter
 * slot and each value checked against that key's range. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "models/crisis/crisis.h"

/* The most characters of a path. */
#define PATH_MAX_LEN 512

/* Returns the field of TABLE called KEY, or NULL. */
static const struct cfg_field *find_field(const struct cfg_field *table, const char *key)
{
	for (; table->key; table++)
		if (!strcmp(table->key, key))
			return table;
	return NULL;
}

/* Splits PATH (a copy in BUF) at dots outside brackets into SEG; a
 * bracketed segment "[X]" keeps its brackets. Returns the number of
 * segments, or -1 when malformed or longer than MAX. */
static int split(char *buf, char **seg, int max)
{
	int n = 0;
	char *p = buf;

	while (*p) {
		if (n == max)
			return -1;
		seg[n++] = p;
		if (*p == '[') {
			char *e = strchr(p, ']');

			if (!e)
				return -1;
			p = e + 1;
		} else {
			p += strcspn(p, ".[");
		}
		if (*p == '[')
			continue;
		if (*p == '.') {
			*p++ = '\0';
			if (!*p)
				return -1;	/* a trailing dot */
		} else if (*p) {
			return -1;
		}
		if (!*seg[n - 1])
			return -1;
	}
	return n;
}

/* The guarantor named by segment SEG ("[N]", "[NAME]" or NAME), or -1. */
static int find_guarantor(const struct crisis *m, char *seg)
{
	size_t len = strlen(seg);
	char *end;
	long k;
	int g;

	if (seg[0] == '[' && seg[len - 1] == ']') {
		seg[len - 1] = '\0';
		seg++;
		k = strtol(seg, &end, 10);
		if (*seg >= '0' && *seg <= '9' && !*end)
			return k >= 0 && k < m->ng ? (int)k : -1;
	}
	for (g = 0; g < m->ng; g++)
		if (m->names[g] && !strcasecmp(m->names[g], seg))
			return g;
	return -1;
}

/* Resolves PATH to a slot and its field, or reports why not (at S) and
 * returns -1. */
static int resolve(struct diag *d, const config_setting_t *s, const char *where,
		   const struct crisis *m, const char *path,
		   const struct cfg_field *const *tables, const struct cfg_field **field)
{
	char buf[PATH_MAX_LEN + 1], *seg[8];
	int n, g, i, base = 0, t = -1;
	unsigned flag = 0;
	const char *key;

	if (strlen(path) > PATH_MAX_LEN || (n = split(strcpy(buf, path), seg, 8)) < 2) {
		diag_error(d, s, where, "'%.64s' is not a path to a key (such as "
			   "\"guarantors.[NAME].guarantee.strength\")", path);
		return -1;
	}
	if (!strcmp(seg[0], "challenger") && n == 2)
		t = 0;
	else if (!strcmp(seg[0], "target") && n == 2)
		t = 1;
	else if (!strcmp(seg[0], "guarantors") && n >= 3) {
		if ((g = find_guarantor(m, seg[1])) < 0) {
			diag_error(d, s, where, "'%.64s' names no guarantor of this config", path);
			return -1;
		}
		base = GS(g, 0);
		if (n == 3)
			t = 2;
		else if (!strcmp(seg[2], "guarantee") && n == 4)
			t = 3;
		else if (!strcmp(seg[2], "guarantee") && n == 5) {
			for (i = 0; (key = cr_mech_key(i, &flag)); i++)
				if (!strcmp(key, seg[3]))
					break;
			if (key && !(m->mech[g] & flag)) {
				diag_error(d, s, where, "guarantor '%s' has no %s group to change; add "
					   "one (its value at the start) to the guarantee", m->names[g], key);
				return -1;
			}
			t = key ? 4 + i : -1;
		}
	}
	if (t < 0 || !(*field = find_field(tables[t], seg[n - 1]))) {
		diag_error(d, s, where, "'%.64s' is not a numeric key of the crisis model", path);
		return -1;
	}
	return base + (*field)->slot;
}

/* Whether V is allowed by field F's range. */
static int in_range(const struct cfg_field *f, double v)
{
	if (!(v >= f->lo && v <= f->hi))
		return 0;
	if ((f->flags & CFG_LO_OPEN) && v == f->lo)
		return 0;
	return !((f->flags & CFG_HI_OPEN) && v == f->hi);
}

/* Reads the number KEY of entry E (at WHERE) into *V. */
static int number(struct diag *d, config_setting_t *e, const char *where, const char *key,
		  double *v)
{
	config_setting_t *x = config_setting_get_member(e, key);
	char p[96];

	snprintf(p, sizeof(p), "%s.%s", where, key);
	if (!x) {
		diag_error(d, e, p, "required (every change has at, path and value)");
		return -1;
	}
	switch (config_setting_type(x)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
	case CONFIG_TYPE_FLOAT:
		*v = config_setting_get_float(x);
		if (config_setting_type(x) != CONFIG_TYPE_FLOAT)
			*v = (double)config_setting_get_int64(x);
		if (isfinite(*v))
			return 0;
		break;
	default:
		break;
	}
	diag_error(d, x, p, "must be a finite number");
	return -1;
}

static const char *const entry_keys[] = { "at", "path", "value", NULL };

/* Checks rules that a change of SLOT to V could break, as the config's
 * own checks would at t = 0. */
static void check_change(struct diag *d, const config_setting_t *s, const char *where,
			 const struct crisis *m, int slot, double v)
{
	int g = slot >= N_BASE ? (slot - N_BASE) / N_G : -1;
	double lo, hi;
	char a[32], b[32];

	if (slot == C_GROWTH && v > 0 && !m->present[C_MAX])
		diag_error(d, s, where, "growth_rate > 0 needs challenger.max_forces");
	if (slot == T_DEMOB && v > 0 && !m->has_level)
		diag_error(d, s, where, "demobilization_rate > 0 needs target.troop_cap or "
			   "sustainable_troops");
	if (slot == C_FORCES && m->present[C_MAX]) {
		dist_support(&m->p[C_MAX], &lo, &hi);
		if (v > lo)
			diag_error(d, s, where, "must be at most challenger.max_forces (%s), got %s",
				   cfg_format_real(a, lo), cfg_format_real(b, v));
	}
	if (slot == C_RATE && v * m->dt > CR_MAX_STEP_RATE)
		diag_error(d, s, where, "must be at most %g crises a step (%s a year at this step "
			   "size), got %s", CR_MAX_STEP_RATE, cfg_format_real(a, CR_MAX_STEP_RATE / m->dt),
			   cfg_format_real(b, v));
	if (g >= 0 && slot == GS(g, G_EL_INTERVAL) && v != 0 &&
	    v < m->dt / CR_MAX_ELECTIONS_PER_STEP) {
		snprintf(a, sizeof(a), "%.6g", m->dt / CR_MAX_ELECTIONS_PER_STEP);
		diag_error(d, s, where, "must be 0 (no elections) or at least %s years (%d elections "
			   "a step at most), got %s", a, CR_MAX_ELECTIONS_PER_STEP,
			   cfg_format_real(b, v));
	}
}

static void read_entry(struct diag *d, config_setting_t *e, int i, struct crisis *m,
		       const struct cfg_field *const *tables)
{
	char where[48], p[64], a[64], b[32], v[32];
	const struct cfg_field *f;
	struct cr_change c;
	const char *path;
	double last = (double)(m->n_steps - 1) * m->dt;
	int j;

	snprintf(where, sizeof(where), "schedule.[%d]", i);
	if (!config_setting_is_group(e)) {
		diag_error(d, e, where, "must be a group { at = ...; path = \"...\"; value = ...; }");
		return;
	}
	cfg_check_keys(d, e, where, NULL, entry_keys);
	if (number(d, e, where, "at", &c.at) < 0 || number(d, e, where, "value", &c.value) < 0 ||
	    !(path = cfg_string(d, e, where, "path", NULL, 1)))
		return;
	snprintf(p, sizeof(p), "%s.at", where);
	if (!(c.at > 0) || c.at > last + m->tol) {
		diag_error(d, config_setting_get_member(e, "at"), p,
			   "must be after 0 and at most the start of the last step (%s years), got %s",
			   cfg_format_real(a, last), cfg_format_real(b, c.at));
		return;
	}
	c.entry = i;
	snprintf(p, sizeof(p), "%s.path", where);
	if ((c.slot = resolve(d, config_setting_get_member(e, "path"), p, m, path, tables, &f)) < 0)
		return;
	snprintf(p, sizeof(p), "%s.value", where);
	if (!in_range(f, c.value)) {
		diag_error(d, config_setting_get_member(e, "value"), p, "must be %s for %s, got %s",
			   cfg_range_text(a, sizeof(a), f), path, cfg_format_real(v, c.value));
		return;
	}
	check_change(d, config_setting_get_member(e, "value"), p, m, c.slot, c.value);
	/* Insert in order of time; equal times keep the config's order. */
	for (j = m->nchanges; j > 0 && m->changes[j - 1].at > c.at; j--)
		m->changes[j] = m->changes[j - 1];
	m->changes[j] = c;
	m->nchanges++;
}

void cr_schedule_read(struct diag *d, config_setting_t *root, struct crisis *m,
		      const struct cfg_field *const *tables)
{
	config_setting_t *l = config_setting_get_member(root, "schedule");
	int i, n;

	if (!l)
		return;
	if (!config_setting_is_list(l)) {
		diag_error(d, l, "schedule", "must be a list ( { at = ...; path = ...; value = ...; }, ... )");
		return;
	}
	n = config_setting_length(l);
	if (n > CR_MAX_SCHEDULE) {
		diag_error(d, l, "schedule", "has %d entries, more than the %d allowed", n,
			   CR_MAX_SCHEDULE);
		return;
	}
	for (i = 0; i < n; i++)
		read_entry(d, config_setting_get_elem(l, (unsigned)i), i, m, tables);
}

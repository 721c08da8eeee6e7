/* casebase.c - the coded case base: reading and checking the table, the
 * regression covariates, and the mapping from codes to a crisis config. */
#include "study/casebase.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const column_names[CB_NCOLUMNS] = {
	"id", "case", "family", "challenger", "target", "guarantors", "start", "end", "event",
	"years", "guarantor_present", "formal_treaty", "ratified", "troops_stationed", "troops_n",
	"peacekeepers", "monitors", "buffer_zone", "arms_supply", "sanctions",
	"nuclear_guarantor", "balance", "stakes", "prior_war", "democracy_guarantor",
	"confidence", "sources", "notes",
};

const char *const cb_cov_names[CB_NCOV] = {
	"guarantor_present", "formal_treaty", "ratified", "troops_stationed", "log1p_troops_k",
	"peacekeepers", "monitors", "buffer_zone", "arms_supply", "sanctions",
	"nuclear_guarantor", "log_balance", "stakes",
};

const char *const cb_par_names[CB_NPAR] = {
	"crisis_rate", "decision_sd", "war_cost", "treaty_strength", "guarantor_force",
	"crisis_decay",
};
const double cb_par_default[CB_NPAR] = { 0.5, 0.16, 0.3, 0.5, 1.0, 0.0 };

/* A column's kind. */
enum { K_TEXT, K_BINARY, K_COUNT, K_RATIO, K_STAKES, K_YEARS, K_CONF };

static int kind_of(int col)
{
	switch (col) {
	case CB_EVENT: case CB_GUARANTOR_PRESENT: case CB_FORMAL_TREATY: case CB_RATIFIED:
	case CB_TROOPS_STATIONED: case CB_PEACEKEEPERS: case CB_MONITORS: case CB_BUFFER_ZONE:
	case CB_ARMS_SUPPLY: case CB_SANCTIONS: case CB_NUCLEAR_GUARANTOR: case CB_PRIOR_WAR:
	case CB_DEMOCRACY_GUARANTOR:
		return K_BINARY;
	case CB_TROOPS_N:
		return K_COUNT;
	case CB_BALANCE:
		return K_RATIO;
	case CB_STAKES:
		return K_STAKES;
	case CB_YEARS:
		return K_YEARS;
	case CB_CONFIDENCE:
		return K_CONF;
	default:
		return K_TEXT;
	}
}

#define FAIL(...) do { fprintf(err, "%s:%d: error: ", path, line); fprintf(err, __VA_ARGS__); \
		       fputc('\n', err); return -1; } while (0)

/* Checks field F of column COL and stores its value in *V. */
static int check_field(const char *path, int line, FILE *err, int col, const char *f, double *v)
{
	int k = kind_of(col);
	char *end;

	*v = NAN;
	if (k == K_TEXT) {
		if (!*f && col <= CB_END)
			FAIL("%s: empty", column_names[col]);
		if (col == CB_ID && strspn(f, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(f))
			FAIL("id: '%.40s' must be made of a-z, 0-9 and '-'", f);
		return 0;
	}
	if (k == K_CONF) {
		if (strcmp(f, "high") && strcmp(f, "medium") && strcmp(f, "low"))
			FAIL("confidence: expected high, medium or low, got '%.40s'", f);
		return 0;
	}
	if (!strcmp(f, "NA")) {
		if (k == K_COUNT || k == K_RATIO)
			return 0;
		FAIL("%s: NA is allowed only for troops_n and balance", column_names[col]);
	}
	*v = strtod(f, &end);
	if (!*f || *end || !isfinite(*v))
		FAIL("%s: expected a number, got '%.40s'", column_names[col], f);
	if (k == K_BINARY && *v != 0 && *v != 1)
		FAIL("%s: expected 0 or 1, got '%.40s'", column_names[col], f);
	if (k == K_COUNT && *v < 0)
		FAIL("%s: expected a number >= 0, got '%.40s'", column_names[col], f);
	if ((k == K_RATIO || k == K_YEARS) && !(*v > 0))
		FAIL("%s: expected a number > 0, got '%.40s'", column_names[col], f);
	if (k == K_STAKES && *v != 1 && *v != 2 && *v != 3)
		FAIL("stakes: expected 1, 2 or 3, got '%.40s'", f);
	return 0;
}

/* Splits LINE at tabs into at most CB_NCOLUMNS + 1 fields. */
static int split_tabs(char *line, char **field)
{
	int k = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');

		if (k > CB_NCOLUMNS)
			return k;
		field[k++] = p;
		if (!tab)
			return k;
		*tab = '\0';
		p = tab + 1;
	}
}

static int read_row(const char *path, int line, FILE *err, char *text, struct cb_case *c)
{
	char *field[CB_NCOLUMNS + 2];
	int k = split_tabs(text, field), j;

	if (k != CB_NCOLUMNS)
		FAIL("expected %d tab-separated fields (id ... notes), got %d", CB_NCOLUMNS, k);
	memset(c, 0, sizeof(*c));
	c->line = line;
	for (j = 0; j < CB_NCOLUMNS; j++)
		if (check_field(path, line, err, j, field[j], &c->code[j]) < 0)
			return -1;
	for (j = 0; j < CB_NCOLUMNS; j++)
		if (!(c->text[j] = strdup(field[j]))) {
			while (j-- > 0)
				free(c->text[j]);
			FAIL("out of memory");
		}
	c->event = c->code[CB_EVENT] == 1;
	c->years = c->code[CB_YEARS];
	return 0;
}

void cb_free(struct cb_base *b)
{
	size_t i;
	int j;

	for (i = 0; i < b->n; i++)
		for (j = 0; j < CB_NCOLUMNS; j++)
			free(b->c[i].text[j]);
	free(b->c);
	b->c = NULL;
	b->n = 0;
}

int cb_read(const char *path, struct cb_base *b, FILE *err)
{
	FILE *f = fopen(path, "r");
	char text[16384];
	int line = 0, bad = 0;
	size_t i;

	b->n = 0;
	b->c = NULL;
	if (!f) {
		fprintf(err, "%s: error: cannot read the case base\n", path);
		return -1;
	}
	if (!(b->c = calloc(CB_MAX_CASES, sizeof(*b->c)))) {
		fclose(f);
		return -1;
	}
	while (!bad && fgets(text, sizeof(text), f)) {
		line++;
		if (!strchr(text, '\n') && !feof(f)) {
			fprintf(err, "%s:%d: error: line longer than %zu bytes\n", path, line,
				sizeof(text) - 2);
			bad = 1;
			break;
		}
		text[strcspn(text, "\r\n")] = '\0';
		if (text[0] == '#' || !text[0])
			continue;
		if (b->n == CB_MAX_CASES) {
			fprintf(err, "%s:%d: error: more than %d cases\n", path, line, CB_MAX_CASES);
			bad = 1;
		} else if (read_row(path, line, err, text, &b->c[b->n]) < 0) {
			bad = 1;
		} else {
			for (i = 0; i < b->n; i++)
				if (!strcmp(b->c[i].text[CB_ID], b->c[b->n].text[CB_ID])) {
					fprintf(err, "%s:%d: error: id: '%s' again (also line %d)\n", path, line,
						b->c[i].text[CB_ID], b->c[i].line);
					bad = 1;
				}
			b->n++;
		}
	}
	fclose(f);
	if (!bad && !b->n) {
		fprintf(err, "%s: error: no cases\n", path);
		bad = 1;
	}
	if (bad)
		cb_free(b);
	return bad ? -1 : 0;
}

void cb_covariates(const struct cb_case *c, double *x)
{
	static const int binary[] = {
		CB_GUARANTOR_PRESENT, CB_FORMAL_TREATY, CB_RATIFIED, CB_TROOPS_STATIONED, -1,
		CB_PEACEKEEPERS, CB_MONITORS, CB_BUFFER_ZONE, CB_ARMS_SUPPLY, CB_SANCTIONS,
		CB_NUCLEAR_GUARANTOR,
	};
	double troops = c->code[CB_TROOPS_N], balance = c->code[CB_BALANCE];
	int j;

	for (j = 0; j < 11; j++)
		x[j] = binary[j] < 0 ? 0 : c->code[binary[j]];
	x[4] = isnan(troops) ? 0 : log1p(troops / 1000);
	x[11] = isnan(balance) ? 0 : log(balance);
	x[12] = c->code[CB_STAKES];
}

/* Appends to BUF at *LEN (of SIZE bytes). */
static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>

size_t cb_pairs(const struct cb_base *b, size_t *group)
{
	size_t i, j, n = 0;

	/* Quadratic, as the table holds at most CB_MAX_CASES rows. */
	for (i = 0; i < b->n; i++) {
		for (j = 0; j < i; j++)
			if (!strcmp(b->c[i].text[CB_CHALLENGER], b->c[j].text[CB_CHALLENGER]) &&
			    !strcmp(b->c[i].text[CB_TARGET], b->c[j].text[CB_TARGET]))
				break;
		group[i] = j < i ? group[j] : n++;
	}
	return n;
}

static void put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	*len += n > 0 ? (size_t)n : 0;
}

/* The nominal size of the target's army: forces are relative to it. */
#define CB_TARGET_TROOPS 100000.0

/* Writes the guarantor of case C, if it has one (or a third party when
 * only peacekeepers or monitors stand between the parties), in the keys
 * of the crisis model or (CRISIS 0) of the commitment model, which has no
 * ratification threshold, tripwire scale or warning, and reads monitoring
 * as a sharper perception of the guarantor. */
static void put_guarantor(const struct cb_case *c, const double *p, int crisis, char *buf,
			  size_t size, size_t *len)
{
	const double *x = c->code;
	int third = !x[CB_GUARANTOR_PRESENT], watched = x[CB_MONITORS] || x[CB_PEACEKEEPERS];
	double troops = isnan(x[CB_TROOPS_N]) ? 1000 : x[CB_TROOPS_N];
	double strength = third ? 0.05 : fmin(1, 0.1 + p[CB_P_TREATY] * x[CB_FORMAL_TREATY]);
	double automaticity = x[CB_PEACEKEEPERS] && third ? 0.2 : 0.6;

	if (third && !watched) {
		put(buf, size, len, "guarantors = ();\n");
		return;
	}
	put(buf, size, len, "guarantors = ( {\n  name = \"%s\";\n  forces = %.17g;\n"
	    "  interest = 0.2;\n  resolve_sd = 0.3;\n  intervention_cost = 0.5;\n"
	    "  escalation_cost = %g;\n  guarantee = {\n    strength = %.17g;\n",
	    third ? "third party" : "guarantor",
	    third ? 0.0 : p[CB_P_FORCE] * CB_TARGET_TROOPS * (x[CB_NUCLEAR_GUARANTOR] ? 2 : 1),
	    x[CB_NUCLEAR_GUARANTOR] ? 0.2 : 0.05, strength);
	if (x[CB_RATIFIED])
		put(buf, size, len, crisis ? "    ratification = { vote_share = 0.8; required = 0.667; };\n"
				       : "    ratification = { vote_share = 0.8; };\n");
	if ((x[CB_TROOPS_STATIONED] || x[CB_PEACEKEEPERS]) && crisis)
		put(buf, size, len, "    tripwire = { troops = %.17g; automaticity = %g; scale = 1000.0; };\n",
		    troops, automaticity);
	else if (x[CB_TROOPS_STATIONED] || x[CB_PEACEKEEPERS])
		put(buf, size, len, "    tripwire = { troops = %.17g; automaticity = %g; };\n", troops,
		    automaticity);
	if (x[CB_SANCTIONS])
		put(buf, size, len, "    sanctions = { cost = 0.05; };\n");
	if (x[CB_ARMS_SUPPLY])
		put(buf, size, len, "    arms_supply = { per_year = %.17g; depreciation = 0.25; };\n",
		    0.05 * CB_TARGET_TROOPS);
	if (crisis && (watched || x[CB_BUFFER_ZONE]))
		put(buf, size, len, "    monitoring = { quality = %g; warning = %g; };\n",
		    watched ? 0.5 : 0.25, x[CB_BUFFER_ZONE] ? 0.1 : 0.0);
	else if (!crisis)
		put(buf, size, len, "    monitoring = { perception_bias = 0.0; perception_sd = %g; };\n",
		    watched ? 0.05 : x[CB_BUFFER_ZONE] ? 0.075 : 0.1);
	put(buf, size, len, "  };\n} );\n");
}

/* The config of case C under P for the crisis model (CRISIS) or the
 * commitment model: the same scenario, forces, stakes and target, the
 * challenger's hazard in each model's keys, then the guarantor. */
static int put_config(const struct cb_case *c, const double *p, int crisis, double horizon,
		      long trials, char *buf, size_t size)
{
	const double *x = c->code;
	double balance = isnan(x[CB_BALANCE]) ? 1 : x[CB_BALANCE];
	size_t len = 0;

	put(buf, size, &len, "scenario = {\n  name = \"%s\";\n  horizon_years = %.17g;\n"
	    "  steps_per_year = %d;\n  trials = %ld;\n  seed = 1;\n};\nmodel = \"%s\";\n",
	    c->text[CB_ID], horizon, horizon <= 3 ? 52 : 12, trials,
	    crisis ? "crisis" : "commitment");
	put(buf, size, &len, "challenger = {\n  forces = %.17g;\n  stake = %g;\n  war_cost = %.17g;\n"
	    "  decisiveness = 1.5;\n", balance * CB_TARGET_TROOPS, x[CB_STAKES] / 2,
	    p[CB_P_COST] + (x[CB_PRIOR_WAR] ? 0 : 0.1));
	if (crisis)
		put(buf, size, &len, "  crisis_rate = %.17g;\n  decision_sd = %.17g;\n"
		    "  crisis_decay = %.17g;\n  learning = false;\n};\n", p[CB_P_RATE], p[CB_P_SD],
		    p[CB_P_DECAY]);
	else
		put(buf, size, &len, "  max_hazard = %.17g;\n  temperature = %.17g;\n};\n",
		    p[CB_P_RATE], p[CB_P_SD]);
	put(buf, size, &len, "target = { troops = %.17g; };\n", CB_TARGET_TROOPS);
	put_guarantor(c, p, crisis, buf, size, &len);
	return len < size ? (int)len : -1;
}

int cb_crisis_config(const struct cb_case *c, const double *p, double horizon, long trials,
		     char *buf, size_t size)
{
	return put_config(c, p, 1, horizon, trials, buf, size);
}

int cb_commitment_config(const struct cb_case *c, const double *p, double horizon, long trials,
			 char *buf, size_t size)
{
	return put_config(c, p, 0, horizon, trials, buf, size);
}

static const char *const commitment_names[CB_NPAR] = {
	"max_hazard", "temperature", "war_cost", "treaty_strength", "guarantor_force", NULL,
};
static const double commitment_default[CB_NPAR] = { 0.5, 0.1, 0.3, 0.5, 1.0, 0.0 };

const struct cb_mapping cb_mappings[] = {
	{ "crisis", cb_par_names, cb_par_default, cb_crisis_config },
	{ "commitment", commitment_names, commitment_default, cb_commitment_config },
	{ NULL, NULL, NULL, NULL },
};

const struct cb_mapping *cb_mapping_find(const char *model)
{
	const struct cb_mapping *m;

	for (m = cb_mappings; m->model; m++)
		if (!strcmp(m->model, model))
			return m;
	return NULL;
}

/* cmd_discover.c - "sim discover": PRIM scenario discovery on a finished
 * study's table: under which inputs a condition on a figure holds. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "cli/usage.h"
#include "io/output.h"
#include "io/provenance.h"
#include "io/tabular.h"
#include "study/prim.h"
#include "study/table.h"

/* The most boxes --boxes may ask for. */
#define MAX_BOXES 20

static const char usage_text[] =
	"usage: sim discover TABLE --where 'FIGURE OP VALUE' [--inputs P1,P2,...]\n"
	"                    [--boxes K] [--alpha A] [--min-support S] [--threshold D]\n"
	"                    [--no-paste] [-o DIR] [--format FMT]\n\n"
	"Scenario discovery by PRIM (Friedman and Fisher 1999): in TABLE, a\n"
	"sample.tsv or sweep.tsv that 'sim sample' or 'sim sweep' wrote (any table\n"
	"with a column line will do), the rows where the condition holds are the\n"
	"cases of interest; PRIM peels the inputs' ranges a face at a time toward a\n"
	"box that holds mostly such cases, and prints the chosen box's limits on\n"
	"each input it restricts, with the quasi-p-value of each restriction, its\n"
	"coverage (the share of all cases of interest inside) and density (the\n"
	"share of its rows that are cases of interest). With --boxes K, the rows\n"
	"of each box are removed and the search runs again, for up to K boxes.\n\n"
	"  --where COND      FIGURE < VALUE, <=, > or >= (FIGURE a column of TABLE,\n"
	"                    e.g. 'p_deterred < 0.5')\n"
	"  --inputs LIST     the input columns (default: the table's ranges or\n"
	"                    varied paths, else every column before 'trials')\n"
	"  --boxes K         boxes to find, one after another (default 1, at most 20)\n"
	"  --alpha A         share of a box's rows each peel removes (default 0.05)\n"
	"  --min-support S   stop peeling below this share of the rows (default 0.05)\n"
	"  --threshold D     report the largest box of density D or more (default:\n"
	"                    the knee, the box nearest coverage 1 and density 1)\n"
	"  --no-paste        report the peeled box as it is, without pasting\n"
	"  -o, --output DIR  write DIR/discover.tsv (every box of the peeling\n"
	"                    trajectories) and DIR/boxes.tsv (the chosen boxes'\n"
	"                    limits); 'sim plot DIR' draws their charts\n"
	CLIOPT_FORMAT_HELP
	"  -h, --help        show this help\n\n"
	"Rows where the figure or an input is not a number are left out.\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage or table error.\n";

struct opts {
	const char *dir, *where, *inputs;
	long boxes;
	double alpha, support, threshold;
	int paste;
};

/* The condition: column COL compared with VALUE by OP (<, <=, >, >=). */
struct cond {
	char fig[128], op[3];
	double value;
};

static int own(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;
	double x;
	int r;

	switch (c) {
	case 'o':
		return cliopt_output(&o->dir, c, arg);
	case 'W':
		o->where = arg;
		return 0;
	case 'I':
		o->inputs = arg;
		return 0;
	case 'P':
		o->paste = 0;
		return 0;
	case 'B':
		if ((r = cliopt_number("discover", "--boxes", arg, 1, MAX_BOXES, 1, &x)))
			return r;
		o->boxes = (long)x;
		return 0;
	case 'A':
		return cliopt_number("discover", "--alpha", arg, 0.001, 0.5, 0, &o->alpha);
	case 'S':
		return cliopt_number("discover", "--min-support", arg, 0, 1, 0, &o->support);
	case 'T':
		return cliopt_number("discover", "--threshold", arg, 0, 1, 0, &o->threshold);
	default:
		return EXIT_USAGE;
	}
}

/* Parses "FIGURE OP VALUE" (spaces optional around OP). */
static int parse_cond(const char *s, struct cond *c)
{
	const char *op = strpbrk(s, "<>");
	size_t n, k;
	char *end;

	if (!op)
		return usage_error("discover", "--where: expected FIGURE < VALUE (or <=, >, >=), got "
				   "'%.80s'", s);
	for (n = (size_t)(op - s); n > 0 && s[n - 1] == ' '; n--)
		;
	for (k = 0; k < n && s[k] == ' '; k++)
		;
	if (n - k == 0 || n - k >= sizeof(c->fig))
		return usage_error("discover", "--where: no figure before '%c' in '%.80s'", *op, s);
	snprintf(c->fig, sizeof(c->fig), "%.*s", (int)(n - k), s + k);
	c->op[0] = op[0];
	c->op[1] = op[1] == '=' ? '=' : '\0';
	c->op[2] = '\0';
	c->value = strtod(op + 1 + (op[1] == '='), &end);
	while (*end == ' ')
		end++;
	if (end == op + 1 + (op[1] == '=') || *end || !isfinite(c->value))
		return usage_error("discover", "--where: expected a number after '%s' in '%.80s'",
				   c->op, s);
	return 0;
}

static int holds(const struct cond *c, double v)
{
	if (c->op[0] == '<')
		return c->op[1] ? v <= c->value : v < c->value;
	return c->op[1] ? v >= c->value : v > c->value;
}

/* The analysis: the table's rows as PRIM data, and what was found. */
struct work {
	struct table t;
	struct cond cond;
	size_t *col;			/* the input columns */
	size_t d, n, dropped;
	double *x;
	unsigned char *y, *active;
	struct prim_data data;
	struct prim_trajectory traj[MAX_BOXES];
	struct prim_box box[MAX_BOXES];
	size_t chosen[MAX_BOXES], nbox;
	double *lo, *hi;		/* each input's range in the data */
};

/* The input columns from LIST (or the table's). Returns 0 or the exit code. */
static int pick_inputs(struct work *w, const char *list, const char *path)
{
	char buf[4096], *save, *tok;

	w->col = malloc(sizeof(size_t) * (w->t.ncol ? w->t.ncol : 1));
	if (!w->col)
		return EXIT_RUNTIME;
	if (!list) {
		memcpy(w->col, w->t.input, sizeof(size_t) * w->t.ninput);
		w->d = w->t.ninput;
		if (!w->d)
			return usage_error("discover", "%s names no inputs (no '# range:' or '# vary:' "
					   "lines, no 'trials' column): give --inputs", path);
		return 0;
	}
	if (strlen(list) >= sizeof(buf))
		return usage_error("discover", "--inputs: list too long");
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long c = table_column(&w->t, tok);

		if (c < 0)
			return usage_error("discover", "--inputs: %s has no column '%.80s'", path, tok);
		if (w->d < w->t.ncol)
			w->col[w->d++] = (size_t)c;
	}
	return w->d ? 0 : usage_error("discover", "--inputs: no input named");
}

/* The rows as points: inputs and condition; rows with a NaN left out. */
static int build(struct work *w)
{
	long f = table_column(&w->t, w->cond.fig);
	size_t i, j;

	if (f < 0)
		return usage_error("discover", "--where: the table has no column '%s'", w->cond.fig);
	w->x = malloc(sizeof(double) * w->d * w->t.nrow);
	w->y = malloc(w->t.nrow);
	w->lo = malloc(sizeof(double) * w->d);
	w->hi = malloc(sizeof(double) * w->d);
	if (!w->x || !w->y || !w->lo || !w->hi)
		return EXIT_RUNTIME;
	for (j = 0; j < w->d; j++) {
		w->lo[j] = HUGE_VAL;
		w->hi[j] = -HUGE_VAL;
	}
	for (i = 0; i < w->t.nrow; i++) {
		const double *row = w->t.v + i * w->t.ncol;
		int ok = !isnan(row[f]);

		for (j = 0; j < w->d; j++)
			ok &= !isnan(row[w->col[j]]);
		if (!ok) {
			w->dropped++;
			continue;
		}
		for (j = 0; j < w->d; j++) {
			double v = row[w->col[j]];

			w->x[w->n * w->d + j] = v;
			w->lo[j] = v < w->lo[j] ? v : w->lo[j];
			w->hi[j] = v > w->hi[j] ? v : w->hi[j];
		}
		w->y[w->n++] = (unsigned char)holds(&w->cond, row[f]);
	}
	if (!w->n)
		return usage_error("discover", "no row has numbers for the figure and every input");
	w->data.n = w->n;
	w->data.d = w->d;
	w->data.x = w->x;
	w->data.y = w->y;
	return 0;
}

/* Finds up to K boxes, each among the rows no earlier box holds. */
static int search(struct work *w, const struct opts *o)
{
	struct prim_opts po = { o->alpha, o->support };
	size_t i, b;

	if (!(w->active = malloc(w->n)))
		return EXIT_RUNTIME;
	memset(w->active, 1, w->n);
	for (b = 0; b < (size_t)o->boxes; b++) {
		size_t k0 = 0;

		for (i = 0; i < w->n; i++)
			k0 += w->active[i] && w->y[i];
		if (!k0)
			break;
		if (prim_find(&w->data, w->active, &po, o->threshold, o->paste, &w->traj[b],
			      &w->box[b], &w->chosen[b]) < 0)
			return EXIT_RUNTIME;
		w->nbox = b + 1;
		if (!w->box[b].restricted)
			break;	/* no box better than everything that is left */
		for (i = 0; i < w->n; i++)
			w->active[i] = w->active[i] && !prim_inside(&w->data, &w->box[b], i);
	}
	return 0;
}

/* The active rows before box B: those no earlier box holds. */
static void active_before(const struct work *w, size_t b, unsigned char *a)
{
	size_t i, c;

	for (i = 0; i < w->n; i++) {
		a[i] = 1;
		for (c = 0; c < b; c++)
			a[i] = a[i] && !prim_inside(&w->data, &w->box[c], i);
	}
}

static void format_limit(char *buf, size_t size, double v)
{
	if (isinf(v))
		snprintf(buf, size, "%s", "-");
	else
		snprintf(buf, size, "%.6g", v);
}

static void print_boxes(const struct work *w, const char *path, unsigned char *a)
{
	size_t b, j, k = 0, i;

	for (i = 0; i < w->n; i++)
		k += w->y[i];
	printf("discover: %zu rows of %s (%zu left out: not numbers), %zu where %s %s %g "
	       "(%.1f%%), %zu inputs\n", w->n, path, w->dropped, k, w->cond.fig, w->cond.op,
	       w->cond.value, 100.0 * (double)k / (double)w->n, w->d);
	for (b = 0; b < w->nbox; b++) {
		const struct prim_box *x = &w->box[b];

		active_before(w, b, a);
		printf("\nbox %zu%s: %zu rows, %zu of interest: density %.3f, coverage %.3f of the "
		       "cases %s, support %.3f (step %zu of %zu of the peeling)\n", b + 1,
		       b ? " (after removing the rows of the boxes before)" : "", x->m, x->k,
		       x->density, x->coverage, b ? "left" : "of interest", x->support,
		       w->chosen[b], w->traj[b].nbox - 1);
		if (!x->restricted) {
			printf("  no restriction: no box is denser than all the rows left\n");
			continue;
		}
		printf("  %-40s %12s %12s   %-23s %s\n", "input", "from", "to", "range in the rows",
		       "quasi-p");
		for (j = 0; j < w->d; j++) {
			char lo[32], hi[32], rng[64];

			if (x->lo[j] == -HUGE_VAL && x->hi[j] == HUGE_VAL)
				continue;
			format_limit(lo, sizeof(lo), x->lo[j]);
			format_limit(hi, sizeof(hi), x->hi[j]);
			snprintf(rng, sizeof(rng), "%.6g to %.6g", w->lo[j], w->hi[j]);
			printf("  %-40.40s %12s %12s   %-23s %.2g\n", w->t.name[w->col[j]], lo, hi,
			       rng, prim_quasi_p(&w->data, a, x, j));
		}
	}
	printf("\nDensity: the share of a box's rows where the condition holds; coverage: the "
	       "share of those rows the box holds; a limit '-' is the data's own. Quasi-p: the "
	       "chance that the box without that restriction would hold as many cases of "
	       "interest (small: the restriction matters).\n");
}

/* The provenance lines of both files. */
static void header(FILE *f, const struct work *w, const char *path, const struct opts *o)
{
	provenance_write(f);
	fputs("# discover (PRIM) on ", f);
	output_escape(f, path);
	fprintf(f, "\n# where: ");
	output_escape(f, w->cond.fig);
	fprintf(f, " %s %.17g\n# rows: %zu (%zu left out)\n# alpha: %g; min support: %g; "
		"threshold: %s; paste: %s\n", w->cond.op, w->cond.value, w->n, w->dropped, o->alpha,
		o->support, o->threshold > 0 ? "given" : "the knee", o->paste ? "yes" : "no");
}

/* Writes the column name NAME of a table as it was (it was read escaped,
 * as gsim writes names): unescaped, then escaped once, so that a name from
 * another program is escaped too and one of gsim's is not escaped twice. */
static void name_out(FILE *f, const char *name)
{
	char *s = strdup(name);

	output_escape(f, s ? tabular_unescape(s) : name);
	free(s);
}

static void input_names(FILE *f, const struct work *w, const char *suffix)
{
	size_t j;

	for (j = 0; j < w->d; j++) {
		fputc('\t', f);
		name_out(f, w->t.name[w->col[j]]);
		fputs(suffix, f);
	}
}

static int write_trajectory(const char *dir, const struct work *w, const char *path,
			    const struct opts *o)
{
	struct afile af;
	size_t b, s, j;

	if (atomic_open(&af, dir, "discover.tsv") < 0)
		return -1;
	header(af.f, w, path, o);
	fputs("box\tstep\tchosen\tcoverage\tdensity\tsupport\trestricted", af.f);
	input_names(af.f, w, "_lo");
	input_names(af.f, w, "_hi");
	fputc('\n', af.f);
	for (b = 0; b < w->nbox; b++)
		for (s = 0; s < w->traj[b].nbox; s++) {
			const struct prim_box *x = &w->traj[b].box[s];

			fprintf(af.f, "%zu\t%zu\t%d\t%.6f\t%.6f\t%.6f\t%zu", b + 1, s,
				s == w->chosen[b], x->coverage, x->density, x->support, x->restricted);
			for (j = 0; j < w->d; j++)
				fprintf(af.f, "\t%.10g", isinf(x->lo[j]) ? w->lo[j] : x->lo[j]);
			for (j = 0; j < w->d; j++)
				fprintf(af.f, "\t%.10g", isinf(x->hi[j]) ? w->hi[j] : x->hi[j]);
			fputc('\n', af.f);
		}
	return atomic_commit(&af);
}

static int write_boxes(const char *dir, const struct work *w, const char *path,
		       const struct opts *o, unsigned char *a)
{
	struct afile af;
	size_t b, j;

	if (atomic_open(&af, dir, "boxes.tsv") < 0)
		return -1;
	header(af.f, w, path, o);
	fputs("box\tinput\tlo\thi\tdata_lo\tdata_hi\trestricted\tquasi_p\tcoverage\tdensity\t"
	      "support\n", af.f);
	for (b = 0; b < w->nbox; b++) {
		const struct prim_box *x = &w->box[b];

		active_before(w, b, a);
		for (j = 0; j < w->d; j++) {
			int r = !(x->lo[j] == -HUGE_VAL && x->hi[j] == HUGE_VAL);

			fprintf(af.f, "%zu\t", b + 1);
			name_out(af.f, w->t.name[w->col[j]]);
			fprintf(af.f, "\t%.10g\t%.10g\t%.10g\t%.10g\t%d\t%.6g\t%.6f\t%.6f\t%.6f\n",
				isinf(x->lo[j]) ? w->lo[j] : x->lo[j],
				isinf(x->hi[j]) ? w->hi[j] : x->hi[j], w->lo[j], w->hi[j], r,
				r ? prim_quasi_p(&w->data, a, x, j) : NAN, x->coverage, x->density,
				x->support);
		}
	}
	return atomic_commit(&af);
}

static void work_free(struct work *w)
{
	size_t b;

	for (b = 0; b < MAX_BOXES; b++) {
		prim_trajectory_free(&w->traj[b]);
		prim_box_free(&w->box[b]);
	}
	free(w->col);
	free(w->x);
	free(w->y);
	free(w->active);
	free(w->lo);
	free(w->hi);
	table_free(&w->t);
}

int cmd_discover(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "where", required_argument, NULL, 'W' },
		{ "inputs", required_argument, NULL, 'I' },
		{ "boxes", required_argument, NULL, 'B' },
		{ "alpha", required_argument, NULL, 'A' },
		{ "min-support", required_argument, NULL, 'S' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "no-paste", no_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_FORMAT,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts mine = { NULL, NULL, NULL, 1, 0.05, 0.05, 0, 1 };
	struct cliopt o;
	struct work w;
	const char *path;
	unsigned char *a = NULL;
	int r;

	memset(&w, 0, sizeof(w));
	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":o:h", opts, "discover", usage_text, own, &mine);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (optind >= argc)
		return usage_error("discover", "no TABLE given");
	path = argv[optind++];
	if (optind < argc)
		return usage_error("discover", "more than one TABLE given");
	if (!mine.where)
		return usage_error("discover", "--where is required ('FIGURE < VALUE')");
	if ((r = parse_cond(mine.where, &w.cond)))
		return r;
	if (table_read(path, &w.t, stderr) < 0)
		return EXIT_USAGE;
	if (!(r = pick_inputs(&w, mine.inputs, path)) && !(r = build(&w)) &&
	    !(r = search(&w, &mine)) && !(a = malloc(w.n)))
		r = EXIT_RUNTIME;
	if (r == EXIT_RUNTIME)
		error("out of memory");
	if (!r) {
		print_boxes(&w, path, a);
		r = cliopt_flush();
	}
	if (!r && mine.dir &&
	    (atomic_lock(mine.dir) < 0 || write_trajectory(mine.dir, &w, path, &mine) < 0 ||
	     write_boxes(mine.dir, &w, path, &mine, a) < 0))
		r = EXIT_RUNTIME;
	free(a);
	work_free(&w);
	return r;
}

/* summary.c - figures and their confidence intervals. */
#include "engine/summary.h"

#include <math.h>

#include "core/stats.h"

static const struct {
	const char *key, *label;
	int json;
} figures[N_FIGURES] = {
	{ "p_deterred", "deterred over the whole horizon", 1 },
	{ "p_attack", "attacked within the horizon", 1 },
	{ "p_honored_given_attack", "every guarantor intervened | attack", 1 },
	{ "p_partial_given_attack", "some guarantors intervened | attack", 0 },
	{ "p_abandoned_given_attack", "no guarantor intervened | attack", 1 },
	{ "p_challenger_wins", "challenger attacked and won", 1 },
	{ "p_challenger_wins_given_attack", "challenger won | attack", 1 },
	{ "mean_attack_year", "mean year of attack | attack", 1 },
};

const char *summary_key(int f)
{
	return figures[f].key;
}

const char *summary_label(int f)
{
	return figures[f].label;
}

int summary_in_json(int f)
{
	return figures[f].json;
}

void summary_wilson(uint64_t x, uint64_t n, double *lo, double *hi)
{
	double p = (double)x / (double)n, z2n = SIM_Z95 * SIM_Z95 / (double)n;
	double c = (p + z2n / 2) / (1 + z2n);
	double h = SIM_Z95 * sqrt(p * (1 - p) / (double)n + z2n / (4 * (double)n)) / (1 + z2n);

	*lo = x == 0 ? 0 : fmax(0, c - h);
	*hi = x == n ? 1 : fmin(1, c + h);
}

static void proportion(struct figure *f, uint64_t x, uint64_t n)
{
	f->defined = f->has_ci = n > 0;
	if (!n) {
		f->value = f->lo = f->hi = NAN;
		return;
	}
	f->value = (double)x / (double)n;
	summary_wilson(x, n, &f->lo, &f->hi);
}

void summary_compute(const struct tally *t, double dt, struct figure *fig)
{
	uint64_t m = t->attacked;
	struct figure *y = &fig[FIG_MEAN_ATTACK_YEAR];

	proportion(&fig[FIG_P_DETERRED], t->trials - m, t->trials);
	proportion(&fig[FIG_P_ATTACK], m, t->trials);
	proportion(&fig[FIG_P_HONORED_GIVEN_ATTACK], t->support[SUPPORT_HONORED], m);
	proportion(&fig[FIG_P_PARTIAL_GIVEN_ATTACK], t->support[SUPPORT_PARTIAL], m);
	proportion(&fig[FIG_P_ABANDONED_GIVEN_ATTACK], t->support[SUPPORT_ABANDONED], m);
	proportion(&fig[FIG_P_CHALLENGER_WINS], t->won, t->trials);
	proportion(&fig[FIG_P_CHALLENGER_WINS_GIVEN_ATTACK], t->won, m);

	y->defined = m > 0;
	y->has_ci = m > 1;
	y->value = y->lo = y->hi = NAN;
	if (m > 0) {
		long double mean = (long double)t->step_sum / (long double)m;

		y->value = (double)(mean * dt);
		if (m > 1) {
			long double var = ((long double)t->step_sq -
					   (long double)m * mean * mean) / (long double)(m - 1);
			double se = sqrt((double)(var > 0 ? var : 0) / (double)m) * dt;

			y->lo = y->value - SIM_Z95 * se;
			y->hi = y->value + SIM_Z95 * se;
		}
	}
}

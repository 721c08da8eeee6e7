/* physics.c - the pure pieces of the model, exported for the tests. */
#include "models/commitment/commitment.h"
#include "models/commitment/physics.h"

double commitment_contest(double E, double X, double gamma)
{
	return contest(E, X, gamma);
}

double commitment_step_forces(double C, double K, double r, double dt)
{
	return r > 0 ? grow(C, K, exp(-r * dt)) : C;
}

double commitment_step_troops(double T, double L, double m, double dt)
{
	return L + (T - L) * exp(-m * dt);
}

double commitment_step_arms(double A, double s, double d, double dt)
{
	double decay;

	if (d > 0) {
		decay = exp(-d * dt);
		return A * decay + s / d * (1 - decay);
	}
	return A + s * dt;
}

double commitment_honour(double num, double sd, int tripwire, double automaticity)
{
	return honour(num, sd, tripwire, automaticity);
}

long commitment_elections_by(double next, double interval, double t, double tol)
{
	double first = next;
	long n;

	if (!(interval > 0) || t + tol < first)
		return 0;
	while (first <= tol)
		first += interval;
	if (first > t + tol)
		return 0;
	n = (long)floor((t + tol - first) / interval) + 1;
	return n;
}

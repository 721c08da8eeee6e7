/* commitment.h - the pure pieces of the commitment model, exported so
 * that tests can check them against closed forms. The model itself is
 * reached through model_commitment (model.h). */
#ifndef SIM_COMMITMENT_H
#define SIM_COMMITMENT_H

/* The challenger's chance of winning a Tullock contest with effective
 * force E against X at decisiveness GAMMA: E^g / (E^g + X^g), computed
 * as 1 / (1 + (X/E)^g) so that it cannot overflow; 0/0 gives 1/2. */
double commitment_contest(double E, double X, double gamma);

/* Challenger forces after one exact step of logistic growth from C toward
 * K at rate R over DT years (R = 0: unchanged). */
double commitment_step_forces(double C, double K, double r, double dt);

/* Target troops after one exact step of relaxation from T toward level L
 * at rate M over DT years. */
double commitment_step_troops(double T, double L, double m, double dt);

/* Arms stock after one exact step from A with deliveries S per year and
 * depreciation D per year over DT years (D = 0: A + S * DT). */
double commitment_step_arms(double A, double s, double d, double dt);

/* Honour probability H from the numerator NUM of z, the resolve sd SD,
 * whether a tripwire is in place, and its AUTOMATICITY. */
double commitment_honour(double num, double sd, int tripwire, double automaticity);

/* Number of elections at times NEXT + j * INTERVAL (j = 0, 1, ...) that
 * fall in (0, T], comparing times with tolerance TOL: an election within
 * TOL of T counts, one within TOL of 0 does not. INTERVAL <= 0: none. The
 * elections of step k are those counted at t_{k+1} and not at t_k. */
long commitment_elections_by(double next, double interval, double t, double tol);

/* The batch kernel's Phi: a table of cubic pieces made by
 * commitment_phi_table() (the caller frees it), and its evaluation at Z. */
double *commitment_phi_table(void);
double commitment_fast_phi(const double *table, double z);

/* The batch kernel's exp(X), X clamped to [-708, 708]. */
double commitment_fast_exp(double x);

/* The batch kernel's log(X), for normal positive finite X. */
double commitment_fast_log(double x);

/* The batch kernel's R^G for a normal positive R and G > 0 (the contest's
 * (X/E)^gamma), |G log R| clamped to 708. */
double commitment_fast_pow(double r, double g);

/* Which kernel runs the trials of a commitment instance (the model's
 * instance pointer of a scenario): "batch" or "reference". */
const char *commitment_kernel(const void *instance);

#endif

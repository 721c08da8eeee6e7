/* actors.h - what the models whose configs are laid out by actors share:
 * a challenger, a target and a list of guarantors, each guarantor with a
 * guarantee and its optional mechanism groups. */
#ifndef MODELS_ACTORS_H
#define MODELS_ACTORS_H

#include "core/cfg.h"
#include "models/model.h"

/* The field tables of such a model, in this order: the challenger's, the
 * target's, a guarantor's, its guarantee's, then the ratification,
 * tripwire, sanctions, arms_supply and monitoring groups'. */
#define ACTORS_TABLES 9

/* Returns, in a new string the caller frees, the config path of slot
 * SLOT of a model with tables T: its challenger's and target's slots are
 * 0 .. NBASE - 1, and guarantor G's are NBASE + G * NG_SLOTS onwards,
 * named NAMES[G] in the path ("guarantors.[US].guarantee.strength").
 * NULL when no table has the slot, or out of memory. */
char *actors_slot_path(const struct cfg_field *const t[ACTORS_TABLES], int slot, int nbase,
		       int ng_slots, const char *const *names);

/* The settable keys of a model with tables T (slots as for
 * actors_slot_path(), NG guarantors called NAMES), whose values are
 * P[slot] and which the config gave or defaulted where PRESENT[slot]:
 * the keys hook of model_type, into OUT[0 .. MAX - 1]. */
long actors_keys(const struct cfg_field *const t[ACTORS_TABLES], int nbase, int ng_slots, int ng,
		 const char *const *names, const struct dist *p, const unsigned char *present,
		 struct model_key *out, size_t max);

/* Fills *K with field F of value V at path PATH (which it takes). */
void actors_key_of(struct model_key *k, const struct cfg_field *f, const struct dist *v,
		   char *path);

/* The values a starter config ('sim init') gives a target, a guarantor
 * and its guarantee other than their defaults, so that the starter is a
 * small scenario whose numbers a newcomer can explain: an army at its cap
 * that shrinks toward what it can sustain, and a guarantor with forces to
 * send and costs to weigh. */
extern const struct cfg_example actors_target_examples[];
extern const struct cfg_example actors_guarantor_examples[];
extern const struct cfg_example actors_guarantee_examples[];

/* The note on the outcome categories for outcomes.tsv, as a scenario
 * with NG guarantors should word it: with none, an attack is not
 * "abandoned" (nobody had promised anything) but met alone. */
const char *actors_outcomes_note(int ng);

#endif

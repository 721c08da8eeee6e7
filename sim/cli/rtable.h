/* rtable.h - a table gsim wrote, read for a report: its numbers (by
 * study/table.h's table_read()), the text of its cells (names of figures,
 * inputs, designs: unescaped, as users wrote them) and its '#' lines
 * (provenance and notes such as "# scenario: NAME" or "# vary: PATH"). */
#ifndef SIM_RTABLE_H
#define SIM_RTABLE_H

#include <stddef.h>

#include "study/table.h"

struct rtable {
	struct table t;
	char **text;		/* t.nrow x t.ncol cells, row-major */
	char **meta;		/* the '#' lines, without "# " */
	size_t nmeta;
};

/* Reads the table at PATH into R. Returns 0, or -1 after printing an
 * error (R is then empty). */
int rtable_read(const char *path, struct rtable *r);

/* The value of the N-th (from 0) '#' line "KEY: VALUE" of R, or NULL. */
const char *rtable_meta(const struct rtable *r, const char *key, size_t n);

/* The number and the text of row ROW's column COL. */
double rtable_num(const struct rtable *r, size_t row, size_t col);
const char *rtable_text(const struct rtable *r, size_t row, size_t col);

/* Turns the escapes gsim writes in TSV text (\\ \n \t \r \xHH) back into
 * the characters, in place. */
void rtable_unescape(char *s);

/* Frees what R holds. */
void rtable_free(struct rtable *r);

#endif

/* doc.h - a report written twice at once, as Markdown (report.md) and as a
 * self-contained HTML page (report.html, its charts inline): headings,
 * paragraphs, tables and charts. Every text given is users' text to the
 * writers (escaped by io/markup.h), never markup. */
#ifndef SIM_DOC_H
#define SIM_DOC_H

#include <stdio.h>

#include "core/atomic.h"

struct doc {
	FILE *md, *html;
	struct afile amd, ahtml;
	const char *dir;	/* where the report and its charts are */
	int figures;		/* SVGs inlined so far */
	const char *align;	/* the open table's columns: 'l' text, 'n' number, 't' note */
	int ncols;
};

/* Opens DIR/report.md and DIR/report.html (as temporaries, put in place by
 * doc_close()) and writes the page's head and the title TITLE. Returns 0,
 * or -1 after printing an error. */
int doc_open(struct doc *d, const char *dir, const char *title);

/* Ends the page and puts both files in place when OK and every write
 * succeeded, else discards them. Returns 0, or -1 after printing an error
 * (or when not OK). */
int doc_close(struct doc *d, int ok);

/* A heading of LEVEL (2 or 3; 1 is the title). */
void doc_heading(struct doc *d, int level, const char *text);

/* A paragraph of TEXT; with CLASS (may be NULL) the HTML paragraph gets
 * that class ("lede", "note"). */
void doc_para(struct doc *d, const char *text, const char *cls);

/* Starts and ends a box of key findings (a block of paragraphs). */
void doc_box_begin(struct doc *d, const char *cls);
void doc_box_end(struct doc *d);

/* Starts and ends blocks set side by side on a wide page (tables). */
void doc_grid_begin(struct doc *d);
void doc_grid_end(struct doc *d);

/* Starts a table whose columns ALIGN describes, one letter each: 'l' text,
 * 'n' a number (right-aligned), 't' a note (smaller); HEAD holds the
 * header's cells. */
void doc_table_begin(struct doc *d, const char *align, const char *const *head);

/* A row of the open table: as many CELLS as it has columns (NULL: empty). */
void doc_row(struct doc *d, const char *const *cells);

/* Ends the open table; CAPTION (may be NULL) is set under it. */
void doc_table_end(struct doc *d, const char *caption);

/* The chart DIR/NAME (an SVG): linked from the Markdown, inlined in the
 * HTML, with CAPTION under it. A chart that cannot be read is left out
 * of the HTML with a note. */
void doc_image(struct doc *d, const char *name, const char *caption);

/* Writes the text that follows a "Notes in the config" heading: TEXT's
 * paragraphs (split at blank lines) as paragraphs of small print. */
void doc_notes(struct doc *d, const char *text);

#endif

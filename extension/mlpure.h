/*
 * mlpure.h: the parts of memleak that are pure logic -- JSON and table
 * output, arithmetic on kernel data already read -- with no crash headers,
 * so the unit tests (tests/unit) build them without crash.
 */
#ifndef MLPURE_H
#define MLPURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* command arena (mem.c in the extension, a calloc stub in unit tests) */
void *ml_alloc(size_t size);		/* zeroed; never returns NULL */
void *ml_realloc(void *p, size_t size);
char *ml_strdup(const char *s);
void ml_free(void *p);

/* ---- output: tables and JSON (out.c) ---------------------------------- */

struct ml_json {
	FILE *fp;
	int depth;
	bool first[64];		/* no member written yet at this depth */
	bool pretty;
};

void mj_init(struct ml_json *j, FILE *fp, bool pretty);
void mj_obj(struct ml_json *j, const char *key);	/* key NULL in arrays */
void mj_obj_end(struct ml_json *j);
void mj_arr(struct ml_json *j, const char *key);
void mj_arr_end(struct ml_json *j);
void mj_str(struct ml_json *j, const char *key, const char *val);
void mj_strn(struct ml_json *j, const char *key, const char *val, size_t n);
void mj_int(struct ml_json *j, const char *key, long long val);
void mj_uint(struct ml_json *j, const char *key, unsigned long long val);
void mj_bool(struct ml_json *j, const char *key, bool val);
void mj_null(struct ml_json *j, const char *key);
void mj_double(struct ml_json *j, const char *key, double val, int prec);
void mj_end(struct ml_json *j);	/* closes the document: newline */
/* escape s into JSON string syntax (with quotes) on fp */
void mj_write_string(FILE *fp, const char *s, size_t n);

/* Aligned text table; cells are formatted strings, columns sized to fit. */
enum ml_align { ML_LEFT, ML_RIGHT };
struct ml_table;
struct ml_table *mt_new(int ncols, const char *const *headers,
			const enum ml_align *align);
void mt_cell(struct ml_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mt_print(struct ml_table *t, FILE *out, const char *indent);

/* human-readable sizes: "1.5 MiB" */
const char *ml_human_bytes(unsigned long long bytes, char *buf, size_t len);

#endif /* MLPURE_H */

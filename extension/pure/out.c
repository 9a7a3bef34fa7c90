/*
 * out.c: output plumbing shared by every subcommand -- a small streaming
 * JSON writer (RFC 8259, strings escaped, invalid UTF-8 bytes kept as
 * \u00XX so the document always parses) and an aligned text table.
 * Pure logic: no crash headers (see pure/pure.h), unit-tested in tests/unit.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pure/pure.h"

/* ---- JSON ------------------------------------------------------------- */

void mj_init(struct ml_json *j, FILE *fp, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->fp = fp;
	j->pretty = pretty;
	j->first[0] = true;
}

static void mj_newline(struct ml_json *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->fp);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->fp);
}

/* length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid */
static size_t mj_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

void mj_write_string(FILE *fp, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	fputc('"', fp);
	while (i < n) {
		unsigned char c = s[i];
		size_t len;

		switch (c) {
		case '"': fputs("\\\"", fp); i++; continue;
		case '\\': fputs("\\\\", fp); i++; continue;
		case '\b': fputs("\\b", fp); i++; continue;
		case '\f': fputs("\\f", fp); i++; continue;
		case '\n': fputs("\\n", fp); i++; continue;
		case '\r': fputs("\\r", fp); i++; continue;
		case '\t': fputs("\\t", fp); i++; continue;
		}
		if (c < 0x20 || c == 0x7F) {
			fprintf(fp, "\\u%04x", c);
			i++;
			continue;
		}
		len = mj_utf8_len(s + i, n - i);
		if (!len) {
			/* not UTF-8: keep the byte's value as a Latin-1 code point */
			fprintf(fp, "\\u%04x", c);
			i++;
			continue;
		}
		fwrite(s + i, 1, len, fp);
		i += len;
	}
	fputc('"', fp);
}

/* separator and key before a value */
static void mj_key(struct ml_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->fp);
	j->first[j->depth] = false;
	if (j->depth > 0)
		mj_newline(j);
	if (key) {
		mj_write_string(j->fp, key, strlen(key));
		fputs(j->pretty ? ": " : ":", j->fp);
	}
}

static void mj_open(struct ml_json *j, const char *key, char c)
{
	mj_key(j, key);
	fputc(c, j->fp);
	if (j->depth < (int)(sizeof(j->first) / sizeof(j->first[0])) - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void mj_close(struct ml_json *j, char c)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		mj_newline(j);
	fputc(c, j->fp);
}

void mj_obj(struct ml_json *j, const char *key) { mj_open(j, key, '{'); }
void mj_obj_end(struct ml_json *j) { mj_close(j, '}'); }
void mj_arr(struct ml_json *j, const char *key) { mj_open(j, key, '['); }
void mj_arr_end(struct ml_json *j) { mj_close(j, ']'); }

void mj_strn(struct ml_json *j, const char *key, const char *val, size_t n)
{
	mj_key(j, key);
	if (val)
		mj_write_string(j->fp, val, n);
	else
		fputs("null", j->fp);
}

void mj_str(struct ml_json *j, const char *key, const char *val)
{
	mj_strn(j, key, val, val ? strlen(val) : 0);
}

void mj_int(struct ml_json *j, const char *key, long long val)
{
	mj_key(j, key);
	fprintf(j->fp, "%lld", val);
}

void mj_uint(struct ml_json *j, const char *key, unsigned long long val)
{
	mj_key(j, key);
	fprintf(j->fp, "%llu", val);
}

void mj_bool(struct ml_json *j, const char *key, bool val)
{
	mj_key(j, key);
	fputs(val ? "true" : "false", j->fp);
}

void mj_null(struct ml_json *j, const char *key)
{
	mj_key(j, key);
	fputs("null", j->fp);
}

void mj_double(struct ml_json *j, const char *key, double val, int prec)
{
	mj_key(j, key);
	if (isnan(val) || isinf(val))
		fputs("null", j->fp);
	else
		fprintf(j->fp, "%.*f", prec, val);
}

void mj_end(struct ml_json *j)
{
	fputc('\n', j->fp);
}

/* ---- tables ----------------------------------------------------------- */

struct ml_table {
	int ncols;
	const char *const *headers;
	const enum ml_align *align;
	char **cells;		/* row-major, ncols per row */
	size_t ncells, cap;
};

struct ml_table *mt_new(int ncols, const char *const *headers,
			const enum ml_align *align)
{
	struct ml_table *t = ml_alloc(sizeof(*t));

	t->ncols = ncols;
	t->headers = headers;
	t->align = align;
	return t;
}

void mt_cell(struct ml_table *t, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (t->ncells == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = ml_realloc(t->cells, t->cap * sizeof(*t->cells));
	}
	t->cells[t->ncells++] = ml_strdup(buf);
}

void mt_print(struct ml_table *t, FILE *out, const char *indent)
{
	size_t *w = ml_alloc(t->ncols * sizeof(*w));
	size_t i, nrows = (t->ncells + t->ncols - 1) / t->ncols;
	int c;

	for (c = 0; c < t->ncols; c++)
		w[c] = t->headers ? strlen(t->headers[c]) : 0;
	for (i = 0; i < t->ncells; i++) {
		size_t l = strlen(t->cells[i]);

		if (l > w[i % t->ncols])
			w[i % t->ncols] = l;
	}
	for (i = t->headers ? 0 : 1; i <= nrows; i++) {
		fputs(indent ? indent : "", out);
		for (c = 0; c < t->ncols; c++) {
			const char *s;
			size_t idx = (i - 1) * t->ncols + c;
			bool last = c == t->ncols - 1;

			if (i == 0)
				s = t->headers[c];
			else
				s = idx < t->ncells ? t->cells[idx] : "";
			if (t->align && t->align[c] == ML_RIGHT)
				fprintf(out, "%*s", (int)w[c], s);
			else if (last)
				fputs(s, out);
			else
				fprintf(out, "%-*s", (int)w[c], s);
			if (!last)
				fputs("  ", out);
		}
		fputc('\n', out);
	}
	ml_free(w);
}

const char *ml_human_bytes(unsigned long long bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", bytes);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

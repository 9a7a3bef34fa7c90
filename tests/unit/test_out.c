/* Unit tests of extension/pure/out.c: the JSON writer and the text table. */
#include <stdlib.h>
#include "tap.h"
#include "pure/pure.h"

/* run f on a memory stream, return what it wrote */
static char *capture(void (*f)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	f(m);
	fclose(m);
	return buf;
}

static void esc_basic(FILE *f) { mj_write_string(f, "a\"b\\c\n\t\x01", 8); }
static void esc_utf8(FILE *f) { mj_write_string(f, "caf\xc3\xa9 \xe2\x82\xac", 9); }
static void esc_invalid(FILE *f) { mj_write_string(f, "x\xff\xc3(y", 5); }
static void esc_overlong(FILE *f) { mj_write_string(f, "\xc0\xaf", 2); }
static void esc_surrogate(FILE *f) { mj_write_string(f, "\xed\xa0\x80", 3); }
static void esc_truncated(FILE *f) { mj_write_string(f, "ab\xe2\x82", 4); }
static void esc_del(FILE *f) { mj_write_string(f, "\x7f", 1); }
static void esc_embedded_nul(FILE *f) { mj_write_string(f, "a\0b", 3); }

static void doc_compact(FILE *f)
{
	struct ml_json j;

	mj_init(&j, f, false);
	mj_obj(&j, NULL);
	mj_str(&j, "name", "kmalloc-192");
	mj_int(&j, "neg", -5);
	mj_uint(&j, "big", 18446744073709551615ULL);
	mj_bool(&j, "t", true);
	mj_null(&j, "n");
	mj_str(&j, "nullstr", NULL);
	mj_double(&j, "d", 0.125, 3);
	mj_double(&j, "nan", 0.0 / 0.0, 3);
	mj_arr(&j, "a");
	mj_int(&j, NULL, 1);
	mj_obj(&j, NULL);
	mj_obj_end(&j);
	mj_arr(&j, NULL);
	mj_arr_end(&j);
	mj_arr_end(&j);
	mj_obj_end(&j);
	mj_end(&j);
}

static void doc_pretty(FILE *f)
{
	struct ml_json j;

	mj_init(&j, f, true);
	mj_obj(&j, NULL);
	mj_arr(&j, "zones");
	mj_obj(&j, NULL);
	mj_int(&j, "node", 0);
	mj_obj_end(&j);
	mj_arr_end(&j);
	mj_obj(&j, "empty");
	mj_obj_end(&j);
	mj_obj_end(&j);
	mj_end(&j);
}

static void table(FILE *f)
{
	static const char *const h[] = { "NAME", "OBJS", "SIZE" };
	static const enum ml_align a[] = { ML_LEFT, ML_RIGHT, ML_LEFT };
	struct ml_table *t = mt_new(3, h, a);

	mt_cell(t, "%s", "kmalloc-192");
	mt_cell(t, "%d", 1000);
	mt_cell(t, "%s", "192");
	mt_cell(t, "%s", "x");
	mt_cell(t, "%d", 7);
	mt_cell(t, "%s", "y");
	mt_print(t, f, "  ");
}

int main(void)
{
	char b[64];

	setvbuf(stdout, NULL, _IOLBF, 0);

	is_str(capture(esc_basic), "\"a\\\"b\\\\c\\n\\t\\u0001\"", "quotes, backslash, control characters escaped");
	is_str(capture(esc_utf8), "\"caf\xc3\xa9 \xe2\x82\xac\"", "valid UTF-8 passes through");
	is_str(capture(esc_invalid), "\"x\\u00ff\\u00c3(y\"", "invalid UTF-8 bytes become \\u00XX");
	is_str(capture(esc_overlong), "\"\\u00c0\\u00af\"", "overlong encoding rejected");
	is_str(capture(esc_surrogate), "\"\\u00ed\\u00a0\\u0080\"", "encoded surrogate rejected");
	is_str(capture(esc_truncated), "\"ab\\u00e2\\u0082\"", "truncated sequence at the end rejected");
	is_str(capture(esc_del), "\"\\u007f\"", "DEL escaped");
	is_str(capture(esc_embedded_nul), "\"a\\u0000b\"", "embedded NUL escaped, length honoured");
	is_str(capture(doc_compact),
	       "{\"name\":\"kmalloc-192\",\"neg\":-5,\"big\":18446744073709551615,"
	       "\"t\":true,\"n\":null,\"nullstr\":null,\"d\":0.125,\"nan\":null,"
	       "\"a\":[1,{},[]]}\n",
	       "compact document: every value type, empty containers, NaN as null");
	is_str(capture(doc_pretty),
	       "{\n  \"zones\": [\n    {\n      \"node\": 0\n    }\n  ],\n  \"empty\": {}\n}\n",
	       "pretty document indents by depth");
	is_str(capture(table),
	       "  NAME         OBJS  SIZE\n"
	       "  kmalloc-192  1000  192\n"
	       "  x               7  y\n",
	       "table columns sized to the widest cell, right alignment honoured");
	is_str(ml_human_bytes(512, b, sizeof(b)), "512 B", "bytes below 1 KiB");
	is_str(ml_human_bytes(1536, b, sizeof(b)), "1.5 KiB", "KiB");
	is_str(ml_human_bytes(6144000, b, sizeof(b)), "5.9 MiB", "MiB");
	return tap_done();
}

/* Unit tests of the snapshot JSON reader (extension/pure/mljson.c). */
#include <math.h>
#include "pure/pure.h"
#include "tap.h"

static struct mlj_value *parse(const char *s, char *err)
{
	return mlj_parse(s, strlen(s), err, 128);
}

int main(void)
{
	char err[128];
	struct mlj_value *v;
	const struct mlj_value *a, *o;

	/* a snapshot-shaped document, as out.c's mj_* write it */
	v = parse("{\n  \"memleak_snapshot\": 1,\n  \"kernel\": {\"release\": \"6.1.0\"},\n"
		  "  \"callsites\": [\n    {\"caller\": \"f [m]\", \"count\": 1000, \"bytes\": 192000},\n"
		  "    {\"caller\": \"g\", \"count\": -3, \"age\": 81.5e0}\n  ],\n"
		  "  \"ok\": true, \"no\": false, \"none\": null, \"empty\": [], \"eo\": {}\n}\n", err);
	ok(v != NULL, "a snapshot-shaped document parses");
	is_int(mlj_int(v, "memleak_snapshot", -1), 1, "integer member");
	is_str(mlj_str(mlj_get(v, "kernel"), "release", NULL), "6.1.0", "nested string");
	a = mlj_get(v, "callsites");
	is_int(mlj_len(a), 2, "array length");
	is_str(mlj_str(mlj_at(a, 0), "caller", NULL), "f [m]", "string in an array element");
	is_int(mlj_int(mlj_at(a, 0), "bytes", 0), 192000, "integer in an array element");
	is_int(mlj_int(mlj_at(a, 1), "count", 0), -3, "negative integer");
	ok(fabs(mlj_num(mlj_at(a, 1), "age", 0) - 81.5) < 1e-9, "number with exponent");
	ok(!mlj_get(mlj_at(a, 1), "age")->integral, "a fraction is not integral");
	ok(mlj_get(v, "ok")->type == MLJ_BOOL && mlj_get(v, "ok")->b, "true");
	ok(mlj_get(v, "no")->type == MLJ_BOOL && !mlj_get(v, "no")->b, "false");
	ok(mlj_get(v, "none")->type == MLJ_NULL, "null");
	is_int(mlj_len(mlj_get(v, "empty")), 0, "empty array");
	ok(mlj_get(v, "eo")->type == MLJ_OBJECT && mlj_len(mlj_get(v, "eo")) == 0, "empty object");
	ok(mlj_get(v, "missing") == NULL, "a missing member is NULL");
	is_int(mlj_int(v, "missing", 42), 42, "default for a missing member");
	is_str(mlj_str(v, "memleak_snapshot", "dflt"), "dflt", "default for a member of another type");
	ok(mlj_at(a, 5) == NULL && mlj_get(a, "x") == NULL, "out of range and not an object");

	/* escapes */
	v = parse("[\"a\\\"b\\\\c\\/d\\n\\t\", \"\\u00e9\\u20ac\", \"\\ud83d\\ude00\"]", err);
	ok(v != NULL, "escapes parse");
	is_str(mlj_at(v, 0)->str, "a\"b\\c/d\n\t", "simple escapes");
	is_str(mlj_at(v, 1)->str, "\xc3\xa9\xe2\x82\xac", "\\u escapes to UTF-8");
	is_str(mlj_at(v, 2)->str, "\xf0\x9f\x98\x80", "surrogate pair joined");

	/* large integers stay exact */
	v = parse("{\"n\": 18446744073709551, \"m\": 9007199254740993}", err);
	is_int(mlj_int(v, "m", 0), 9007199254740993LL, "integer beyond double precision exact");

	/* errors: NULL and where */
	ok(!parse("{\"a\": 1,}", err), "trailing comma refused");
	ok(strstr(err, "member name") != NULL, "error says what was expected: %s", err);
	ok(!parse("{\"a\" 1}", err), "missing colon refused");
	ok(!parse("[1, 2", err), "unterminated array refused");
	ok(!parse("\"abc", err), "unterminated string refused");
	ok(!parse("[01]", err), "leading zero refused");
	ok(!parse("[1.]", err), "bad fraction refused");
	ok(!parse("tru", err), "bad literal refused");
	ok(!parse("{} x", err), "trailing garbage refused");
	ok(strstr(err, "at byte 3") != NULL, "error offset: %s", err);
	ok(!parse("", err), "empty input refused");
	ok(!parse("[\"a\x01\"]", err), "control character refused");
	{
		char deep[200];
		int i;

		for (i = 0; i < 100; i++)
			deep[i] = '[';
		for (i = 100; i < 200; i++)
			deep[i] = ']';
		ok(!mlj_parse(deep, 200, err, sizeof(err)), "nesting beyond the bound refused");
	}
	o = parse("  {\"x\": [1, {\"y\": [true]}]}  ", err);
	ok(o && mlj_at(mlj_get(mlj_at(mlj_get(o, "x"), 1), "y"), 0)->b, "nested access");
	return tap_done();
}

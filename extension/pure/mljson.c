/*
 * mljson.c: a small JSON reader for memleak snapshots (memleak diff). Pure:
 * no crash headers, memory from the command arena (ml_alloc), unit-tested
 * in tests/unit/test_mljson.c.
 *
 * RFC 8259 values into a tree; numbers kept as double and, when integral,
 * as long long too; strings unescaped (\uXXXX to UTF-8, surrogate pairs
 * joined). Depth is bounded; an error gives its byte offset and what was
 * expected, never a partial tree.
 */
#include "pure/pure.h"

#include <stdlib.h>
#include <string.h>

#define MLJ_MAX_DEPTH 64

struct mlj_parser {
	const char *s, *end;
	const char *err;
	size_t err_at;
	int depth;
};

static void mlj_ws(struct mlj_parser *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
		p->s++;
}

static struct mlj_value *mlj_fail(struct mlj_parser *p, const char *what, const char *start)
{
	if (!p->err) {
		p->err = what;
		p->err_at = (size_t)(p->s - start);
	}
	return NULL;
}

static void mlj_put_utf8(char *out, size_t *n, unsigned long cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | (cp >> 6));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xe0 | (cp >> 12));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | (cp >> 18));
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int mlj_hex4(const char *s, const char *end, unsigned long *v)
{
	int i;

	*v = 0;
	if (end - s < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned long)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned long)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* p->s at the opening quote; returns the unescaped string (arena) */
static char *mlj_string(struct mlj_parser *p, const char *start, size_t *len)
{
	const char *q = p->s + 1;
	char *out;
	size_t n = 0;

	/* unescaped output is never longer than the input */
	while (q < p->end && *q != '"') {
		if (*q == '\\')
			q++;
		q++;
	}
	if (q >= p->end) {
		mlj_fail(p, "unterminated string", start);
		return NULL;
	}
	out = ml_alloc((size_t)(q - p->s) + 1);
	q = p->s + 1;
	while (*q != '"') {
		unsigned char c = (unsigned char)*q;

		if (c < 0x20) {
			p->s = q;
			mlj_fail(p, "control character in string", start);
			return NULL;
		}
		if (c != '\\') {
			out[n++] = (char)c;
			q++;
			continue;
		}
		q++;
		switch (*q) {
		case '"': out[n++] = '"'; break;
		case '\\': out[n++] = '\\'; break;
		case '/': out[n++] = '/'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u': {
			unsigned long cp, lo;

			if (mlj_hex4(q + 1, p->end, &cp) < 0) {
				p->s = q;
				mlj_fail(p, "bad \\u escape", start);
				return NULL;
			}
			q += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && q + 2 < p->end && q[1] == '\\' &&
			    q[2] == 'u' && mlj_hex4(q + 3, p->end, &lo) == 0 && lo >= 0xdc00 &&
			    lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				q += 6;
			}
			mlj_put_utf8(out, &n, cp);
			break;
		}
		default:
			p->s = q;
			mlj_fail(p, "bad escape in string", start);
			return NULL;
		}
		q++;
	}
	out[n] = '\0';
	*len = n;
	p->s = q + 1;
	return out;
}

static struct mlj_value *mlj_value(struct mlj_parser *p, const char *start);

static void mlj_push(struct mlj_value *v, struct mlj_value *child, const char *key)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 8;
		v->items = ml_realloc(v->items, v->cap * sizeof(*v->items));
		v->keys = ml_realloc(v->keys, v->cap * sizeof(*v->keys));
	}
	v->items[v->n] = child;
	v->keys[v->n] = key;
	v->n++;
}

static struct mlj_value *mlj_container(struct mlj_parser *p, const char *start, bool obj)
{
	struct mlj_value *v = ml_alloc(sizeof(*v));
	char close = obj ? '}' : ']';

	v->type = obj ? MLJ_OBJECT : MLJ_ARRAY;
	if (++p->depth > MLJ_MAX_DEPTH)
		return mlj_fail(p, "nested too deep", start);
	p->s++;
	mlj_ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		p->depth--;
		return v;
	}
	for (;;) {
		const char *key = NULL;
		struct mlj_value *child;
		size_t klen;

		mlj_ws(p);
		if (obj) {
			if (p->s >= p->end || *p->s != '"')
				return mlj_fail(p, "expected a member name", start);
			if (!(key = mlj_string(p, start, &klen)))
				return NULL;
			mlj_ws(p);
			if (p->s >= p->end || *p->s != ':')
				return mlj_fail(p, "expected ':'", start);
			p->s++;
		}
		if (!(child = mlj_value(p, start)))
			return NULL;
		mlj_push(v, child, key);
		mlj_ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == close) {
			p->s++;
			p->depth--;
			return v;
		}
		return mlj_fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'", start);
	}
}

static struct mlj_value *mlj_number(struct mlj_parser *p, const char *start)
{
	const char *q = p->s;
	bool integral = true;
	char buf[64];
	struct mlj_value *v;

	if (q < p->end && *q == '-')
		q++;
	if (q >= p->end || *q < '0' || *q > '9')
		return mlj_fail(p, "expected a value", start);
	if (*q == '0')
		q++;
	else
		while (q < p->end && *q >= '0' && *q <= '9')
			q++;
	if (q < p->end && *q == '.') {
		integral = false;
		q++;
		if (q >= p->end || *q < '0' || *q > '9')
			return mlj_fail(p, "bad number", start);
		while (q < p->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < p->end && (*q == 'e' || *q == 'E')) {
		integral = false;
		q++;
		if (q < p->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= p->end || *q < '0' || *q > '9')
			return mlj_fail(p, "bad number", start);
		while (q < p->end && *q >= '0' && *q <= '9')
			q++;
	}
	if ((size_t)(q - p->s) >= sizeof(buf))
		return mlj_fail(p, "number too long", start);
	memcpy(buf, p->s, (size_t)(q - p->s));
	buf[q - p->s] = '\0';
	v = ml_alloc(sizeof(*v));
	v->type = MLJ_NUMBER;
	v->num = strtod(buf, NULL);
	v->integral = integral;
	v->i = integral ? strtoll(buf, NULL, 10) : (long long)v->num;
	p->s = q;
	return v;
}

static struct mlj_value *mlj_literal(struct mlj_parser *p, const char *start, const char *word,
				     enum mlj_type t, bool b)
{
	size_t n = strlen(word);
	struct mlj_value *v;

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, word, n) != 0)
		return mlj_fail(p, "expected a value", start);
	p->s += n;
	v = ml_alloc(sizeof(*v));
	v->type = t;
	v->b = b;
	return v;
}

static struct mlj_value *mlj_value(struct mlj_parser *p, const char *start)
{
	struct mlj_value *v;

	mlj_ws(p);
	if (p->s >= p->end)
		return mlj_fail(p, "unexpected end", start);
	switch (*p->s) {
	case '{': return mlj_container(p, start, true);
	case '[': return mlj_container(p, start, false);
	case '"':
		v = ml_alloc(sizeof(*v));
		v->type = MLJ_STRING;
		if (!(v->str = mlj_string(p, start, &v->len)))
			return NULL;
		return v;
	case 't': return mlj_literal(p, start, "true", MLJ_BOOL, true);
	case 'f': return mlj_literal(p, start, "false", MLJ_BOOL, false);
	case 'n': return mlj_literal(p, start, "null", MLJ_NULL, false);
	default: return mlj_number(p, start);
	}
}

struct mlj_value *mlj_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct mlj_parser p = { .s = text, .end = text + len };
	struct mlj_value *v = mlj_value(&p, text);

	if (v) {
		mlj_ws(&p);
		if (p.s != p.end) {
			mlj_fail(&p, "trailing characters after the document", text);
			v = NULL;
		}
	}
	if (!v && err)
		snprintf(err, errlen, "%s at byte %zu", p.err ? p.err : "parse error", p.err_at);
	return v;
}

const struct mlj_value *mlj_get(const struct mlj_value *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != MLJ_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const struct mlj_value *mlj_at(const struct mlj_value *arr, size_t i)
{
	if (!arr || (arr->type != MLJ_ARRAY && arr->type != MLJ_OBJECT) || i >= arr->n)
		return NULL;
	return arr->items[i];
}

size_t mlj_len(const struct mlj_value *v)
{
	return v && (v->type == MLJ_ARRAY || v->type == MLJ_OBJECT) ? v->n : 0;
}

const char *mlj_str(const struct mlj_value *obj, const char *key, const char *dflt)
{
	const struct mlj_value *v = mlj_get(obj, key);

	return v && v->type == MLJ_STRING ? v->str : dflt;
}

long long mlj_int(const struct mlj_value *obj, const char *key, long long dflt)
{
	const struct mlj_value *v = mlj_get(obj, key);

	return v && v->type == MLJ_NUMBER ? v->i : dflt;
}

double mlj_num(const struct mlj_value *obj, const char *key, double dflt)
{
	const struct mlj_value *v = mlj_get(obj, key);

	return v && v->type == MLJ_NUMBER ? v->num : dflt;
}

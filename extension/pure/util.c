/*
 * util.c: small pieces every layer uses -- Brent's cycle check for pointer
 * chains, and matching a name against a comma-separated list (-c CACHE,...).
 * The bits of a kernel bitmap read as bytes (CMA's allocation bitmaps).
 * No crash headers (pure/pure.h); unit-tested in tests/unit/test_util.c.
 */
#include "pure/pure.h"

#include <string.h>

/*
 * Brent's cycle detection: a saved position is replaced at powers of two;
 * meeting it again means a cycle. It costs two words, whatever the length
 * of the chain, and finds a cycle within twice its length plus its tail.
 */
void ml_cycle_init(struct ml_cycle *c, uint64_t start)
{
	c->saved = start;
	c->power = 1;
	c->lam = 0;
}

bool ml_cycle_step(struct ml_cycle *c, uint64_t pos)
{
	if (pos == c->saved)
		return true;
	if (++c->lam == c->power) {
		c->saved = pos;
		c->power <<= 1;
		c->lam = 0;
	}
	return false;
}

bool ml_name_in_list(const char *name, const char *list)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p && *p) {
		const char *e = strchr(p, ',');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && strncmp(p, name, n) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

uint64_t ml_lebits_weight(const unsigned char *b, uint64_t nbits)
{
	uint64_t i, n = 0;

	for (i = 0; i + 8 <= nbits; i += 8)
		n += __builtin_popcount(b[i / 8]);
	for (; i < nbits; i++)
		n += b[i / 8] >> (i % 8) & 1;
	return n;
}

uint64_t ml_lebits_max_clear_run(const unsigned char *b, uint64_t nbits)
{
	uint64_t i, run = 0, best = 0;

	for (i = 0; i < nbits; i++) {
		if (!(i % 8) && i + 8 <= nbits && b[i / 8] == 0) {
			run += 8;
			i += 7;
		} else if (b[i / 8] >> (i % 8) & 1) {
			run = 0;
			continue;
		} else {
			run++;
		}
		if (run > best)
			best = run;
	}
	return best;
}

/* __start_X, __stop_X, __end_X, __X_start, __X_end: the section bounds a
 * linker script defines (kallsyms sorts them after the real symbol) */
static bool ml_ksym_linker_provided(const char *s)
{
	size_t n = strlen(s);

	if (n < 8 || s[0] != '_' || s[1] != '_')
		return false;
	return strncmp(s + 2, "start_", 6) == 0 || strncmp(s + 2, "stop_", 5) == 0 ||
	       strncmp(s + 2, "end_", 4) == 0 || strcmp(s + n - 6, "_start") == 0 ||
	       strcmp(s + n - 4, "_end") == 0;
}

int ml_ksym_alias_cmp(const char *a, bool a_weak, const char *b, bool b_weak)
{
	int d;

	if (a_weak != b_weak)
		return a_weak ? 1 : -1;
	d = (int)ml_ksym_linker_provided(a) - (int)ml_ksym_linker_provided(b);
	if (d)
		return d;
	return (int)strspn(a, "_") - (int)strspn(b, "_");
}

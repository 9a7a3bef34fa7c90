/* The command arena for unit tests: plain calloc/free, abort on exhaustion. */
#include <stdlib.h>
#include <string.h>
#include "pure/pure.h"

void *ml_alloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

void *ml_realloc(void *p, size_t size)
{
	void *n = realloc(p, size);

	if (!n)
		abort();
	return n;
}

char *ml_strdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

void ml_free(void *p)
{
	free(p);
}

/* The extension frees through the command arena, which these tests do not
 * model; leaks here are the tests' own captured strings. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

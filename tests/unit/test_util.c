/* Unit tests of util.c: Brent's cycle check on chains built here, and the
 * comma-list matcher of -c CACHE,CACHE. */
#include "tap.h"
#include "pure/pure.h"

/* walk next[] from start for at most max steps; the step a cycle was seen
 * at, or -1 if the chain ended (next == 0) */
static long walk(const unsigned *next, unsigned start, long max)
{
	struct ml_cycle c;
	unsigned p = start;
	long n;

	ml_cycle_init(&c, start);
	for (n = 0; n < max; n++) {
		p = next[p];
		if (!p)
			return -1;
		if (ml_cycle_step(&c, p))
			return n;
	}
	return max;
}

int main(void)
{
	/* 1 -> 2 -> ... -> 9 -> 0 (end) */
	unsigned line[10] = { 0, 2, 3, 4, 5, 6, 7, 8, 9, 0 };
	/* 1 -> 2 -> 3 -> 4 -> 5 -> 3: a cycle that does not pass the start */
	unsigned rho[6] = { 0, 2, 3, 4, 5, 3 };
	/* 1 -> 1: a node pointing at itself */
	unsigned self[2] = { 0, 1 };
	unsigned big[1001];
	long n;
	int i;

	is_int(walk(line, 1, 100), -1, "a chain without a cycle ends");
	n = walk(rho, 1, 100);
	ok(n >= 0 && n < 2 * 6, "a cycle behind a tail is found within twice the chain (%ld)", n);
	is_int(walk(self, 1, 100) >= 0, 1, "a node pointing at itself is a cycle");
	/* a long cycle back to the start: found, in bounded steps */
	for (i = 1; i < 1000; i++)
		big[i] = i + 1;
	big[1000] = 1;
	n = walk(big, 1, 100000);
	ok(n >= 999 && n < 4000, "a 1000-long cycle through the start is found in %ld steps", n);

	ok(ml_name_in_list("kmalloc-64", "kmalloc-64"), "a single name matches");
	ok(ml_name_in_list("dentry", "kmalloc-64,dentry"), "the last of a list matches");
	ok(!ml_name_in_list("kmalloc-6", "kmalloc-64,dentry"), "a prefix does not match");
	ok(!ml_name_in_list("kmalloc-64", "kmalloc-6"), "a longer name does not match a prefix");
	ok(!ml_name_in_list("x", ""), "an empty list matches nothing");
	ok(!ml_name_in_list("x", NULL), "no list matches nothing");
	ok(ml_name_in_list("", "a,,b"), "an empty name matches an empty item");

	/* bitmaps as bytes: bits 0-3 set, 4-19 clear, 20 set, 21-39 clear
	 * (the last run ends at nbits, inside a byte) */
	{
		unsigned char bm[5] = { 0x0f, 0x00, 0x10, 0x00, 0xf0 };

		is_int(ml_lebits_weight(bm, 36), 5, "weight stops at nbits");
		is_int(ml_lebits_weight(bm, 40), 9, "weight over whole bytes");
		is_int(ml_lebits_max_clear_run(bm, 40), 16, "the longest clear run inside");
		is_int(ml_lebits_max_clear_run(bm, 36), 16, "a shorter tail run loses");
		is_int(ml_lebits_max_clear_run(bm + 1, 3), 3, "a run that ends at nbits");
		is_int(ml_lebits_max_clear_run(bm, 0), 0, "no bits, no run");
		memset(bm, 0, sizeof(bm));
		is_int(ml_lebits_max_clear_run(bm, 37), 37, "an empty bitmap is one run");
		is_int(ml_lebits_weight(bm, 37), 0, "an empty bitmap weighs 0");
	}

	/* aliases at one address: the name kallsyms prints */
	ok(ml_ksym_alias_cmp("ret_fast_syscall", false, "__ret_fast_syscall", false) < 0,
	   "fewer leading underscores first");
	ok(ml_ksym_alias_cmp("__ret_fast_syscall", false, "ret_fast_syscall", false) > 0,
	   "and the other way round");
	ok(ml_ksym_alias_cmp("__do_sys_x", false, "do_x", true) < 0, "strong before weak");
	ok(ml_ksym_alias_cmp("__start_foo", false, "__init_foo", false) > 0,
	   "a linker script's bound after a real symbol");
	ok(ml_ksym_alias_cmp("__bss_end", false, "__x", false) > 0, "__X_end is a bound");
	is_int(ml_ksym_alias_cmp("a", false, "b", false), 0, "otherwise table order");
	return tap_done();
}

/* Unit tests of slabcalc.c: free pointer and handle decoding, slabinfo's
 * columns, ages, and callsite grouping, on values taken from a real 6.1
 * dump (debian-6.1 leak fixture) where they are not made up by hand. */
#include <stdlib.h>

#include "pure/pure.h"
#include "tap.h"

/* the kernel's set_freepointer(), to check the decoder inverts it */
static uint64_t encode(uint64_t ptr, uint64_t ptr_addr, uint64_t random)
{
	return ptr ^ random ^ __builtin_bswap64(ptr_addr);
}

int main(void)
{
	/* ---- free pointers ---- */
	uint64_t random = 0x9e3779b97f4a7c15ULL, at = 0xffff888003c1a040ULL;
	uint64_t next = 0xffff888003c1a148ULL;

	is_int(ml_swab64(0x0102030405060708ULL), 0x0807060504030201ULL, "swab64");
	is_int(ml_freeptr_decode(encode(next, at, random), at, random, true, 8), next,
	       "hardened free pointer decodes to the next object");
	is_int(ml_freeptr_decode(encode(0, at, random), at, random, true, 8), 0,
	       "hardened NULL (end of freelist) decodes to 0");
	is_int(ml_freeptr_decode(next, at, random, false, 8), next, "plain free pointer as stored");
	/* a 32-bit kernel (ARM): swab32 of the 32-bit address */
	uint32_t r32 = 0x7f4a7c15, at32 = 0xc3c1a040, next32 = 0xc3c1a148;
	uint32_t enc32 = next32 ^ r32 ^ __builtin_bswap32(at32);
	is_int(ml_freeptr_decode(enc32, at32, r32, true, 4), next32,
	       "32-bit hardened free pointer decodes with swab32");
	is_int(ml_freeptr_decode(r32 ^ __builtin_bswap32(at32), at32, r32, true, 4), 0,
	       "32-bit hardened NULL decodes to 0");

	/* ---- stack depot handles: 6.1 union handle_parts from DWARF ---- */
	struct ml_handle_layout l61 = { 0, 16, 16, 10, 26, 27, 5, 4 };
	struct ml_handle_parts p;
	uint32_t h = (3u << 0) | (0x2a5u << 16) | (1u << 26) | (0x11u << 27);

	ml_handle_decode(h, &l61, &p);
	is_int(p.index, 3, "6.1 handle: slabindex");
	is_int(p.offset, 0x2a5, "6.1 handle: offset");
	is_int(p.valid, 1, "6.1 handle: valid");
	is_int(p.extra, 0x11, "6.1 handle: extra");
	is_int(p.byte_offset, 0x2a5 << 4, "record offset = offset << DEPOT_STACK_ALIGN");
	is_int(ml_handle_strip_extra(h, &l61), h & 0x07ffffffu, "extra bits stripped");
	is_int(ml_handle_pool_size(&l61), 16384, "6.1 pool: 4 pages");
	/* 6.9: pool_index_plus_1:17, offset:10, extra:5, no valid bit */
	struct ml_handle_layout l69 = { 0, 17, 17, 10, -1, 27, 5, 4 };

	ml_handle_decode((1u << 0) | (7u << 17), &l69, &p);
	is_int(p.index, 1, "6.9 handle: pool_index_plus_1");
	is_int(p.valid, 1, "no valid bit: every handle counts as valid");
	is_int(ml_bits(0x80000000u, 31, 1), 1, "ml_bits: frozen bit");
	is_int(ml_bits(0x00150017u, 16, 15), 0x15, "ml_bits: objects");

	/* ---- slabinfo columns: kmalloc-192 of the fixture ---- */
	struct ml_slab_totals t = { .objects = 1296, .total_objects = 1305, .slabs = 87,
		.partial = 1, .cpu_slabs = 0, .object_size = 192, .slab_size = 264,
		.order = 0, .page_size = 4096 };

	is_int(ml_slab_bytes(&t), 87 * 4096, "slab memory");
	is_int(ml_slab_loss(&t), 87 * 4096 - 1296 * 192, "Loss");
	is_int(ml_slab_pct_free(&t), 1, "%%Fr = partial * 100 / slabs");
	is_int(ml_slab_pct_eff(&t), 69, "%%Ef = objects * object_size * 100 / memory");
	t.slabs = 0;
	is_int(ml_slab_pct_free(&t), 100, "%%Fr of an empty cache");

	/* ---- ages: jiffies start 5 minutes before wrapping ---- */
	ok(ml_jiffies_age_s(4294914345UL, 4294914345UL - 2500, 250) == 10.0, "age in seconds");
	ok(ml_jiffies_age_s(5, (unsigned long)-5, 10) == 1.0, "age across a jiffies wrap");
	/* HZ from the clocks: debian-6.12 leak dump (HZ=250, mq-deadline a
	 * module, so crash fell back to 1000): jiffies_64 0xffff74fd,
	 * last_jiffies_update 157652000000 */
	is_int(ml_hz_from_clocks(0xffff74fdULL, 157652000000LL), 250, "HZ 250 from jiffies_64 and last_jiffies_update");
	is_int(ml_initial_jiffies(250), 4294892296ULL, "INITIAL_JIFFIES at HZ 250");
	is_int(ml_hz_from_clocks(ml_initial_jiffies(1000) + 5000, 5000000000LL), 1000, "HZ 1000, 5 s after boot");
	is_int(ml_hz_from_clocks(ml_initial_jiffies(100) + 100, 1000000000LL), 100, "HZ 100, 1 s after boot");
	is_int(ml_hz_from_clocks(ml_initial_jiffies(300) + 300 * 3600, 3600000000000LL), 300, "HZ 300, an hour after boot");
	is_int(ml_hz_from_clocks(0xffff74fdULL, 0), 0, "no clock: unknown");
	is_int(ml_hz_from_clocks(0xffff74fdULL, 9000000000000LL), 0, "no HZ fits: unknown");

	/* ---- callsites ---- */
	struct ml_sites *s = ml_sites_new();
	struct ml_site_obj o = { .addr = 0x1000, .handle = 7, .when = 90, .now = 100,
				 .pid = 93, .cpu = 1, .node = 0, .waste = 16 };
	size_t n;
	struct ml_site **v;
	unsigned long objsize[2] = { 192, 4096 };
	char buf[64];
	int i;

	for (i = 0; i < 3; i++)
		ml_sites_add(s, 0, false, &o);
	o.handle = 8;
	o.when = 50;
	o.pid = 2;
	o.cpu = 0;
	ml_sites_add(s, 0, false, &o);
	o.addr = 0x2000;
	o.when = 0;		/* no time recorded */
	ml_sites_add(s, 1, false, &o);
	is_int(ml_sites_count(s), 2, "two callers");
	v = ml_sites_sorted(s, ML_SITE_BY_COUNT, objsize, &n);
	is_int(n, 2, "sorted: two groups");
	is_int(v[0]->count, 4, "largest count first");
	is_int(v[0]->min_age, 10, "min age");
	is_int(v[0]->max_age, 50, "max age");
	is_int(v[0]->sum_age / v[0]->aged, 20, "avg age");
	is_int(v[0]->min_pid, 2, "min pid");
	is_int(v[0]->max_pid, 93, "max pid");
	is_int(v[0]->waste, 64, "waste summed");
	ok(v[0]->handles_differ, "two stacks under one caller noticed");
	is_str(ml_bitmap_list(v[0]->cpus, ML_SITE_CPU_WORDS, buf, sizeof(buf)), "0-1", "cpus 0-1");
	is_int(v[1]->aged, 0, "a track without time has no age");
	v = ml_sites_sorted(s, ML_SITE_BY_BYTES, objsize, &n);
	is_int(v[0]->key.addr, 0x2000, "by bytes: 1 x 4096 before 4 x 192");

	s = ml_sites_new();
	o.addr = 0x1000;
	o.handle = 7;
	ml_sites_add(s, 0, true, &o);
	o.handle = 8;
	ml_sites_add(s, 0, true, &o);
	is_int(ml_sites_count(s), 2, "by stack: one group per handle");

	uint64_t w[2] = { 0x2dULL, 1ULL };	/* 0,2-3,5 and 64 */

	is_str(ml_bitmap_list(w, 2, buf, sizeof(buf)), "0,2-3,5,64", "%%*pbl list");
	w[0] = w[1] = 0;
	is_str(ml_bitmap_list(w, 2, buf, sizeof(buf)), "", "empty bitmap");
	return tap_done();
}

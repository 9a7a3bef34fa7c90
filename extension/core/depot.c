/*
 * depot.c: stack depot handles to stacks, for every layout since 5.10.
 *
 * A handle (depot_stack_handle_t, 32 bits) names a record in a pool:
 * union handle_parts { index, offset, [valid], extra }, bit positions read
 * from DWARF at load (probe.c). The record is pool + (offset << 4), a
 * struct stack_record whose size and entries[] members debuginfo gives.
 *
 *   - stack_slabs[] until v6.3, stack_pools[] after: commit 961c949b012f
 *     ("lib/stackdepot: rename slab to pool") in v6.3;
 *   - "valid" bit dropped in v6.8 ("lib/stackdepot: drop valid bit from
 *     handles");
 *   - the index field holds index + 1 since commit 3ee34eabac2a
 *     ("lib/stackdepot: fix first entry having a 0-handle") in v6.9, named
 *     pool_index_plus_1 by commit a6c1d9cb9a68 -- but 3ee34eabac2a was
 *     backported to 6.8.2 under the old name, so a "pool_index" layout is
 *     tried both ways and the record's own copy of its handle decides.
 *
 * Each pool is read whole, once, on first use (a handful of reads for a
 * whole command); records and their entries are cached by handle.
 */
#include "core/core.h"

struct ml_depot_rec {
	uint32_t handle;	/* without extra bits: the hash key */
	enum ml_depot_status st;
	unsigned int nr;
	ulong *entries;
	UT_hash_handle hh;
};

struct ml_depot_pool {
	long index;
	char *buf;		/* NULL: unreadable */
	ulong addr;
	UT_hash_handle hh;
};

static struct ml_depot_rec *ml_depot_recs;
static struct ml_depot_pool *ml_depot_pools;
static struct ml_handle_layout ml_depot_layout;
static const char *ml_depot_array;	/* stack_slabs or stack_pools */
static long ml_depot_array_len;
struct ml_depot_stats ml_depot_stats;

/* the most frames a record may hold (CONFIG_STACKDEPOT_MAX_FRAMES <= 256) */
#define ML_DEPOT_MAX_FRAMES 256

void ml_depot_begin(void)
{
	/* the previous command's arena is gone: forget its tables */
	ml_depot_recs = NULL;
	ml_depot_pools = NULL;
	memset(&ml_depot_stats, 0, sizeof(ml_depot_stats));
	ml_depot_layout.index_shift = ml_feat.depot_index.shift;
	ml_depot_layout.index_bits = ml_feat.depot_index.bits;
	ml_depot_layout.offset_shift = ml_feat.depot_offset.shift;
	ml_depot_layout.offset_bits = ml_feat.depot_offset.bits;
	ml_depot_layout.valid_shift = ml_feat.depot_valid.shift;
	ml_depot_layout.extra_shift = ml_feat.depot_extra.shift;
	ml_depot_layout.extra_bits = ml_feat.depot_extra.bits;
	ml_depot_layout.align = ml_feat.depot_align;
	ml_depot_array = ml_feat.depot == ML_DEPOT_SLABS ? "stack_slabs" : "stack_pools";
	ml_depot_array_len = 0;
	if (ml_feat.depot != ML_DEPOT_NONE && symbol_exists((char *)ml_depot_array)) {
		/* an array of pool pointers, or (should a kernel allocate it)
		 * a pointer to one: -1, bounded by the handle's index bits */
		if (get_symbol_type((char *)ml_depot_array, NULL, NULL) == TYPE_CODE_PTR)
			ml_depot_array_len = -1;
		else
			ml_depot_array_len = get_array_length((char *)ml_depot_array, NULL, 0);
	}
}

const char *ml_depot_unavailable(void)
{
	if (ml_feat.depot == ML_DEPOT_NONE)
		return "no stack depot in this kernel (CONFIG_STACKDEPOT off)";
	if (ml_feat.depot_disabled == ML_YES)
		return "stack depot disabled at boot (stack_depot_disable=on)";
	if (ml_feat.depot_index.shift < 0 || ml_feat.depot_offset.shift < 0)
		return "stack depot handle layout not found in debuginfo";
	if (!ML_HAS(stack_record, size) || !ML_HAS(stack_record, entries))
		return "struct stack_record not in debuginfo";
	return NULL;
}

const char *ml_depot_status_str(enum ml_depot_status st)
{
	switch (st) {
	case ML_DEPOT_OK: return "ok";
	case ML_DEPOT_NOHANDLE: return "no stack recorded";
	case ML_DEPOT_BADHANDLE: return "bad handle";
	case ML_DEPOT_UNREADABLE: return "stack not in the dump";
	case ML_DEPOT_UNAVAILABLE: return "stack depot unavailable";
	}
	return "?";
}

/* address of pool number idx, 0 if none */
static ulong ml_depot_pool_addr(long idx)
{
	ulong base, p = 0;

	if (idx < 0 || (ml_depot_array_len > 0 && idx >= ml_depot_array_len))
		return 0;
	base = symbol_value((char *)ml_depot_array);
	if (ml_depot_array_len < 0) {
		/* a pointer to the array of pools */
		if (!ml_read_ulong(base, &base, ml_depot_array))
			return 0;
	}
	if (!ml_read_ulong(base + idx * sizeof(ulong), &p, "stack depot pool"))
		return 0;
	return p;
}

static struct ml_depot_pool *ml_depot_pool(long idx)
{
	struct ml_depot_pool *pool;
	uint64_t size = ml_handle_pool_size(&ml_depot_layout);

	HASH_FIND(hh, ml_depot_pools, &idx, sizeof(idx), pool);
	if (pool)
		return pool;
	pool = ml_alloc(sizeof(*pool));
	pool->index = idx;
	pool->addr = ml_depot_pool_addr(idx);
	if (pool->addr && size <= (1 << 24)) {
		pool->buf = ml_alloc(size);
		if (ml_read(pool->addr, pool->buf, size, "stack depot pool")) {
			ml_depot_stats.pools_read++;
		} else {
			ml_free(pool->buf);
			pool->buf = NULL;
		}
	}
	HASH_ADD(hh, ml_depot_pools, index, sizeof(idx), pool);
	return pool;
}

/*
 * The record of a handle in pool idx: ML_DEPOT_OK and *rec_out filled
 * when the record is there and names itself by the same handle.
 */
static enum ml_depot_status ml_depot_record(long idx, uint64_t byte_off, uint32_t want,
					    struct ml_depot_rec *rec)
{
	struct ml_depot_pool *pool = ml_depot_pool(idx);
	uint64_t size = ml_handle_pool_size(&ml_depot_layout);
	long off_size = ML_OFF(stack_record, size), off_ent = ML_OFF(stack_record, entries);
	/* the record's own handle, a cross-check where the kernel has it */
	long off_h = ML_OFF_RAW(stack_record, handle);
	unsigned int nr;
	char hdr[256], *r;

	if (!pool->addr)
		return ML_DEPOT_BADHANDLE;
	if (byte_off + off_ent > size || off_ent > (long)sizeof(hdr))
		return ML_DEPOT_BADHANDLE;
	if (pool->buf) {
		r = pool->buf + byte_off;
	} else {
		/* the pool could not be read whole: the record alone */
		if (!ml_read(pool->addr + byte_off, hdr, off_ent, "stack_record"))
			return ML_DEPOT_UNREADABLE;
		r = hdr;
	}
	nr = ml_get_u32(r, off_size);
	if (nr == 0 || nr > ML_DEPOT_MAX_FRAMES ||
	    byte_off + off_ent + (uint64_t)nr * sizeof(ulong) > size)
		return ML_DEPOT_BADHANDLE;
	if (off_h >= 0) {
		uint32_t own = ml_get_u32(r, off_h);

		if (ml_handle_strip_extra(own, &ml_depot_layout) != want)
			return ML_DEPOT_BADHANDLE;
	}
	rec->nr = nr;
	rec->entries = ml_alloc(nr * sizeof(ulong));
	if (pool->buf) {
		memcpy(rec->entries, r + off_ent, nr * sizeof(ulong));
	} else if (!ml_read(pool->addr + byte_off + off_ent, rec->entries,
			    nr * sizeof(ulong), "stack_record.entries")) {
		ml_free(rec->entries);
		rec->entries = NULL;
		rec->nr = 0;
		return ML_DEPOT_UNREADABLE;
	}
	return ML_DEPOT_OK;
}

static enum ml_depot_status ml_depot_lookup(uint32_t h, struct ml_depot_rec *rec)
{
	struct ml_handle_parts p;
	enum ml_depot_status st, st2;

	ml_handle_decode(h, &ml_depot_layout, &p);
	if (!p.valid)
		return ML_DEPOT_BADHANDLE;
	switch (ml_feat.depot) {
	case ML_DEPOT_SLABS:
		return ml_depot_record(p.index, p.byte_offset, h, rec);
	case ML_DEPOT_POOLS_PLUS1:
		return p.index ? ml_depot_record((long)p.index - 1, p.byte_offset, h, rec)
			       : ML_DEPOT_BADHANDLE;
	case ML_DEPOT_POOLS:
		/* plain index, or index + 1 on 6.8.2+ stable (see the top) */
		st = ml_depot_record(p.index, p.byte_offset, h, rec);
		if (st == ML_DEPOT_OK || !p.index)
			return st;
		st2 = ml_depot_record((long)p.index - 1, p.byte_offset, h, rec);
		return st2 == ML_DEPOT_OK ? st2 : st;
	case ML_DEPOT_NONE:
		break;
	}
	return ML_DEPOT_UNAVAILABLE;
}

enum ml_depot_status ml_depot_fetch(uint32_t handle, const ulong **entries, unsigned int *nr)
{
	struct ml_depot_rec *rec;
	uint32_t h;

	*entries = NULL;
	*nr = 0;
	if (!handle)
		return ML_DEPOT_NOHANDLE;
	if (ml_depot_unavailable())
		return ML_DEPOT_UNAVAILABLE;
	h = ml_handle_strip_extra(handle, &ml_depot_layout);
	HASH_FIND(hh, ml_depot_recs, &h, sizeof(h), rec);
	if (!rec) {
		rec = ml_alloc(sizeof(*rec));
		rec->handle = h;
		rec->st = ml_depot_lookup(h, rec);
		if (rec->st == ML_DEPOT_OK)
			ml_depot_stats.records++;
		else
			ml_depot_stats.failed++;
		HASH_ADD(hh, ml_depot_recs, handle, sizeof(h), rec);
	}
	*entries = rec->entries;
	*nr = rec->nr;
	return rec->st;
}

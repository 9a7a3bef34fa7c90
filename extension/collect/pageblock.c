/*
 * pageblock.c: the migratetype of each pageblock, as
 * get_pageblock_migratetype() reads it, for "memleak zones" (block counts,
 * pagetypeinfo's mixed blocks).
 */
#include "collect/collect.h"

void ml_pb_reader_free(struct ml_pb_reader *r)
{
	int i;

	for (i = 0; i < r->nflat; i++)
		ml_free(r->flat[i].map);
	ml_free(r->flat);
	ml_free(r->map);
}

static bool ml_pb_flat_init(struct ml_zones_ctx *c, struct ml_pb_reader *r)
{
	ulong nr = 1UL << c->pb_order;
	int i;

	if (!ML_HAS(zone, pageblock_flags) || c->nz <= 0)
		return false;
	r->c = c;
	r->flat = ml_alloc(c->nz * sizeof(*r->flat));
	r->nflat = c->nz;
	for (i = 0; i < c->nz; i++) {
		memset(&r->flat[i], 0, sizeof(r->flat[i]));
		r->flat[i].base = c->zones[i].start_pfn & ~(nr - 1);
		r->flat[i].end = c->zones[i].start_pfn + c->zones[i].spanned;
	}
	return true;
}

/* zone i's bitmap, read on its first lookup only (a per-zone walk needs
 * one zone's) */
static const ulong *ml_pb_flat_map(struct ml_pb_reader *r, int i)
{
	struct ml_zones_ctx *c = r->c;
	struct ml_pb_flat *f = &r->flat[i];
	ulong map = 0, blocks = (f->end - f->base + (1UL << c->pb_order) - 1) >> c->pb_order;
	size_t bytes = ((blocks * c->pb_bits + ML_BITS_PER_LONG - 1) / ML_BITS_PER_LONG) *
		       sizeof(ulong);

	if (f->tried)
		return f->map;
	f->tried = true;
	if (!ml_read_ulong(c->zones[i].addr + ML_OFF(zone, pageblock_flags), &map,
			   "zone.pageblock_flags") || !map || bytes > (64UL << 20))
		return NULL;
	f->map = ml_alloc(bytes);
	if (!ml_read(map, f->map, bytes, "zone pageblock_flags")) {
		ml_free(f->map);
		f->map = NULL;
	}
	return f->map;
}

bool ml_pb_reader_init(struct ml_zones_ctx *c, struct ml_pb_reader *r)
{
	memset(r, 0, sizeof(*r));
	if (c->pb_order < 0)
		return false;
	if (!IS_SPARSEMEM())
		return ml_pb_flat_init(c, r);
	if (!ML_HAS(mem_section, usage) || !ML_HAS(mem_section_usage, pageblock_flags))
		return false;
	r->c = c;
	r->sec = ~0UL;
	/* usemap_size(): whole unsigned longs, the target's (32 bits on ARM) */
	r->mapbytes = (((PAGES_PER_SECTION() >> c->pb_order) * c->pb_bits + ML_BITS_PER_LONG - 1) /
		       ML_BITS_PER_LONG) * sizeof(ulong);
	r->map = ml_alloc(r->mapbytes);
	/* pfn_to_online_page(): SECTION_IS_ONLINE, bit 2 */
	r->online_bit = ml_enum_value_or("SECTION_IS_ONLINE_BIT", 2);
	return true;
}

int ml_pb_mt(struct ml_pb_reader *r, ulong pfn)
{
	struct ml_zones_ctx *c = r->c;
	ulong sec, bitidx, word;
	unsigned long mask = (1UL << c->pb_mt_bits) - 1;
	const ulong *map = r->map;

	if (r->flat) {
		int i;

		for (i = 0; i < r->nflat; i++)
			if (pfn >= r->flat[i].base && pfn < r->flat[i].end)
				break;
		if (i == r->nflat || !(map = ml_pb_flat_map(r, i)))
			return -1;
		bitidx = ((pfn - r->flat[i].base) >> c->pb_order) * c->pb_bits;
		goto decode;
	}
	sec = pfn_to_section_nr(pfn);
	if (sec != r->sec) {
		ulong ms = valid_section_nr(sec), smm = 0, usage = 0;

		r->sec = sec;
		r->ok = ms &&
			ml_read_ulong(ms + ML_OFF(mem_section, section_mem_map), &smm,
				      "mem_section.section_mem_map") &&
			(smm & (1UL << r->online_bit)) &&
			ml_read_ulong(ms + ML_OFF(mem_section, usage), &usage,
				      "mem_section.usage") && usage &&
			ml_read(usage + ML_OFF(mem_section_usage, pageblock_flags), r->map,
				r->mapbytes, "pageblock_flags");
	}
	if (!r->ok)
		return -1;
	bitidx = ((pfn & (PAGES_PER_SECTION() - 1)) >> c->pb_order) * c->pb_bits;
decode:
	/* get_pfnblock_flags_mask(): a block's bits never straddle a long */
	word = map[bitidx / ML_BITS_PER_LONG];
	bitidx %= ML_BITS_PER_LONG;
	/* where enum pageblock_bits has PB_migrate_isolate (2025, Zi Yan's
	 * page isolation series), isolation is its own bit beside the type */
	if (c->pb_isolate_bit >= 0 && c->isolate_mt >= 0 &&
	    bitidx + c->pb_isolate_bit < ML_BITS_PER_LONG &&
	    ((word >> (bitidx + c->pb_isolate_bit)) & 1))
		return c->isolate_mt;
	return (int)((word >> bitidx) & mask);
}


/* collect/kmemleak.h: kmemleak's own object list read from the dump
 * (collect/kmemleak.c); see collect/collect.h */
#ifndef ML_COLLECT_KMEMLEAK_H
#define ML_COLLECT_KMEMLEAK_H

#include "core/core.h"

/*
 * What kmemleak made of each object at its last scan, from the object's
 * flags, count, min_count and age (mm/kmemleak.c: color_white(),
 * unreferenced_object(), kmemleak_seq_show()).
 */
enum ml_kml_state {
	ML_KML_REPORTED,	/* listed by /sys/kernel/debug/kmemleak */
	ML_KML_UNREPORTED,	/* unreferenced at the last scan, not reported */
	ML_KML_NEW,		/* too young at the last scan, or never scanned */
	ML_KML_REFERENCED,	/* enough pointers found (gray) */
	ML_KML_IGNORED,		/* black: never reported (min_count -1) */
	ML_KML_FREED,		/* freed; the metadata waits for RCU */
	ML_KML_NR
};
const char *ml_kml_state_name(enum ml_kml_state s);

/* what the object is, from its flags and address */
enum ml_kml_kind { ML_KMK_LINEAR, ML_KMK_VMALLOC, ML_KMK_PERCPU, ML_KMK_PHYS, ML_KMK_NR };
const char *ml_kml_kind_name(enum ml_kml_kind k);

#define ML_KML_COMM 16
struct ml_kml_object {
	ulong meta;		/* the struct kmemleak_object */
	ulong pointer;		/* the object (a percpu offset, a phys address) */
	ulong size;
	unsigned int flags;
	int min_count, count;
	uint32_t checksum;
	uint32_t handle;	/* stack depot handle (v6.2+), 0 otherwise */
	uint32_t stack_id;	/* handle, or a hash of trace[] */
	const ulong *trace;	/* trace[] (before v6.2), else NULL */
	unsigned int trace_len;
	ulong jiffies;		/* when it was allocated */
	int pid;
	char comm[ML_KML_COMM + 1];
	unsigned char state;	/* enum ml_kml_state */
	unsigned char kind;	/* enum ml_kml_kind */
	ulong caller;		/* the first frame outside the allocator, 0 */
	double age;		/* seconds before the dump, < 0 unknown */
};

struct ml_kml_opts {
	bool all;		/* keep every object not judged referenced, not
				 * only the reported ones */
	bool by_stack;		/* group by stack, not by callsite */
	const char *module;	/* keep only callsites in this module */
};

struct ml_kml_data {
	/* kmemleak's state at the dump */
	bool enabled, error;	/* kmemleak_enabled, kmemleak_error */
	bool have_error;
	bool free_enabled;
	bool scanned;		/* jiffies_last_scan != 0 */
	ulong jiffies, last_scan, min_age;	/* in jiffies */
	double last_scan_age;	/* seconds before the dump */
	bool auto_scan;		/* the kmemleak thread runs */
	double scan_wait;	/* its period, seconds (0: unknown) */
	long mem_pool_free;	/* mem_pool_free_count, -1: unknown */
	bool depot;		/* trace_handle (v6.2), else trace[] */
	/* every object on object_list */
	unsigned long count[ML_KML_NR];
	unsigned long long bytes[ML_KML_NR];
	unsigned long walked, unreadable;
	enum ml_walk_status walk;
	/* the objects kept: the reported ones (and with opts.all those
	 * unreported or new), filtered by opts.module, in list order */
	struct ml_kml_object *v;
	size_t n;
	unsigned long long kept_bytes;
	/* the kept objects grouped (key.kind: state, key.cache: kind,
	 * key.caller, key.handle: stack_id with by_stack); most bytes first */
	struct ml_orph_group **groups;
	size_t ngroups;
};

/* 0, or -1 with ml_fail() saying why (no kmemleak in this kernel) */
int ml_kmemleak_collect(struct ml_kml_data *d, const struct ml_kml_opts *o);
/* an object's stack: its depot record or its trace[] */
unsigned int ml_kmemleak_stack(const struct ml_kml_object *ob, const ulong **entries,
			       enum ml_depot_status *st);
/* the first kept object of a group (its stack is the group's) */
const struct ml_kml_object *ml_kmemleak_group_object(const struct ml_kml_data *d,
						    const struct ml_orph_group *g);

#endif /* ML_COLLECT_KMEMLEAK_H */

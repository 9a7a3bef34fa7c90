/* collect/allocinfo.h: allocation profiling's code tags, /proc/allocinfo
 * rebuilt from the dump (collect/allocinfo.c); see collect/collect.h */
#ifndef ML_COLLECT_ALLOCINFO_H
#define ML_COLLECT_ALLOCINFO_H

#include "core/core.h"

/* one allocation call site (struct alloc_tag) and its counters summed
 * over every cpu, as alloc_tag_read() sums them */
struct ml_atag {
	ulong addr;		/* the struct alloc_tag */
	unsigned long long bytes, calls;
	const char *filename, *function;	/* "" when unreadable */
	const char *modname;	/* NULL: vmlinux */
	unsigned int lineno;
	bool inaccurate;	/* CODETAG_FLAG_INACCURATE: "accurate:no" */
	bool unreadable;	/* some cpu's counters are not in the dump */
};

enum ml_ai_sort { ML_AI_BYTES, ML_AI_CALLS };

struct ml_ai_opts {
	enum ml_ai_sort sort;
	const char *module;	/* keep only this module's tags */
};

struct ml_ai_data {
	bool enabled;		/* mem_alloc_profiling_key: counting now */
	bool supported;		/* mem_profiling_support (v6.12), else true */
	const char *source;	/* where the tags were found */
	struct ml_atag *v;	/* the kept tags, sorted */
	size_t n;
	unsigned long tags;	/* every tag read */
	unsigned long modules;	/* code tag ranges: vmlinux and each module */
	unsigned long long bytes, calls;	/* over every tag */
	unsigned long long kept_bytes, kept_calls;
	unsigned long unreadable_tags;	/* struct alloc_tag not in the dump */
	unsigned long unreadable_counters;	/* tags with a cpu's counters missing */
	enum ml_walk_status walk;	/* the code tag modules' IDR */
};

/* 0, or -1 with ml_fail() saying why (no allocation profiling) */
int ml_allocinfo_collect(struct ml_ai_data *d, const struct ml_ai_opts *o);

#endif /* ML_COLLECT_ALLOCINFO_H */

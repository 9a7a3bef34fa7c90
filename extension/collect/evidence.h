/* collect/evidence.h: the evidence model (collect/evidence.c); see collect/collect.h */
#ifndef ML_COLLECT_EVIDENCE_H
#define ML_COLLECT_EVIDENCE_H

#include "core/core.h"
#include "collect/zones.h"
#include "collect/meminfo.h"
#include "collect/vmstat.h"
#include "collect/slab.h"
#include "collect/pageowner.h"
#include "collect/orphans.h"
#include "collect/kmemleak.h"
#include "collect/allocinfo.h"
#include "collect/dmabuf.h"
#include "collect/vmalloc.h"
#include "collect/ps.h"
#include "collect/cma.h"
#include "collect/zram.h"

/* ---- everything memleak sees, for summary, save and diff (evidence.c) - */

struct ml_callsite {		/* slab objects by cache and caller symbol */
	const char *cache;
	char caller[160];	/* "name [module]", no offset: stable across boots */
	ulong addr;
	uint32_t handle;	/* the first group's stack */
	unsigned long count, object_size, aged;
	unsigned long long bytes, waste;
	double age_min, age_max, sum_age;	/* seconds */
	long pid_min, pid_max;
};
struct ml_postack {		/* one page_owner stack */
	struct ml_po_group *g;
	const ulong *entries;
	unsigned int nr;
	const char *special;	/* placeholder stack (early_handle, ...) */
	char caller[160];	/* first frame past the page allocator */
	bool caller_set;
	char *key;		/* "a < b < c": frames by symbol, for diff */
	unsigned long unaccounted;	/* pages in no counter (class other, vmalloc) */
};
struct ml_suspect {
	int rank;
	const char *kind;	/* callsite, slab cache, page_owner stack, ... */
	const char *what, *evidence;
	unsigned long long bytes;
	unsigned long count;
	bool boot;		/* allocated at boot: ranked last (evidence.c ml_boot) */
	const ulong *stack;
	unsigned int nr;
	/* the evidence it is ranked by (evidence.c ml_suspect_score) */
	bool judged;		/* the orphan scan judged its objects */
	unsigned long unref;	/* of count, unreferenced (orphans) */
	unsigned long kmemleak;	/* kmemleak reported, same callsite */
	const char *module;	/* allocated through this module, NULL */
	unsigned long long tag_bytes;	/* allocinfo: the caller's tags */
	unsigned long long tag_calls;
	bool tagged;
	double score;
	const char *why;	/* the evidence line */
};
/* the orphan scan's unreferenced objects by kind, cache and caller, for
 * the suspects and for save/diff */
struct ml_orphan_site {
	const char *kind;	/* "slab", "page", "vmalloc" */
	const char *where;	/* cache name, "(pages)", "(vmalloc)" */
	char caller[160];	/* "name [module]", "" when none */
	unsigned long count;
	unsigned long long bytes;
};
/* what no counter of the kernel splits by owner: dma-bufs per exporter,
 * vmalloc areas per caller symbol, processes' memory per comm -- keyed by
 * names, never addresses or pids (other boots) */
struct ml_seen_exporter {
	const char *exporter;	/* exp_name, "" when none */
	unsigned long buffers, unheld_buffers;	/* unheld: in no task's fd table */
	unsigned long long bytes, unheld_bytes;
};
struct ml_seen_vmcaller {
	char caller[160];	/* "name [module]", "" for areas without a caller */
	unsigned long areas;
	unsigned long long bytes, pages;	/* bytes with the guard pages, as vmallocinfo */
};
struct ml_seen_comm {
	const char *comm;
	unsigned long tasks;	/* processes (thread groups with an mm) */
	long long pages[ML_NR_RSS];	/* each address space once */
};
#define ML_SHOWMEM_MAX 8
struct ml_seen {
	char uptime[64];
	double uptime_s;	/* jiffies clock (slab track ages) */
	double log_now_s;	/* the log's last timestamp: local_clock (page_owner) */
	double init_s;		/* log time of "Run ... as init process", -1: not in the log */
	char panic_buf[BUFSIZE], panic[256];
	struct ml_zones_ctx *zones;	/* NULL: unreadable */
	struct ml_meminfo mi;
	struct ml_vmstat vs;
	bool mi_ok;
	struct ml_slab_data slab;
	bool slab_ok;
	struct ml_callsite *cs;		/* by bytes */
	size_t ncs;
	const char *po_why;		/* page_owner unavailable: why */
	struct ml_po_data po;
	bool po_ok;
	struct ml_postack *ps;		/* by pages */
	size_t nps;
	char victim[256];
	char showmem[ML_SHOWMEM_MAX][200];
	int nshowmem;
	bool orph_ok;			/* the orphan scan ran to its end */
	struct ml_orph_data orph;
	struct ml_orphan_site *os;	/* most bytes first */
	size_t nos;
	bool kml_ok;			/* kmemleak's list was read */
	struct ml_kml_data kml;
	bool ai_ok;			/* allocation profiling's tags were read */
	struct ml_ai_data ai;
	bool dbuf_none;			/* this kernel has no dma-buf: nothing to read */
	bool dbuf_ok;			/* the dma-bufs and their holders were read */
	struct ml_dbuf_data dbuf;
	struct ml_seen_exporter *dbx;	/* most bytes first */
	size_t ndbx;
	bool vm_ok;			/* the vmalloc areas were read */
	struct ml_vmalloc_data vm;
	struct ml_seen_vmcaller *vmc;	/* callers merged by symbol, most bytes first */
	size_t nvmc;
	bool procs_ok;			/* the processes were read */
	struct ml_ps_data procs;		/* user processes, most rss first */
	struct ml_seen_comm *comms;	/* most rss first */
	size_t ncomms;
	bool cma_none, cma_ok;		/* no CMA in this kernel; the areas were read */
	struct ml_cma_data cma;
	bool zram_none, zram_ok;	/* no zram in this kernel; the devices were read */
	struct ml_zram_data zram;
	struct ml_suspect *sus;
	size_t nsus, capsus;
};
/* NULL if interrupted; parts that could not be read are flagged (_ok, or
 * zones NULL) and their collectors' reasons are warnings (ml_warn). sub:
 * for the collectors that still prefix their messages with it */
struct ml_seen *ml_seen_collect(void);
/* ranks the suspects (s->sus) */
void ml_seen_suspects(struct ml_seen *s);
/* what the dump could not show, one line each, at most max */
int ml_seen_missing(const struct ml_seen *s, const char **out, int max);

#endif /* ML_COLLECT_EVIDENCE_H */

/*
 * collect.h: the models memleak builds from a dump -- vm counters, meminfo
 * and the ledger, zones, slab caches and callsites, page_owner stacks, the
 * evidence summary, save and diff share, and the caches probe lists.
 * Collectors read through core/ and never print: they return a status, and
 * a reason through ml_fail().
 */
#ifndef ML_COLLECT_H
#define ML_COLLECT_H

#include "core/core.h"


#include "collect/pageowner.h"
#include "collect/vmap.h"
#include "collect/orphans.h"
#include "collect/kmemleak.h"
#include "collect/allocinfo.h"
#include "collect/vmalloc.h"
#include "collect/ps.h"
#include "collect/dmabuf.h"
#include "collect/cma.h"
#include "collect/zram.h"
#include "collect/slab.h"
#include "collect/vmstat.h"
#include "collect/meminfo.h"
#include "collect/zones.h"
#include "collect/evidence.h"
#include "collect/probe.h"

#endif /* ML_COLLECT_H */

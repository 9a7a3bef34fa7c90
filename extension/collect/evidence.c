/*
 * evidence.c: everything memleak sees in a dump, gathered once for "memleak
 * summary" (cmd/summary.c), "memleak save" and "memleak diff" (cmd/save.c,
 * cmd/diff.c) from the other collections (zones, meminfo, slab callsites,
 * page_owner): the dump and its OOM report lines, callsites merged by
 * symbol, page_owner stacks keyed by symbols, the ranked leak suspects with
 * their evidence, and what this dump could not show. Never prints: a part
 * that cannot be read is left out (flagged _ok) and its reason becomes a
 * warning (ml_warn).
 */
#include "collect/collect.h"

/* ---- the kernel log: OOM report lines beyond the one zones.c keeps ---- */

static void ml_seen_log(struct ml_seen *s)
{
	char line[BUFSIZE];
	bool after_oom = false;
	const char *p;
	size_t n;

	s->init_s = -1;
	for (p = ml_klog(&n); ml_klog_line(&p, line, sizeof(line));) {
		char *l = line;

		if (l[0] == '[') {
			double t = strtod(l + 1, NULL);

			if (t > s->log_now_s)
				s->log_now_s = t;
			/* init/main.c run_init_process(): the kernel's own boot
			 * ends, user space begins */
			if (s->init_s < 0 && strstr(l, "] Run ") && strstr(l, " as init process"))
				s->init_s = t;
		}
		if (strstr(l, "invoked oom-killer:")) {
			after_oom = true;
			s->nshowmem = 0;
			s->victim[0] = '\0';
			continue;
		}
		if (!after_oom)
			continue;
		if (strstr(l, "Out of memory: Killed process") || strstr(l, "Memory cgroup out of memory: Killed") ||
		    strstr(l, "Kernel panic - not syncing: Out of memory"))
			snprintf(s->victim, sizeof(s->victim), "%.*s", (int)sizeof(s->victim) - 1, l);
		/* show_mem(): the global counters line and each zone's free line */
		else if (s->nshowmem < ML_SHOWMEM_MAX &&
			 ((strstr(l, "] active_anon:")) || (strstr(l, "] Node ") && strstr(l, " free:"))))
			snprintf(s->showmem[s->nshowmem++], sizeof(s->showmem[0]), "%.*s",
				 (int)sizeof(s->showmem[0]) - 1, l);
	}
}

/* ---- callsites merged by caller symbol (not address: KASLR) ----------- */

static int ml_cs_cmp(const void *a, const void *b)
{
	const struct ml_callsite *x = a, *y = b;
	int c;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	if ((c = strcmp(x->cache, y->cache)))
		return c;
	return strcmp(x->caller, y->caller);
}

static void ml_seen_callsites(struct ml_seen *s)
{
	size_t n, i, k;
	struct ml_site **v = ml_sites_sorted(s->slab.sites, ML_SITE_BY_COUNT, NULL, &n);
	unsigned int hz = s->slab.hz;

	s->cs = ml_alloc((n ? n : 1) * sizeof(*s->cs));
	for (i = 0; i < n; i++) {
		struct ml_site *x = v[i];
		const struct ml_scache *c = &s->slab.caches[x->key.cache];
		struct ml_callsite *cs = NULL;
		char key[160];

		ml_sym_key(x->key.addr, key, sizeof(key));
		for (k = 0; k < s->ncs; k++)
			if (s->cs[k].cache == c->name && !strcmp(s->cs[k].caller, key))
				cs = &s->cs[k];
		if (!cs) {
			cs = &s->cs[s->ncs++];
			cs->cache = c->name;
			snprintf(cs->caller, sizeof(cs->caller), "%s", key);
			cs->addr = x->key.addr;
			cs->handle = x->first_handle;
			cs->object_size = c->object_size;
			cs->age_min = 1e30;
			cs->pid_min = x->min_pid;
			cs->pid_max = x->max_pid;
		}
		cs->count += x->count;
		cs->bytes += (unsigned long long)x->count * c->object_size;
		cs->waste += x->waste;
		if (x->aged) {
			double mn = (double)x->min_age / hz, mx = (double)x->max_age / hz;

			cs->aged += x->aged;
			cs->sum_age += (double)x->sum_age / hz;
			if (mn < cs->age_min)
				cs->age_min = mn;
			if (mx > cs->age_max)
				cs->age_max = mx;
			if (x->min_pid < cs->pid_min)
				cs->pid_min = x->min_pid;
			if (x->max_pid > cs->pid_max)
				cs->pid_max = x->max_pid;
		}
	}
	qsort(s->cs, s->ncs, sizeof(*s->cs), ml_cs_cmp);
}

/* ---- page_owner stacks: the caller is the first frame past the page
 * allocator's own functions ------------------------------------------- */

static bool ml_alloc_frame(const char *name)
{
	static const char *const pfx[] = {
		"get_page_from_freelist", "__alloc_pages", "alloc_pages", "__get_free_pages",
		"get_zeroed_page", "__folio_alloc", "folio_alloc", "alloc_pages_exact",
		"alloc_page_interleave", "vma_alloc_folio", "__alloc_pages_bulk",
		"alloc_pages_bulk", "prep_new_page", "post_alloc_hook", "__alloc_pages_slowpath",
		"__alloc_pages_direct", "alloc_slab_page", "allocate_slab", "new_slab",
		"___slab_alloc", "__slab_alloc", "__vmalloc_area_node", "vm_area_alloc_pages",
		/* frozen (refcount 0) page allocation, 7.x's path under alloc_pages() */
		"__alloc_frozen_pages", "alloc_frozen_pages",
	};
	size_t i;

	for (i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
		if (!strncmp(name, pfx[i], strlen(pfx[i])))
			return true;
	return false;
}

static void ml_seen_postacks(struct ml_seen *s)
{
	size_t i;
	unsigned int k;

	s->ps = ml_alloc((s->po.n ? s->po.n : 1) * sizeof(*s->ps));
	for (i = 0; i < s->po.n; i++) {
		struct ml_po_group *g = s->po.v[i];
		struct ml_postack *p = &s->ps[s->nps++];
		const ulong *e;
		enum ml_depot_status st;
		const char *special;
		size_t off = 0;

		p->g = g;
		p->nr = ml_pageowner_stack(&s->po, g->handle, &e, &st, &special);
		p->entries = e;
		p->special = special;
		p->key = ml_alloc(64 * (p->nr + 1) + 64);
		snprintf(p->caller, sizeof(p->caller), "%s", special ? special : "?");
		for (k = 0; k < p->nr; k++) {
			char b[160];

			ml_sym_key(e[k], b, sizeof(b));
			if (!p->caller_set && !special && strcmp(b, "?") && !ml_alloc_frame(b)) {
				snprintf(p->caller, sizeof(p->caller), "%s", b);
				p->caller_set = true;
			}
			off += snprintf(p->key + off, 64 * (p->nr + 1) + 64 - off, "%s%s",
					k ? " < " : "", b);
		}
		if (!p->nr)
			snprintf(p->key, 64, "%s", special ? special : ml_depot_status_str(st));
		/* pages no counter shows: the class a leak of alloc_pages() hides in */
		p->unaccounted = g->class_pages[ML_PO_OTHER] + g->class_pages[ML_PO_VMALLOC];
	}
}

/* ---- everything memleak sees ------------------------------------------ */

/* the uptime as crash's "sys" shows it, and in seconds */
static void ml_seen_uptime(struct ml_seen *s)
{
	ulonglong j64 = 0;

	if (ml_feat.uptime_jiffies && ml_feat.hz) {
		/* crash's get_uptime() divides by its own HZ guess (core/probe.c) */
		unsigned long long t = ml_feat.uptime_jiffies / ml_feat.hz;

		s->uptime[0] = '\0';
		if (t >= 86400)
			snprintf(s->uptime, sizeof(s->uptime), "%llu days, ", t / 86400);
		snprintf(s->uptime + strlen(s->uptime), sizeof(s->uptime) - strlen(s->uptime),
			 "%02llu:%02llu:%02llu", t % 86400 / 3600, t % 3600 / 60, t % 60);
		s->uptime_s = (double)ml_feat.uptime_jiffies / ml_feat.hz;
	} else {
		get_uptime(s->uptime, &j64);
		s->uptime_s = machdep->hz ? (double)j64 / machdep->hz : 0;
	}
}

/*
 * A part that could not be read (its collector failed): the evidence goes
 * on without it, and why becomes a warning. The failure itself stays
 * recorded (core/diag.c keeps the first reason and has no way to clear
 * it), so a second part's reason is not heard.
 */
/* a part that could not be read is left out, its reason a warning */
static bool ml_seen_part(bool ok)
{
	if (!ok)
		ml_fail_to_warning();
	return ok;
}

struct ml_seen *ml_seen_collect(void)
{
	struct ml_seen *s = ml_alloc(sizeof(*s));
	struct ml_slab_collect_opts so = { .callsites = true };

	ml_seen_uptime(s);
	if (get_panicmsg(s->panic_buf))
		snprintf(s->panic, sizeof(s->panic), "%s", strip_linefeeds(s->panic_buf));
	s->zones = ml_zones_get(true);
	if (ml_interrupted())
		return NULL;
	ml_seen_part(s->zones != NULL);
	s->mi_ok = ml_meminfo_collect(&s->mi, &s->vs, true) == 0;
	if (ml_interrupted())
		return NULL;
	ml_seen_part(s->mi_ok);
	s->slab_ok = ml_slab_collect(&s->slab, &so) == 0;
	if (ml_interrupted())
		return NULL;
	if (ml_seen_part(s->slab_ok))
		ml_seen_callsites(s);
	s->po_why = ml_pageowner_unavailable();
	if (!s->po_why) {
		s->po_ok = ml_pageowner_collect(&s->po) == 0;
		if (ml_interrupted())
			return NULL;
		if (ml_seen_part(s->po_ok))
			ml_seen_postacks(s);
	}
	ml_seen_log(s);
	return s;
}

/* ---- suspects ---------------------------------------------------------- */

static void ml_suspect_add(struct ml_seen *s, const char *kind, const char *what,
			   unsigned long long bytes, unsigned long count, bool boot,
			   const char *evidence, const ulong *stack, unsigned int nr)
{
	struct ml_suspect *x;

	if (s->nsus == s->capsus) {
		s->capsus = s->capsus ? 2 * s->capsus : 32;
		s->sus = ml_realloc(s->sus, s->capsus * sizeof(*s->sus));
	}
	x = &s->sus[s->nsus++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->what = ml_strdup(what);
	x->bytes = bytes;
	x->count = count;
	x->boot = boot;
	x->evidence = ml_strdup(evidence);
	x->stack = stack;
	x->nr = nr;
}

static int ml_sus_cmp(const void *a, const void *b)
{
	const struct ml_suspect *x = a, *y = b;

	if (x->boot != y->boot)
		return x->boot ? 1 : -1;
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(x->what, y->what);
}

/* some frame of the stack in a module */
static bool ml_stack_in_module(const ulong *e, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (ml_sym_lookup(e[i])->module)
			return true;
	return false;
}

/*
 * Allocated at boot: the kernel's own tables and caches sized once, not
 * memory that grew. born: when the newest of the allocations was made, in
 * seconds since boot, on the log's clock (page_owner's local_clock) or on
 * jiffies (SLUB tracks), which never run ahead of it and under QEMU's TCG
 * lag far behind. Never boot: a stack through a module (modules are loaded
 * from user space, after init started), or born at or after the log's "Run
 * ... as init process". Boot: born before that line, on the log's clock.
 * Otherwise (jiffies before that line, or the line rotated out of the log):
 * born in the first tenth of the uptime and its first minute.
 */
static bool ml_boot(const struct ml_seen *s, double uptime_s, double born, bool jiffies,
		    bool in_module)
{
	double lim = uptime_s / 10;

	if (in_module || uptime_s <= 0 || born < 0)
		return false;
	if (s->init_s >= 0 && born >= s->init_s)
		return false;
	if (s->init_s >= 0 && !jiffies)
		return true;
	return born < (lim < 60 ? lim : 60);
}

/* slab callsites (caches with tracks) */
static void ml_suspects_callsites(struct ml_seen *s)
{
	char ev[512], what[256], b1[32];
	size_t i;

	for (i = 0; i < s->ncs; i++) {
		struct ml_callsite *c = &s->cs[i];
		const ulong *e = NULL;
		enum ml_depot_status st;
		unsigned int nr = ml_slab_stack(&s->slab, c->handle, &e, &st);

		snprintf(what, sizeof(what), "%s (cache %s)", c->caller, c->cache);
		if (c->aged)
			snprintf(ev, sizeof(ev), "%lu objects of %lu bytes (%s) from %s, requested %llu bytes; "
				 "age %.1f-%.1f s (dump at %.1f s uptime); pids %ld-%ld",
				 c->count, c->object_size, ml_human_bytes(c->bytes, b1, sizeof(b1)),
				 c->cache, c->bytes - c->waste, c->age_min, c->age_max, s->uptime_s,
				 c->pid_min, c->pid_max);
		else
			snprintf(ev, sizeof(ev), "%lu objects of %lu bytes (%s) from %s",
				 c->count, c->object_size, ml_human_bytes(c->bytes, b1, sizeof(b1)),
				 c->cache);
		ml_suspect_add(s, "callsite", what, c->bytes, c->count,
			       c->aged && ml_boot(s, s->uptime_s, s->uptime_s - c->age_min, true,
						  ml_sym_lookup(c->addr)->module ||
						  ml_stack_in_module(e, nr)),
			       ev, e, nr);
	}
}

/* caches whose objects no track attributes */
static void ml_suspects_caches(struct ml_seen *s)
{
	char ev[512], b1[32];
	size_t i;
	unsigned long long psz = PAGESIZE();

	for (i = 0; s->slab_ok && i < s->slab.n; i++) {
		struct ml_scache *c = &s->slab.caches[i];
		unsigned long long b = (unsigned long long)c->active * c->object_size;

		if (c->store_user || !c->active)
			continue;
		snprintf(ev, sizeof(ev), "%lu active of %lu objects, %s of slabs; no alloc tracks "
			 "(boot with slub_debug=U,%s to see who allocates them)", c->active,
			 c->total, ml_human_bytes((unsigned long long)c->pages * psz, b1, sizeof(b1)),
			 c->name);
		ml_suspect_add(s, "slab cache", c->name, b, c->active, false, ev, NULL, 0);
	}
}

/* the page_owner stacks of one caller, merged */
struct ml_po_agg {
	struct ml_postack *first;
	unsigned long allocations, pages, unaccounted;
	uint64_t ts_min, ts_max;
	uint32_t orders;
	int nstacks;
	bool in_module;		/* some stack through a module */
};

/* the stacks with pages no counter accounts for, by caller, into ag
 * (s->nps + 1 entries); *now: the latest clock seen (log or page_owner) */
static size_t ml_po_aggregate(struct ml_seen *s, struct ml_po_agg *ag, double *now)
{
	size_t nag = 0, i, k;

	for (i = 0; i < s->nps; i++) {
		struct ml_postack *p = &s->ps[i];
		struct ml_po_group *g = p->g;

		if (p->special || !p->unaccounted)
			continue;
		for (k = 0; k < nag; k++)
			if (!strcmp(ag[k].first->caller, p->caller))
				break;
		if (k == nag) {
			ag[nag].first = p;
			ag[nag].ts_min = g->ts_min;
			nag++;
		}
		ag[k].allocations += g->allocations;
		ag[k].pages += g->pages;
		ag[k].unaccounted += p->unaccounted;
		ag[k].orders |= g->orders;
		ag[k].nstacks++;
		if (!ag[k].in_module)
			ag[k].in_module = ml_stack_in_module(p->entries, p->nr);
		if (g->ts_min < ag[k].ts_min)
			ag[k].ts_min = g->ts_min;
		if (g->ts_max > ag[k].ts_max)
			ag[k].ts_max = g->ts_max;
		if (g->ts_max / 1e9 > *now)
			*now = g->ts_max / 1e9;
	}
	return nag;
}

/* page_owner stacks by caller: pages no counter accounts for (slab pages
 * are the callsites' above; anon and file pages are counted by meminfo);
 * several stacks of one caller (fast and slow path) merge */
static void ml_suspects_postacks(struct ml_seen *s)
{
	struct ml_po_agg *ag = ml_alloc((s->nps + 1) * sizeof(*ag));
	double now = s->log_now_s;
	size_t nag = ml_po_aggregate(s, ag, &now), k;
	unsigned long long psz = PAGESIZE();
	char ev[512], b1[32];

	for (k = 0; k < nag; k++) {
		struct ml_po_agg *x = &ag[k];
		char ob[64];
		double newest = x->ts_max ? now - x->ts_max / 1e9 : -1;

		snprintf(ev, sizeof(ev), "%lu allocations, %lu pages (%s) in no counter of %lu "
			 "pages, %d stack%s; orders %s; allocated at %.1f-%.1f s of %.1f s "
			 "(page_owner clock); pid %d%s %s",
			 x->allocations, x->unaccounted,
			 ml_human_bytes(x->unaccounted * psz, b1, sizeof(b1)), x->pages,
			 x->nstacks, x->nstacks > 1 ? "s" : "",
			 ml_po_orders_str(x->orders, ob, sizeof(ob)), x->ts_min / 1e9,
			 x->ts_max / 1e9, now, x->first->g->pid,
			 x->first->g->pids_differ ? "..." : "", x->first->g->comm);
		ml_suspect_add(s, "page_owner stack", x->first->caller, x->unaccounted * psz,
			       x->allocations,
			       ml_boot(s, now, newest < 0 ? -1 : now - newest, false,
				       x->in_module),
			       ev, x->first->entries, x->first->nr);
	}
}

/* without page_owner, the ledger's unaccounted pages are the lead */
static void ml_suspects_ledger(struct ml_seen *s)
{
	const struct ml_ledger *l = &s->mi.ledger;
	unsigned long long psz = PAGESIZE();
	char ev[512], b1[32];

	if (s->po_ok || !s->mi_ok || l->unaccounted <= 0)
		return;
	snprintf(ev, sizeof(ev), "%lld pages (%s) of MemTotal in no counter: allocated with "
		 "alloc_pages() by callers that keep no statistics; page_owner (boot with "
		 "page_owner=on) would name their stacks", l->unaccounted,
		 ml_human_bytes(l->unaccounted * psz, b1, sizeof(b1)));
	ml_suspect_add(s, "unaccounted pages", "pages in no counter (meminfo ledger)",
		       l->unaccounted * psz, l->unaccounted, false, ev, NULL, 0);
}

/* fragmentation: the failing order would fail with memory free */
static void ml_suspects_fragmentation(struct ml_seen *s)
{
	struct ml_zones_ctx *z = s->zones;
	unsigned long long psz = PAGESIZE();
	char ev[512], what[256];
	int o, i;

	if (!z || z->ev.kind == ML_EVENT_NONE)
		return;
	o = z->ev.order;
	for (i = 0; i < z->nz; i++) {
		struct ml_zone *zz = &z->zones[i];

		if (!zz->event_zone || o < 0 || o >= z->nr_orders ||
		    zz->verdict[o] != ML_VERDICT_FRAGMENTED)
			continue;
		snprintf(what, sizeof(what), "node %d zone %s, order-%d requests", zz->node,
			 zz->name, o);
		snprintf(ev, sizeof(ev), "%ld pages free (min watermark %lu) but no block of "
			 "order %d or more; largest free order %d; extfrag index %d.%03d",
			 zz->free, zz->wmark[0] + zz->boost, o, zz->largest,
			 zz->extfrag[o] / 1000, abs(zz->extfrag[o] % 1000));
		ml_suspect_add(s, "fragmentation", what, (unsigned long long)zz->free * psz,
			       zz->free, false, ev, NULL, 0);
	}
}

void ml_seen_suspects(struct ml_seen *s)
{
	size_t i;

	ml_suspects_callsites(s);
	ml_suspects_caches(s);
	ml_suspects_postacks(s);
	ml_suspects_ledger(s);
	ml_suspects_fragmentation(s);
	qsort(s->sus, s->nsus, sizeof(*s->sus), ml_sus_cmp);
	for (i = 0; i < s->nsus; i++)
		s->sus[i].rank = i + 1;
}

/* what this dump could not show, and how to see it next time */
int ml_seen_missing(const struct ml_seen *s, const char **out, int max)
{
	static char b[4][320];
	int n = 0;
	size_t i;
	unsigned long without = 0;

	if (s->po_why && n < max)
		out[n++] = s->po_why;
	if (s->slab_ok) {
		for (i = 0; i < s->slab.n; i++)
			without += !s->slab.caches[i].store_user;
		if (without && n < max) {
			snprintf(b[0], sizeof(b[0]), "%lu of %zu slab caches have no alloc tracks "
				 "(SLAB_STORE_USER): their objects are counted, not attributed; boot "
				 "with slub_debug=U", without, s->slab.n);
			out[n++] = b[0];
		}
	}
	if (ml_feat.dump_level > 1 && n < max) {
		snprintf(b[1], sizeof(b[1]), "makedumpfile dump level %d excluded pages (free, cache or "
			 "user pages): free lists and such pages may be partly unreadable (%lu reads "
			 "failed)", ml_feat.dump_level, ml_reads.failed);
		out[n++] = b[1];
	}
	if (s->zones && s->zones->ev.kind == ML_EVENT_NONE && n < max)
		out[n++] = "no OOM report or page allocation failure in the kernel log";
	return n;
}

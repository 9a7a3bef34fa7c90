/*
 * evidence.c: everything memleak sees in a dump, gathered once for "memleak
 * summary" (cmd/summary.c), "memleak save" and "memleak diff" (cmd/save.c,
 * cmd/diff.c) from the other collections (zones, meminfo, slab callsites,
 * page_owner, the orphan scan, kmemleak, allocinfo, dma-bufs, vmalloc
 * areas, processes): the dump and its OOM report lines, callsites merged
 * by symbol, page_owner stacks keyed by symbols, orphans by callsite,
 * dma-bufs per exporter, vmalloc areas per caller symbol, processes per
 * comm, and what this dump could not show (the
 * suspects ranked from it: collect/suspects.c). Never prints: a part
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
			if (!p->caller_set && !special && strcmp(b, "?") && !ml_allocator_frame(b)) {
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

/* the orphan scan's groups as sites keyed by symbol */
static void ml_seen_orphans(struct ml_seen *s)
{
	struct ml_orph_opts o;
	size_t i;

	memset(&o, 0, sizeof(o));
	s->orph_ok = ml_orphans_collect(&s->orph, &o) == 0 && !s->orph.interrupted;
	if (!ml_seen_part(s->orph_ok))
		return;
	s->os = ml_alloc((s->orph.n + 1) * sizeof(*s->os));
	for (i = 0; i < s->orph.n; i++) {
		const struct ml_orph_group *g = s->orph.v[i];
		struct ml_orphan_site *x = &s->os[s->nos++];

		x->kind = ml_orph_kind_name(g->key.kind);
		x->where = ml_orphans_where(&s->orph, g);
		if (g->key.caller)
			ml_sym_key(g->key.caller, x->caller, sizeof(x->caller));
		x->count = g->count;
		x->bytes = g->bytes;
	}
}

/* kmemleak's and allocation profiling's own records, where the kernel has
 * them: evidence, never required */
static void ml_seen_leaktools(struct ml_seen *s)
{
	struct ml_kml_opts ko;
	struct ml_ai_opts ao;

	memset(&ko, 0, sizeof(ko));
	memset(&ao, 0, sizeof(ao));
	if (symbol_exists("kmemleak_scan"))
		s->kml_ok = ml_seen_part(ml_kmemleak_collect(&s->kml, &ko) == 0);
	if (symbol_exists("alloc_tag_cttype"))
		s->ai_ok = ml_seen_part(ml_allocinfo_collect(&s->ai, &ao) == 0);
}

/* ---- what no counter splits by owner: dma-bufs, vmalloc, processes ------ */

static int ml_dbx_cmp(const void *a, const void *b)
{
	const struct ml_seen_exporter *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(x->exporter, y->exporter);
}

/* the dma-bufs with their holders (a buffer no fd table holds is
 * unheld), per exporter. A kernel without struct dma_buf in its debuginfo
 * was built without CONFIG_DMA_SHARED_BUFFER (collect/dmabuf.c says so
 * when asked): it has no dma-buf to miss, and that is no warning */
static void ml_seen_dmabufs(struct ml_seen *s)
{
	const struct ml_dbuf_data *d = &s->dbuf;
	size_t i, k;

	if (ML_SIZE(dma_buf) <= 0) {
		s->dbuf_none = true;
		return;
	}
	s->dbuf_ok = ml_seen_part(ml_dmabuf_collect(&s->dbuf, true) == 0);
	if (!s->dbuf_ok)
		return;
	s->dbx = ml_alloc((d->n + 1) * sizeof(*s->dbx));
	for (i = 0; i < d->n; i++) {
		const struct ml_dbuf *b = &d->v[i];
		struct ml_seen_exporter *x = NULL;

		for (k = 0; k < s->ndbx && !x; k++)
			if (!strcmp(s->dbx[k].exporter, b->exp_name))
				x = &s->dbx[k];
		if (!x) {
			x = &s->dbx[s->ndbx++];
			x->exporter = b->exp_name;
		}
		x->buffers++;
		x->bytes += b->size;
		if (!b->nholders) {
			x->unheld_buffers++;
			x->unheld_bytes += b->size;
		}
	}
	if (s->ndbx > 1)
		qsort(s->dbx, s->ndbx, sizeof(*s->dbx), ml_dbx_cmp);
}

static int ml_vmc_cmp(const void *a, const void *b)
{
	const struct ml_seen_vmcaller *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(x->caller, y->caller);
}

/* the vmalloc areas' callers merged by symbol: one function's call sites
 * (caller+off) are one row */
static void ml_seen_vmalloc(struct ml_seen *s)
{
	struct ml_seen_vmcaller *e;
	size_t i;

	s->vm_ok = ml_seen_part(ml_vmalloc_collect(&s->vm) == 0);
	if (!s->vm_ok)
		return;
	s->vmc = ml_alloc((s->vm.ncallers + 1) * sizeof(*s->vmc));
	for (i = 0; i < s->vm.ncallers; i++) {
		const struct ml_vmalloc_caller *c = &s->vm.callers[i];
		char key[160];
		size_t k;

		key[0] = '\0';
		if (c->caller)
			ml_sym_key(c->caller, key, sizeof(key));
		for (k = 0, e = NULL; k < s->nvmc && !e; k++)
			if (!strcmp(s->vmc[k].caller, key))
				e = &s->vmc[k];
		if (!e) {
			e = &s->vmc[s->nvmc++];
			snprintf(e->caller, sizeof(e->caller), "%s", key);
		}
		e->areas += c->areas;
		e->bytes += c->bytes;
		e->pages += c->pages;
	}
	if (s->nvmc > 1)
		qsort(s->vmc, s->nvmc, sizeof(*s->vmc), ml_vmc_cmp);
}

static int ml_comm_cmp(const void *a, const void *b)
{
	const struct ml_seen_comm *x = a, *y = b;
	long long rx = ml_proc_rss(x->pages), ry = ml_proc_rss(y->pages);

	if (rx != ry)
		return rx > ry ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

/* the user processes (memleak ps: the page tables' truth), and per comm:
 * a process that shares an address space listed before it adds no pages */
static void ml_seen_procs(struct ml_seen *s)
{
	struct ml_ps_opts o = { .sort = ML_PS_RSS };
	size_t i, k;
	int r;

	s->procs_ok = ml_seen_part(ml_ps_collect(&s->procs, &o) == 0);
	if (!s->procs_ok)
		return;
	s->comms = ml_alloc((s->procs.n + 1) * sizeof(*s->comms));
	for (i = 0; i < s->procs.n; i++) {
		const struct ml_proc *p = &s->procs.v[i];
		struct ml_seen_comm *c = NULL;

		if (!p->mm)
			continue;	/* exited (a zombie): no memory */
		for (k = 0; k < s->ncomms && !c; k++)
			if (!strcmp(s->comms[k].comm, p->comm))
				c = &s->comms[k];
		if (!c) {
			c = &s->comms[s->ncomms++];
			c->comm = p->comm;
		}
		c->tasks++;
		for (r = 0; !p->shares_mm && r < ML_NR_RSS; r++)
			c->pages[r] += p->pages[r];
	}
	if (s->ncomms > 1)
		qsort(s->comms, s->ncomms, sizeof(*s->comms), ml_comm_cmp);
}

static void ml_seen_outside(struct ml_seen *s)
{
	ml_seen_dmabufs(s);
	if (ml_interrupted())
		return;
	ml_seen_vmalloc(s);
	if (ml_interrupted())
		return;
	ml_seen_procs(s);
	if (ml_interrupted())
		return;
	/* CMA and zram: a kernel without them has nothing to miss */
	s->cma_none = !symbol_exists("cma_areas");
	if (!s->cma_none)
		s->cma_ok = ml_seen_part(ml_cma_collect(&s->cma, false) == 0);
	s->zram_none = !symbol_exists("zram_index_idr");
	if (!s->zram_none)
		s->zram_ok = ml_seen_part(ml_zram_collect(&s->zram) == 0);
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
	ml_seen_orphans(s);
	if (ml_interrupted())
		return NULL;
	ml_seen_leaktools(s);
	if (ml_interrupted())
		return NULL;
	ml_seen_outside(s);
	if (ml_interrupted())
		return NULL;
	ml_seen_log(s);
	return s;
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

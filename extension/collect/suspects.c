/*
 * suspects.c: the leak suspects of the evidence (collect/evidence.c),
 * ranked by evidence: bytes weighed by the share the orphan scan found
 * unreferenced, a stack through a module, kmemleak's own report; the
 * allocation-profiling tags of the same function, and allocated at boot
 * last. For summary (cmd/summary.c).
 */
#include "collect/collect.h"

/* ---- suspects ---------------------------------------------------------- */

static struct ml_suspect *ml_suspect_add(struct ml_seen *s, const char *kind, const char *what,
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
	return x;
}

static int ml_sus_cmp(const void *a, const void *b)
{
	const struct ml_suspect *x = a, *y = b;

	if (x->boot != y->boot)
		return x->boot ? 1 : -1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->bytes != y->bytes)
		return x->bytes > y->bytes ? -1 : 1;
	return strcmp(x->what, y->what);
}

/* the unreferenced objects the orphan scan found of kind, where (NULL:
 * any) and caller ("" none) */
static unsigned long ml_unref_of(const struct ml_seen *s, const char *kind, const char *where,
				 const char *caller)
{
	unsigned long n = 0;
	size_t i;

	for (i = 0; i < s->nos; i++) {
		const struct ml_orphan_site *o = &s->os[i];

		if (!strcmp(o->kind, kind) && (!where || !strcmp(o->where, where)) &&
		    !strcmp(o->caller, caller))
			n += o->count;
	}
	return n;
}

/* the first module the stack passes through, NULL */
static const char *ml_stack_module(const ulong *e, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (ml_sym_lookup(e[i])->module)
			return ml_sym_lookup(e[i])->module;
	return NULL;
}

static bool ml_stack_in_module(const ulong *e, unsigned int nr)
{
	return ml_stack_module(e, nr) != NULL;
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
	struct ml_suspect *x;
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
		x = ml_suspect_add(s, "callsite", what, c->bytes, c->count,
				   c->aged && ml_boot(s, s->uptime_s, s->uptime_s - c->age_min, true,
						      ml_sym_lookup(c->addr)->module ||
						      ml_stack_in_module(e, nr)),
				   ev, e, nr);
		x->module = ml_sym_lookup(c->addr)->module ? ml_sym_lookup(c->addr)->module
							   : ml_stack_module(e, nr);
		x->judged = s->orph_ok;
		x->unref = ml_unref_of(s, "slab", c->cache, c->caller);
	}
}

/* caches whose objects no track attributes */
static void ml_suspects_caches(struct ml_seen *s)
{
	char ev[512], b1[32];
	struct ml_suspect *x;
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
		x = ml_suspect_add(s, "slab cache", c->name, b, c->active, false, ev, NULL, 0);
		x->judged = s->orph_ok;
		x->unref = ml_unref_of(s, "slab", c->name, "");
	}
}

/* the page_owner stacks of one caller, merged */
struct ml_po_agg {
	struct ml_postack *first;
	unsigned long allocations, pages, unaccounted;
	unsigned long vmalloc;	/* of unaccounted, vmalloc'ed pages */
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
		ag[k].vmalloc += g->class_pages[ML_PO_VMALLOC];
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
	struct ml_suspect *sus;
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
		sus = ml_suspect_add(s, "page_owner stack", x->first->caller, x->unaccounted * psz,
				     x->allocations,
				     ml_boot(s, now, newest < 0 ? -1 : now - newest, false,
					     x->in_module),
				     ev, x->first->entries, x->first->nr);
		sus->module = ml_stack_module(x->first->entries, x->first->nr);
		/* vmalloc'ed pages are judged with their area (a vmalloc areas
		 * suspect), not as page allocations */
		sus->judged = s->orph_ok && s->orph.page_owner && 2 * x->vmalloc < x->unaccounted;
		sus->unref = ml_unref_of(s, "page", NULL, x->first->caller);
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

/* "name" of a caller key "name.clone [module]" */
static size_t ml_key_name_len(const char *key)
{
	return strcspn(key, " .");
}

/* "module" of a caller key "name [module]", NULL for vmlinux */
static const char *ml_key_module(const char *key)
{
	const char *p = strchr(key, '[');
	size_t n;
	char *m;

	if (!p)
		return NULL;
	n = strcspn(p + 1, "]");
	m = ml_strdup(p + 1);
	m[n] = 0;
	return m;
}

/* vmalloc areas no pointer reaches, by caller (no counter names them) */
static void ml_suspects_vmalloc(struct ml_seen *s)
{
	char ev[512], b1[32];
	size_t i;

	for (i = 0; i < s->nos; i++) {
		const struct ml_orphan_site *o = &s->os[i];
		struct ml_suspect *x;

		if (strcmp(o->kind, "vmalloc"))
			continue;
		snprintf(ev, sizeof(ev), "%lu vmalloc areas (%s) no pointer in memory reaches, "
			 "allocated by %s", o->count, ml_human_bytes(o->bytes, b1, sizeof(b1)),
			 o->caller[0] ? o->caller : "an unknown caller");
		x = ml_suspect_add(s, "vmalloc areas", o->caller[0] ? o->caller : "(no caller)",
				   o->bytes, o->count, false, ev, NULL, 0);
		x->judged = true;
		x->unref = o->count;
		x->module = ml_key_module(o->caller);
	}
}

/* what kmemleak reported of the suspect's caller */
static unsigned long ml_kmemleak_of(const struct ml_seen *s, const char *caller)
{
	unsigned long n = 0;
	size_t i;
	char key[160];

	if (!s->kml_ok || !caller[0])
		return 0;
	for (i = 0; i < s->kml.ngroups; i++) {
		const struct ml_orph_group *g = s->kml.groups[i];

		if (g->key.kind != ML_KML_REPORTED || !g->key.caller)
			continue;
		ml_sym_key(g->key.caller, key, sizeof(key));
		if (!strcmp(key, caller))
			n += g->count;
	}
	return n;
}

/* allocation profiling's tags of the suspect's caller function */
static void ml_tags_of(const struct ml_seen *s, struct ml_suspect *x, const char *caller)
{
	size_t i, n = ml_key_name_len(caller);
	const char *mod = ml_key_module(caller);

	if (!s->ai_ok || !n)
		return;
	for (i = 0; i < s->ai.n; i++) {
		const struct ml_atag *t = &s->ai.v[i];

		if (strlen(t->function) != n || strncmp(t->function, caller, n))
			continue;
		if (mod ? !t->modname || strcmp(t->modname, mod) : t->modname != NULL)
			continue;
		x->tagged = true;
		x->tag_bytes += t->bytes;
		x->tag_calls += t->calls;
	}
}

/* the caller key a suspect's evidence is matched by */
static const char *ml_suspect_caller(const struct ml_suspect *x)
{
	static char b[160];
	const char *p;

	if (!strcmp(x->kind, "callsite")) {	/* "caller (cache NAME)" */
		p = strstr(x->what, " (cache ");
		snprintf(b, sizeof(b), "%.*s", p ? (int)(p - x->what) : (int)strlen(x->what),
			 x->what);
		return b;
	}
	if (!strcmp(x->kind, "page_owner stack") || !strcmp(x->kind, "vmalloc areas"))
		return x->what;
	return "";
}

/*
 * The score: bytes, weighed by the evidence that they leak --
 *  - the share no pointer reaches (the orphan scan): 0.05 + 0.95 x share,
 *    so a fully referenced cache keeps 1/20 of its weight; 0.5 when the
 *    scan could not judge them (no objects: the ledger, fragmentation);
 *  - a stack through a module or driver: x 2 (loaded after boot, and
 *    where leaks are);
 *  - kmemleak's own report of the same callsite: x (1 + its share);
 * and allocated at boot ranks last whatever the score (ml_sus_cmp).
 */
static void ml_suspect_score(const struct ml_seen *s, struct ml_suspect *x)
{
	const char *caller = ml_suspect_caller(x);
	double share = x->count ? (double)x->unref / x->count : 0, f;
	char why[512], b1[32];
	size_t n = 0;

	if (share > 1)
		share = 1;
	x->kmemleak = ml_kmemleak_of(s, caller);
	ml_tags_of(s, x, caller);
	f = x->judged ? 0.05 + 0.95 * share : 0.5;
	if (x->module)
		f *= 2;
	if (x->kmemleak)
		f *= 1 + (x->count && x->kmemleak < x->count ? (double)x->kmemleak / x->count : 1);
	x->score = x->bytes * f;
	why[0] = 0;
	if (x->judged)
		n += snprintf(why + n, sizeof(why) - n, "unreferenced %lu of %lu (%.0f%%)",
			      x->unref, x->count, 100 * share);
	else
		n += snprintf(why + n, sizeof(why) - n, "%s",
			      s->orph_ok ? "no objects the orphan scan judges"
					 : "the orphan scan did not run to its end");
	if (x->kmemleak && n < sizeof(why))
		n += snprintf(why + n, sizeof(why) - n, "; kmemleak reported %lu", x->kmemleak);
	if (x->module && n < sizeof(why))
		n += snprintf(why + n, sizeof(why) - n, "; allocated through module %s", x->module);
	if (x->tagged && n < sizeof(why))
		n += snprintf(why + n, sizeof(why) - n, "; allocinfo %s in %llu calls",
			      ml_human_bytes(x->tag_bytes, b1, sizeof(b1)), x->tag_calls);
	if (x->boot && n < sizeof(why))
		n += snprintf(why + n, sizeof(why) - n, "; allocated at boot");
	x->why = ml_strdup(why);
}

void ml_seen_suspects(struct ml_seen *s)
{
	size_t i;

	ml_suspects_callsites(s);
	ml_suspects_caches(s);
	ml_suspects_postacks(s);
	ml_suspects_vmalloc(s);
	ml_suspects_ledger(s);
	ml_suspects_fragmentation(s);
	for (i = 0; i < s->nsus; i++)
		ml_suspect_score(s, &s->sus[i]);
	qsort(s->sus, s->nsus, sizeof(*s->sus), ml_sus_cmp);
	for (i = 0; i < s->nsus; i++)
		s->sus[i].rank = i + 1;
}


/*
 * modsyms.c: module text addresses resolved from the kernel's own data,
 * for when crash has no symbol for them: crash started with --no_modules,
 * or its module support failed to initialise (crash 9.0.2 on 7.x kernels
 * stops at "invalid structure member offset: module_num_gpl_syms").
 * Without this, every frame of a module prints as a bare address, and
 * "slabtop --by-callsite -m MODULE" or "pageowner --cull module" find
 * nothing.
 *
 * It does what the kernel's find_kallsyms_symbol() does for %pS: the
 * `modules` list gives each struct module, its name and its text regions;
 * its kallsyms (struct module.kallsyms -> struct mod_kallsyms {symtab
 * (Elf64_Sym[num_symtab]), strtab, typetab}) give the symbols. An address
 * in a module's text resolves to the nearest preceding text symbol of that
 * region; its size runs to the next symbol or to the end of the region.
 * Names are stripped of gcc's clone suffixes as crash strips the module
 * symbols it reads itself (".isra.", ".part.", ".llvm."; not with
 * --no_strip), so output is the same whichever of the two resolved it.
 *
 * Layouts, probed (ML_MEMBERS), not dated:
 *  - text regions: struct module.mem[MOD_TEXT] and mem[MOD_INIT_TEXT]
 *    {base, size} since v6.4, commit ac3b43283923 ("module: replace
 *    module_layout with module_memory"); before, core_layout and
 *    init_layout {base, text_size} (struct module_layout, v4.5, commit
 *    7523e4dc5057 "module: use a structure to encapsulate layout"). The
 *    kernel clears the init regions once the module's init has run, so
 *    frames in freed .init.text stay "0x...", as the kernel prints them.
 *  - struct module.kallsyms (v4.5, commit 8244062ef1e5 "modules: fix
 *    longstanding /proc/kallsyms vs module insertion race."): during init
 *    the full table, afterwards core_kallsyms; the kernel's strtab holds
 *    the names in symtab order.
 *  - mod_kallsyms.typetab (v5.2, commit 1c7651f43777 "kallsyms: store
 *    type information in its own array") gives each symbol's nm type;
 *    without it every symbol of a text region counts as text.
 *
 * The table is built once per crash session, at the first address crash
 * cannot resolve, and rebuilt when the head of the `modules` list changes
 * (a live system loading a module). It outlives commands, so it lives on
 * the heap in its own pool rather than in the command arena: every block
 * is linked into the pool as it is allocated, so a build left by longjmp
 * (Ctrl-C) leaks nothing -- the next build frees the pool first. Walks and
 * tables are bounded; the modules list is walked with cycle detection.
 */
#include "core/core.h"

#define ML_MS_MAX_MODULES 65536
#define ML_MS_MAX_SYMTAB (1U << 20)	/* symbols per module */
#define ML_MS_MAX_SYMBOLS (1UL << 22)	/* kept, all modules */
#define ML_MS_MAX_STRTAB (16UL << 20)
#define ML_MS_NAME_LEN 512		/* KSYM_NAME_LEN (128 before v6.1) */

struct ml_ms_sym {
	ulong value;
	const char *name;
	unsigned int index;	/* in the symtab: ties go to the first, as in the kernel */
	bool text;
};

struct ml_ms_region {
	ulong start, end;
	const char *module;
	struct ml_ms_sym *syms;	/* by value */
	unsigned int n;
};

enum ml_ms_state { ML_MS_UNBUILT, ML_MS_READY, ML_MS_UNAVAILABLE };

struct ml_ms_block {
	struct ml_ms_block *next;
	max_align_t payload[];
};

static struct {
	enum ml_ms_state state;
	ulong key[2];			/* modules.next, modules.prev */
	struct ml_ms_block *pool;
	struct ml_ms_region *regions;	/* by start */
	unsigned int nregions, cap;
	unsigned long modules, symbols, skipped;
	char why[200];			/* ML_MS_UNAVAILABLE, or a module skipped */
} ml_ms;

/* ---- the session pool ---------------------------------------------------- */

static void *ml_ms_alloc(size_t size)
{
	struct ml_ms_block *b = calloc(1, sizeof(*b) + size);

	if (!b)
		return NULL;
	b->next = ml_ms.pool;
	ml_ms.pool = b;
	return b->payload;
}

static void ml_ms_reset(void)
{
	while (ml_ms.pool) {
		struct ml_ms_block *b = ml_ms.pool;

		ml_ms.pool = b->next;
		free(b);
	}
	memset(&ml_ms, 0, sizeof(ml_ms));
}

static void __attribute__((destructor)) ml_modsyms_fini(void)
{
	ml_ms_reset();
}

/* ---- building the table -------------------------------------------------- */

struct ml_ms_build {
	ulong *mods;
	unsigned long n, cap;
	long mod_text, mod_init_text;	/* enum mod_mem_type, v6.4+ */
	long unformed;			/* MODULE_STATE_UNFORMED, -1 unknown */
};

static bool ml_ms_collect(ulong mod, void *arg)
{
	struct ml_ms_build *b = arg;

	if (b->n == b->cap) {
		ulong *v;

		b->cap = b->cap ? 2 * b->cap : 64;
		v = ml_alloc(b->cap * sizeof(*v));
		if (b->n)
			memcpy(v, b->mods, b->n * sizeof(*v));
		b->mods = v;
	}
	b->mods[b->n++] = mod;
	return true;
}

/* says why not, once for the session: false */
static bool ml_ms_unavailable(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool ml_ms_unavailable(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ml_ms.why, sizeof(ml_ms.why), fmt, ap);
	va_end(ap);
	ml_ms.state = ML_MS_UNAVAILABLE;
	return false;
}

static void ml_ms_skip(const char *name, const char *why)
{
	if (!ml_ms.skipped++)
		snprintf(ml_ms.why, sizeof(ml_ms.why), "%s: %s", name, why);
}

/* the kernel's Elf_Sym: Elf32_Sym on a 32-bit kernel (16 bytes, st_value
 * 4), Elf64_Sym on a 64-bit one (include/linux/moduleloader.h, elf.h) */
static struct {
	int name, shndx, value, type;
} ml_esym;

#define ML_ESYM_OFF(f) (ml_layout.off[ml_esym.f])
#define ML_ESYM_MSIZE(f) (ml_layout.msize[ml_esym.f])

/* the members this needs, named when missing; NULL if all are there */
static const char *ml_ms_missing(char *buf, size_t len)
{
	bool is32 = sizeof(ulong) == 4;
	int need[] = {
		ML_M(module, list), ML_M(module, name), ML_M(module, kallsyms),
		ML_M(mod_kallsyms, symtab), ML_M(mod_kallsyms, num_symtab),
		ML_M(mod_kallsyms, strtab), 0, 0, 0, ML_T(module), 0,
	};
	char name[128];
	size_t i, l = 0;

	ml_esym.name = is32 ? ML_M(elf32_sym, st_name) : ML_M(elf64_sym, st_name);
	ml_esym.shndx = is32 ? ML_M(elf32_sym, st_shndx) : ML_M(elf64_sym, st_shndx);
	ml_esym.value = is32 ? ML_M(elf32_sym, st_value) : ML_M(elf64_sym, st_value);
	ml_esym.type = is32 ? ML_T(elf32_sym) : ML_T(elf64_sym);
	need[6] = ml_esym.name;
	need[7] = ml_esym.shndx;
	need[8] = ml_esym.value;
	need[10] = ml_esym.type;
	buf[0] = '\0';
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		int id = need[i];
		bool ok = id < ML_NR_MEMBERS ? ml_layout.off[id] >= 0
			: ml_layout.size[id - ML_NR_MEMBERS] > 0;

		if (!ok && l < len)
			l += snprintf(buf + l, len - l, "%s%s", l ? ", " : "",
				      ml_member_name(id, name, sizeof(name)));
	}
	return buf[0] ? buf : NULL;
}

/* is_mapping_symbol(): ARM's $a/$d/$x, LoongArch's .L and L0 */
static bool ml_ms_mapping_symbol(const char *s)
{
	return s[0] == '$' || (s[0] == '.' && s[1] == 'L') || (s[0] == 'L' && s[1] == '0');
}

static bool ml_ms_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

/* a name as crash keeps module symbols: strip_symbol_end() */
static size_t ml_ms_strip_len(const char *name)
{
	static const char *const strip[] = { ".isra.", ".part.", ".llvm." };
	size_t i, n = strlen(name);

	if (st->flags & NO_STRIP)
		return n;
	for (i = 0; i < sizeof(strip) / sizeof(strip[0]); i++) {
		const char *p = strstr(name, strip[i]);

		if (p)
			return p - name;
	}
	return n;
}

static int ml_ms_sym_cmp(const void *a, const void *b)
{
	const struct ml_ms_sym *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int ml_ms_region_cmp(const void *a, const void *b)
{
	const struct ml_ms_region *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static struct ml_ms_region *ml_ms_add_region(ulong start, ulong end, const char *module)
{
	struct ml_ms_region *r;

	if (ml_ms.nregions == ml_ms.cap) {
		unsigned int cap = ml_ms.cap ? 2 * ml_ms.cap : 16;
		struct ml_ms_region *v = ml_ms_alloc(cap * sizeof(*v));

		if (!v)
			return NULL;
		if (ml_ms.nregions)
			memcpy(v, ml_ms.regions, ml_ms.nregions * sizeof(*v));
		ml_ms.regions = v;
		ml_ms.cap = cap;
	}
	r = &ml_ms.regions[ml_ms.nregions++];
	r->start = start;
	r->end = end;
	r->module = module;
	return r;
}

/* the text regions of a module (struct module read in buf): [start, end) */
static int ml_ms_text_regions(const struct ml_ms_build *b, const char *buf, ulong start[2],
			      ulong end[2])
{
	int n = 0, i;

	if (ML_HAS(module, mem)) {
		/* v6.4+: mem[MOD_TEXT], mem[MOD_INIT_TEXT] {base, size} */
		long t[2] = { b->mod_text, b->mod_init_text };

		for (i = 0; i < 2; i++) {
			long o = ML_OFF(module, mem) + t[i] * ML_SIZE(module_memory);
			ulong base = ml_get_ulong(buf, o + ML_OFF(module_memory, base));
			ulong size = ml_get_uint(buf, o + ML_OFF(module_memory, size),
						 ML_MSIZE(module_memory, size));

			if (base && size) {
				start[n] = base;
				end[n++] = base + size;
			}
		}
	} else {
		/* v4.5 - v6.3: core_layout, init_layout {base, text_size} */
		long o[2] = { ML_OFF(module, core_layout), ML_OFF(module, init_layout) };

		for (i = 0; i < 2; i++) {
			ulong base = ml_get_ulong(buf, o[i] + ML_OFF(module_layout, base));
			ulong size = ml_get_uint(buf, o[i] + ML_OFF(module_layout, text_size),
						 ML_MSIZE(module_layout, text_size));

			if (base && size) {
				start[n] = base;
				end[n++] = base + size;
			}
		}
	}
	return n;
}

/* the strtab up to the end of its last name, in one read; NULL: read names one by one */
static char *ml_ms_read_strtab(ulong strtab, unsigned long max_name, size_t *len)
{
	char last[ML_MS_NAME_LEN];
	char *s;

	if (!ml_read_cstring(strtab + max_name, last, sizeof(last), "module strtab"))
		return NULL;
	*len = max_name + strlen(last) + 1;
	if (*len > ML_MS_MAX_STRTAB)
		return NULL;
	s = ml_alloc(*len + 1);
	if (!ml_read(strtab, s, *len, "module strtab"))
		return NULL;
	s[*len] = '\0';
	return s;
}

/* one module being added: its text regions, its kallsyms as read, and
 * the symbols kept of them */
struct ml_ms_mod {
	ulong start[2], end[2];		/* text regions, [start, end) */
	int nreg;
	ulong strtab;
	unsigned long num;		/* num_symtab */
	long esz;			/* sizeof(Elf_Sym) */
	char *sy, *types, *strs;	/* symtab; typetab, strtab or NULL */
	size_t strs_len;
	struct ml_ms_sym *syms;		/* kept, names in the arena until pooled */
	unsigned long kept, namebytes;
};

/* struct module into buf, its name, its text regions (m->nreg 0: a module
 * the kernel would not resolve in either); NULL, or why not */
static const char *ml_ms_module_head(const struct ml_ms_build *b, ulong mod, char *buf,
				     char *name, size_t namelen, struct ml_ms_mod *m)
{
	/* MODULE_NAME_LEN: 64 - sizeof(unsigned long) */
	long nsize = ML_MSIZE(module, name) > 0 ? ML_MSIZE(module, name) : 64 - (long)sizeof(ulong);

	snprintf(name, namelen, "module at %#lx", mod);
	if (!ml_read(mod, buf, ML_SIZE(module), "struct module"))
		return "struct module unreadable";
	if (nsize >= (long)namelen)
		nsize = namelen - 1;
	memcpy(name, buf + ML_OFF(module, name), nsize);
	name[nsize] = '\0';
	/* __module_address() ignores modules still being set up */
	if (b->unformed >= 0 && ML_HAS(module, state) &&
	    (long)ml_get_uint(buf, ML_OFF(module, state), ML_MSIZE(module, state)) == b->unformed)
		return NULL;
	m->nreg = ml_ms_text_regions(b, buf, m->start, m->end);
	return NULL;
}

/* the module's kallsyms (struct module in buf): symtab, typetab and
 * strtab (m->num < 2: no symbols); NULL, or why not */
static const char *ml_ms_read_kallsyms(const char *buf, struct ml_ms_mod *m)
{
	static char msg[160];
	ulong kallsyms, symtab, typetab = 0;
	unsigned long i, max_name = 0;
	char ks[64];

	kallsyms = ml_get_ulong(buf, ML_OFF(module, kallsyms));
	if (!kallsyms || ML_SIZE(mod_kallsyms) > (long)sizeof(ks) ||
	    !ml_read(kallsyms, ks, ML_SIZE(mod_kallsyms), "struct mod_kallsyms"))
		return "its kallsyms are unreadable";
	symtab = ml_get_ulong(ks, ML_OFF(mod_kallsyms, symtab));
	m->strtab = ml_get_ulong(ks, ML_OFF(mod_kallsyms, strtab));
	if (ML_HAS(mod_kallsyms, typetab))
		typetab = ml_get_ulong(ks, ML_OFF(mod_kallsyms, typetab));
	m->num = ml_get_uint(ks, ML_OFF(mod_kallsyms, num_symtab), ML_MSIZE(mod_kallsyms, num_symtab));
	if (m->num > ML_MS_MAX_SYMTAB) {
		snprintf(msg, sizeof(msg), "implausible num_symtab %lu", m->num);
		return msg;
	}
	if (m->num < 2)
		return NULL;
	m->sy = ml_alloc(m->num * m->esz);
	if (!symtab || !m->strtab || !ml_read(symtab, m->sy, m->num * m->esz, "module symtab"))
		return "its symtab is unreadable";
	if (typetab) {
		m->types = ml_alloc(m->num);
		if (!ml_read(typetab, m->types, m->num, "module typetab"))
			m->types = NULL;
	}
	for (i = 1; i < m->num; i++) {
		unsigned long sn = ml_get_uint(m->sy + i * m->esz, ML_ESYM_OFF(name),
					       ML_ESYM_MSIZE(name));

		if (sn > max_name)
			max_name = sn;
	}
	m->strs = ml_ms_read_strtab(m->strtab, max_name, &m->strs_len);
	return NULL;
}

/* the symbols of its text regions, names in the arena for now; NULL, or
 * why not */
static const char *ml_ms_pick_symbols(struct ml_ms_mod *m)
{
	unsigned long i;
	int r;

	m->syms = ml_alloc((m->num - 1) * sizeof(*m->syms));
	for (i = 1; i < m->num; i++) {
		const char *p = m->sy + i * m->esz;
		ulong v = (ulong)ml_get_uint(p, ML_ESYM_OFF(value), ML_ESYM_MSIZE(value));
		unsigned long sn = ml_get_uint(p, ML_ESYM_OFF(name), ML_ESYM_MSIZE(name));
		unsigned int shndx = ml_get_uint(p, ML_ESYM_OFF(shndx), ML_ESYM_MSIZE(shndx));
		struct ml_ms_sym *sym = &m->syms[m->kept];
		char nb[ML_MS_NAME_LEN];
		const char *nm;
		size_t l;

		if (shndx == 0 /* SHN_UNDEF */ || !sn)
			continue;
		for (r = 0; r < m->nreg; r++)
			if (v >= m->start[r] && v < m->end[r])
				break;
		if (r == m->nreg)
			continue;
		if (m->strs && sn < m->strs_len) {
			nm = m->strs + sn;
		} else if (ml_read_cstring(m->strtab + sn, nb, sizeof(nb), "module symbol name")) {
			nm = nb;
		} else {
			continue;
		}
		if (!nm[0] || ml_ms_mapping_symbol(nm))
			continue;
		if (ml_ms.symbols + m->kept >= ML_MS_MAX_SYMBOLS)
			return "too many module symbols";
		l = ml_ms_strip_len(nm);
		sym->value = v;
		sym->index = i;
		sym->text = !m->types || ml_ms_text_type(m->types[i]);
		sym->name = ml_alloc(l + 1);
		memcpy((char *)sym->name, nm, l);
		m->namebytes += l + 1;
		m->kept++;
	}
	return NULL;
}

/* the kept names into one block of the session pool, the symbols sorted
 * and split by region into the table; NULL, or why not */
static const char *ml_ms_add_regions(struct ml_ms_mod *m, const char *mname)
{
	char *pool = ml_ms_alloc(m->namebytes + 1);
	unsigned long i;
	int r;

	if (!pool)
		return "out of memory";
	for (i = 0; i < m->kept; i++) {
		size_t l = strlen(m->syms[i].name) + 1;

		memcpy(pool, m->syms[i].name, l);
		m->syms[i].name = pool;
		pool += l;
	}
	qsort(m->syms, m->kept, sizeof(*m->syms), ml_ms_sym_cmp);
	for (r = 0; r < m->nreg; r++) {
		struct ml_ms_region *reg = ml_ms_add_region(m->start[r], m->end[r], mname);
		unsigned long lo = 0, hi;

		if (!reg)
			return "out of memory";
		while (lo < m->kept && m->syms[lo].value < m->start[r])
			lo++;
		for (hi = lo; hi < m->kept && m->syms[hi].value < m->end[r]; hi++)
			;
		reg->n = hi - lo;
		reg->syms = ml_ms_alloc((reg->n ? reg->n : 1) * sizeof(*m->syms));
		if (!reg->syms) {
			ml_ms.nregions--;
			return "out of memory";
		}
		memcpy(reg->syms, m->syms + lo, reg->n * sizeof(*m->syms));
	}
	return NULL;
}

/* a module's text regions and symbols into the table; NULL, or why not */
static const char *ml_ms_add_module(const struct ml_ms_build *b, ulong mod, char *buf,
				    char *name, size_t namelen)
{
	struct ml_ms_mod m;
	const char *why;
	char *mname;

	memset(&m, 0, sizeof(m));
	m.esz = ml_layout.size[ml_esym.type - ML_NR_MEMBERS];
	why = ml_ms_module_head(b, mod, buf, name, namelen, &m);
	if (why || !m.nreg)
		return why;
	why = ml_ms_read_kallsyms(buf, &m);
	if (why || m.num < 2)
		return why;
	mname = ml_ms_alloc(strlen(name) + 1);
	if (!mname)
		return "out of memory";
	strcpy(mname, name);
	why = ml_ms_pick_symbols(&m);
	if (!why)
		why = ml_ms_add_regions(&m, mname);
	if (why)
		return why;
	ml_ms.modules++;
	ml_ms.symbols += m.kept;
	return NULL;
}

static bool ml_ms_key(ulong key[2])
{
	return symbol_exists("modules") &&
	       ml_read(symbol_value("modules"), key, 2 * sizeof(ulong), "modules");
}

/* true if the table is ready */
static bool ml_ms_build(void)
{
	struct ml_ms_build b = { 0 };
	enum ml_walk_status ws;
	char miss[400], name[128];
	ulong key[2];
	unsigned long i;
	char *buf;

	ml_ms_reset();
	if (!symbol_exists("modules"))
		return ml_ms_unavailable("no modules list (kernel built without CONFIG_MODULES)");
	if (!ml_ms_key(key))
		return ml_ms_unavailable("the modules list head is unreadable");
	if (!ML_HAS(module, kallsyms) && ML_SIZE(module) > 0 && ML_HAS(module, list))
		return ml_ms_unavailable("struct module has no kallsyms (kernel built without "
					 "CONFIG_KALLSYMS, or older than v4.5)");
	if (ml_ms_missing(miss, sizeof(miss)))
		return ml_ms_unavailable("%s not in this kernel's debuginfo", miss);
	if (ML_HAS(module, mem)) {
		b.mod_text = ml_enum_value_or("MOD_TEXT", -1);
		b.mod_init_text = ml_enum_value_or("MOD_INIT_TEXT", -1);
		if (b.mod_text < 0 || b.mod_init_text < 0 || ML_SIZE(module_memory) <= 0 ||
		    !ML_HAS(module_memory, base) || !ML_HAS(module_memory, size))
			return ml_ms_unavailable("struct module.mem[] without enum mod_mem_type "
						 "or struct module_memory {base, size} in debuginfo");
		if ((b.mod_text + 1) * ML_SIZE(module_memory) > ML_MSIZE(module, mem) ||
		    (b.mod_init_text + 1) * ML_SIZE(module_memory) > ML_MSIZE(module, mem))
			return ml_ms_unavailable("MOD_TEXT/MOD_INIT_TEXT outside struct module.mem[]");
	} else if (!ML_HAS(module, core_layout) || !ML_HAS(module, init_layout) ||
		   !ML_HAS(module_layout, base) || !ML_HAS(module_layout, text_size)) {
		return ml_ms_unavailable("struct module has neither mem[] (v6.4+) nor "
					 "core_layout/init_layout {base, text_size} (v4.5+)");
	}
	b.unformed = ml_enum_value_or("MODULE_STATE_UNFORMED", -1);
	ml_list_walk(symbol_value("modules"), ML_OFF(module, list), ML_MS_MAX_MODULES,
		     ml_ms_collect, &b, &ws);
	if (ws == ML_WALK_INTERRUPTED)
		return false;	/* ML_MS_UNBUILT: again next time */
	if (ws != ML_WALK_OK)
		ml_ms_skip("modules list", ml_walk_status_str(ws));
	buf = ml_alloc(ML_SIZE(module));
	for (i = 0; i < b.n; i++) {
		if (ml_interrupted()) {
			ml_ms_reset();
			return false;
		}
		const char *why = ml_ms_add_module(&b, b.mods[i], buf, name, sizeof(name));

		if (why)
			ml_ms_skip(name, why);
	}
	if (ml_ms.nregions)
		qsort(ml_ms.regions, ml_ms.nregions, sizeof(*ml_ms.regions), ml_ms_region_cmp);
	ml_ms.key[0] = key[0];
	ml_ms.key[1] = key[1];
	ml_ms.state = ML_MS_READY;
	return true;
}

/* the table for the current modules list; false if unavailable */
static bool ml_ms_ready(void)
{
	ulong key[2];

	if (ml_ms.state == ML_MS_UNAVAILABLE)
		return false;
	if (ml_ms.state == ML_MS_READY &&
	    (!ml_ms_key(key) || (key[0] == ml_ms.key[0] && key[1] == ml_ms.key[1])))
		return true;
	return ml_ms_build();
}

/* ---- lookups ------------------------------------------------------------- */

static const struct ml_ms_region *ml_ms_region_of(ulong addr)
{
	unsigned int lo = 0, hi = ml_ms.nregions;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (ml_ms.regions[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr >= ml_ms.regions[lo - 1].end)
		return NULL;
	return &ml_ms.regions[lo - 1];
}

bool ml_modsym_lookup(ulong addr, struct ml_sym *sym, char *buf, size_t len)
{
	const struct ml_ms_region *r;
	unsigned int lo = 0, hi, best, k;
	ulong next;

	if (!addr || !ml_ms_ready() || !(r = ml_ms_region_of(addr)))
		return false;
	/* the last symbol at or below addr */
	hi = r->n;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (r->syms[mid].value <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	next = lo < r->n ? r->syms[lo].value : r->end;
	/* the nearest text symbol below, the first of equal values */
	for (k = lo; k > 0 && !r->syms[k - 1].text; k--)
		;
	if (!k)
		return false;
	best = k - 1;
	while (best > 0 && r->syms[best - 1].value == r->syms[best].value &&
	       r->syms[best - 1].text)
		best--;
	sym->addr = addr;
	sym->name = ml_strdup(r->syms[best].name);
	sym->module = ml_strdup(r->module);
	sym->offset = addr - r->syms[best].value;
	sym->size = next - r->syms[best].value;
	snprintf(buf, len, "%s+0x%lx/0x%lx [%s]", sym->name, sym->offset, sym->size,
		 sym->module);
	return true;
}

bool ml_crash_has_modules(void)
{
	/* --no_modules, or no modules list crash understood */
	return !(kt->flags & NO_MODULE_ACCESS) && (kt->module_list || kt->mods_installed > 0);
}

const char *ml_modsyms_status(char *buf, size_t len, enum ml_modsyms_source *src,
			      unsigned long *modules, unsigned long *symbols)
{
	*modules = *symbols = 0;
	if (ml_crash_has_modules()) {
		*src = ML_MODSYMS_CRASH;
		*modules = kt->mods_installed;
		snprintf(buf, len, "crash (%d module%s)", kt->mods_installed,
			 kt->mods_installed == 1 ? "" : "s");
		return buf;
	}
	if (!ml_ms_ready()) {
		*src = ML_MODSYMS_UNAVAILABLE;
		snprintf(buf, len, "unavailable: %s",
			 ml_ms.state == ML_MS_UNAVAILABLE ? ml_ms.why : "interrupted");
		return buf;
	}
	*src = ML_MODSYMS_KALLSYMS;
	*modules = ml_ms.modules;
	*symbols = ml_ms.symbols;
	snprintf(buf, len, "from module kallsyms (crash has no module support): "
		 "%lu module%s, %lu symbols%s%s", ml_ms.modules, ml_ms.modules == 1 ? "" : "s",
		 ml_ms.symbols, ml_ms.skipped ? "; skipped " : "", ml_ms.skipped ? ml_ms.why : "");
	return buf;
}

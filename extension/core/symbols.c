/*
 * symbols.c: kernel addresses as the kernel's own %pS prints them --
 * "symbol+0xoff/0xsize [module]", or "0x..." when no symbol covers the
 * address (a module's freed .init.text, for instance) -- so memleak's
 * stacks read like debugfs alloc_traces and page_owner.
 *
 * crash resolves the symbol (value_search) and the module
 * (module_symbol); crash keeps no symbol sizes, so the size is the
 * distance to the next symbol at a higher address, which is what
 * kallsyms computes too. For the last text symbol of a module, kallsyms
 * stops at the end of the module's text (page-aligned), where crash's next
 * symbol is already data: the size stops at the page boundary there.
 * Lookups are cached by address for the command (arena).
 *
 * crash strips gcc's clone suffixes (".isra.0", ".part.0", ".llvm.N") from
 * vmlinux symbols, where kallsyms keeps them: such names print as crash
 * has them ("bucket_table_alloc+0x4b/0x150" for the kernel's
 * "bucket_table_alloc.isra.0+0x4b/0x150") unless crash runs with --no_strip.
 */
#include "core/core.h"

struct ml_sym_entry {
	ulong addr;
	struct ml_sym sym;
	UT_hash_handle hh;
};

static struct ml_sym_entry *ml_sym_cache;

void ml_symbols_begin(void)
{
	ml_sym_cache = NULL;
}

static bool ml_sym_is_text(const struct syment *sp)
{
	return sp->type == 't' || sp->type == 'T' || sp->type == 'W' || sp->type == 'w';
}

static bool ml_sym_pseudo(const struct syment *sp)
{
	return sp->name && strncmp(sp->name, "_MODULE_", 8) == 0;
}

/* the next symbol above sp in the table [sp, end) it belongs to */
static const struct syment *ml_sym_next(const struct syment *sp, const struct syment *end)
{
	const struct syment *n;

	for (n = sp + 1; n < end; n++)
		if (n->value > sp->value && !ml_sym_pseudo(n))
			return n;
	return NULL;
}

static bool ml_in_table(const struct syment *sp, const struct syment *start,
			const struct syment *end)
{
	return start && sp >= start && sp < end;
}

#ifdef MOD_MEM_NUM_TYPES
/*
 * Modules as struct module.mem[] regions (v6.4, commit ac3b43283923
 * "module: replace module_layout with module_memory"; crash 9 keeps one
 * symbol table per region, KMOD_MEMORY): kallsyms' find_kallsyms_symbol()
 * bounds a symbol by the next one and by the end of its region.
 */
static ulong ml_mod_mem_sym_size(const struct syment *sp, struct load_module *lm)
{
	int t;

	for_each_mod_mem_type(t) {
		const struct syment *next;
		ulong end = lm->mem[t].base + lm->mem[t].size;

		if (!lm->symtable[t] || !lm->symend[t] ||
		    !ml_in_table(sp, lm->symtable[t], lm->symend[t] + 1))
			continue;
		next = ml_sym_next(sp, lm->symend[t] + 1);
		if (next && next->value < end)
			end = next->value;
		return end > sp->value ? end - sp->value : 0;
	}
	return 0;
}
#endif

static bool ml_sym_weak(const struct syment *sp)
{
	return sp->type == 'W' || sp->type == 'w' || sp->type == 'V' || sp->type == 'v';
}

/* crash's table keeps a kernel address's aliases side by side, in no
 * order the kernel uses: the one kallsyms prints (ml_ksym_alias_cmp) */
static struct syment *ml_sym_kernel_alias(struct syment *sp)
{
	struct syment *best = sp, *n;

	if (!ml_in_table(sp, st->symtable, st->symend))
		return sp;
	for (n = sp; n > st->symtable && n[-1].value == sp->value; n--)
		;
	for (; n < st->symend && n->value == sp->value; n++)
		if (n != best && n->name && !ml_sym_pseudo(n) &&
		    ml_ksym_alias_cmp(n->name, ml_sym_weak(n), best->name, ml_sym_weak(best)) < 0)
			best = n;
	return best;
}

/* symbol size as kallsyms has it: 0 if unknown */
static ulong ml_sym_size(ulong addr, const struct syment *sp, struct load_module *lm)
{
	const struct syment *next = NULL;
	ulong end;

#ifdef MOD_MEM_NUM_TYPES
	if (lm && MODULE_MEMORY())
		return ml_mod_mem_sym_size(sp, lm);
#endif
	if (!lm) {
		if (ml_in_table(sp, st->symtable, st->symend))
			next = ml_sym_next(sp, st->symend);
	} else if (ml_in_table(sp, lm->mod_symtable, lm->mod_symend + 1)) {
		next = ml_sym_next(sp, lm->mod_symend + 1);
	} else if (ml_in_table(sp, lm->mod_init_symtable, lm->mod_init_symend + 1)) {
		next = ml_sym_next(sp, lm->mod_init_symend + 1);
	}
	if (!next)
		return 0;
	end = next->value;
	if (lm && ml_sym_is_text(sp) && !ml_sym_is_text(next)) {
		ulong page_end = (addr | (PAGESIZE() - 1)) + 1;

		if (page_end < end)
			end = page_end;
	}
	return end - sp->value;
}

const struct ml_sym *ml_sym_lookup(ulong addr)
{
	struct ml_sym_entry *e;
	struct syment *sp;
	struct load_module *lm = NULL;
	ulong off = 0;
	char buf[BUFSIZE];

	HASH_FIND(hh, ml_sym_cache, &addr, sizeof(addr), e);
	if (e)
		return &e->sym;
	e = ml_alloc(sizeof(*e));
	e->addr = addr;
	e->sym.addr = addr;
	sp = addr ? value_search(addr, &off) : NULL;
	if (sp && ml_sym_pseudo(sp))
		sp = NULL;
	if (sp && module_symbol(addr, NULL, &lm, NULL, 0) && lm)
		e->sym.module = ml_strdup(lm->mod_name);
	else
		lm = NULL;
	if (sp && !lm)
		sp = ml_sym_kernel_alias(sp);
	if (sp) {
		ulong size = ml_sym_size(addr, sp, lm);

		/* beyond the symbol's end: nothing covers the address */
		if (size && off >= size)
			sp = NULL;
		else
			e->sym.size = size;
	}
	if (sp) {
		const char *name = sp->name;
		struct ml_sym ks;
		char kb[BUFSIZE];

		/* a module symbol sharing its address with others (gcc's
		 * identical code folding): the name the kernel prints is the
		 * first of them in the module's symtab, which crash's sorted
		 * table does not keep -- take it from the module's kallsyms */
		if (lm && ml_modsym_lookup(addr, &ks, kb, sizeof(kb)) && ks.offset == off) {
			if (strcmp(ks.name, name) != 0)
				name = ks.name;
			/* a module's last function: no next symbol in crash's
			 * table; the kernel's size runs to its region's end */
			if (!e->sym.size)
				e->sym.size = ks.size;
		}
		e->sym.name = name;
		e->sym.offset = off;
		if (e->sym.size)
			snprintf(buf, sizeof(buf), "%s+0x%lx/0x%lx", name, off, e->sym.size);
		else
			snprintf(buf, sizeof(buf), "%s+0x%lx", name, off);
		if (e->sym.module) {
			size_t l = strlen(buf);

			snprintf(buf + l, sizeof(buf) - l, " [%s]", e->sym.module);
		}
	} else if (!ml_modsym_lookup(addr, &e->sym, buf, sizeof(buf))) {
		/* nor the module's own kallsyms (modsyms.c: crash without modules) */
		e->sym.module = NULL;
		snprintf(buf, sizeof(buf), "0x%lx", addr);
	}
	e->sym.str = ml_strdup(buf);
	HASH_ADD(hh, ml_sym_cache, addr, sizeof(addr), e);
	return &e->sym;
}

/* "name [module]" without offset; unresolved addresses as "?" */
const char *ml_sym_key(ulong addr, char *buf, size_t len)
{
	const struct ml_sym *sym = ml_sym_lookup(addr);

	if (!sym->name)
		snprintf(buf, len, "?");
	else if (sym->module)
		snprintf(buf, len, "%s [%s]", sym->name, sym->module);
	else
		snprintf(buf, len, "%s", sym->name);
	return buf;
}

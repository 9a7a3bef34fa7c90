/*
 * vmalloc.c: "memleak vmalloc" -- the vmalloc areas (collect/vmalloc.c)
 * summed per caller, largest first, or --vmallocinfo in /proc/vmallocinfo's
 * own lines. Options, the text report and --json.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>

#define ML_VM_UNINITIALIZED 0x20UL	/* include/linux/vmalloc.h */
#define ML_VM_NODES 64			/* nodes the per-node counts cover */
#define ML_PTRW ((int)(2 * sizeof(ulong)))	/* %pK's digits */

struct ml_vmalloc_opts {
	bool json, info;
	long top;
	const char *module;
};

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_vmalloc_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "vmallocinfo", no_argument, NULL, 'i' },
		{ "module", required_argument, NULL, 'm' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->top = 20;
	ml_opt_begin("vmalloc", argc, argv);
	while ((c = getopt_long(argc, argv, "jim:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'i': o->info = true; break;
		case 'm': o->module = optarg; break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return -1;
			break;
		case 'h': ml_print_sub_help("vmalloc"); return 1;
		default:
			ml_opt_error("vmalloc", argc, argv, longopts);
			return -1;
		}
	}
	return ml_opt_end("vmalloc", argc, argv) ? 0 : -1;
}

static bool ml_of_module(ulong caller, const char *module)
{
	const struct ml_sym *s;

	if (!module)
		return true;
	s = caller ? ml_sym_lookup(caller) : NULL;
	return s && s->module && strcmp(s->module, module) == 0;
}

/* the flags' words, as s_show() prints them */
static void ml_flag_words(unsigned long f, ulong pages, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s%s", f & ML_VM_IOREMAP ? " ioremap" : "",
		 f & ML_VM_ALLOC ? " vmalloc" : "", f & ML_VM_MAP ? " vmap" : "",
		 f & ML_VM_USERMAP ? " user" : "", f & ML_VM_DMA_COHERENT ? " dma-coherent" : "",
		 pages && ml_is_vmalloc_addr(pages) ? " vpages" : "");
}

/* mm/vmalloc.c s_show(): one line per area */
static void ml_vmallocinfo(const struct ml_vmalloc_data *d, const struct ml_vmalloc_opts *o)
{
	unsigned long counts[ML_VM_NODES];
	char words[96];
	size_t i;
	int n;

	for (i = 0; i < d->n && !ml_interrupted(); i++) {
		const struct ml_vmap_area *a = &d->v[i];

		if (!a->vm) {
			if (!o->module)
				fprintf(fp, "0x%0*lx-0x%0*lx %7ld vm_map_ram\n", ML_PTRW, a->start,
					ML_PTRW, a->end, (long)(a->end - a->start));
			continue;
		}
		if (!ml_of_module(a->caller, o->module))
			continue;
		fprintf(fp, "0x%0*lx-0x%0*lx %7ld", ML_PTRW, a->addr, ML_PTRW, a->addr + a->size,
			(long)a->size);
		if (a->caller)
			fprintf(fp, " %s", ml_sym_lookup(a->caller)->str);
		if (a->nr_pages)
			fprintf(fp, " pages=%u", a->nr_pages);
		if (a->phys)
			fprintf(fp, " phys=0x%0*llx", (int)(2 * ML_MSIZE(vm_struct, phys_addr)),
				a->phys);
		ml_flag_words(a->flags, a->pages, words, sizeof(words));
		fputs(words, fp);
		if (d->numa && !(a->flags & ML_VM_UNINITIALIZED) &&
		    ml_vmalloc_nodes(a, counts, ML_VM_NODES))
			for (n = 0; n < ML_VM_NODES; n++)
				if (counts[n])
					fprintf(fp, " N%d=%lu", n, counts[n]);
		fputc('\n', fp);
	}
}

static void ml_text(const struct ml_vmalloc_data *d, const struct ml_vmalloc_opts *o)
{
	char b1[32], b2[32], words[96];
	size_t i, shown = 0, kept = 0;

	fprintf(fp, "%zu vmalloc areas, %s mapped (guard pages included), %s in %llu pages; "
		"%lu vm_map_ram areas\n\n", (size_t)(d->n - d->map_ram), ml_human_bytes(d->bytes, b1, sizeof(b1)),
		ml_human_bytes(d->pages * PAGESIZE(), b2, sizeof(b2)), d->pages, d->map_ram);
	fprintf(fp, "%12s %7s %9s  %-24s %s\n", "bytes", "areas", "pages", "flags", "caller");
	for (i = 0; i < d->ncallers; i++) {
		const struct ml_vmalloc_caller *c = &d->callers[i];

		if (!ml_of_module(c->caller, o->module))
			continue;
		kept++;
		if (o->top && (long)shown >= o->top)
			continue;
		shown++;
		ml_flag_words(c->flags, 0, words, sizeof(words));
		fprintf(fp, "%12llu %7lu %9llu  %-24s %s\n", c->bytes, c->areas, c->pages,
			*words ? words + 1 : "-", c->caller ? ml_sym_lookup(c->caller)->str : "-");
	}
	if (shown < kept)
		fprintf(fp, "\n%zu of %zu callers shown (--top 0: all)\n", shown, kept);
}

static void ml_json(struct ml_json *j, const struct ml_vmalloc_data *d,
		    const struct ml_vmalloc_opts *o)
{
	char a[32], words[96];
	size_t i, shown = 0;

	mj_uint(j, "areas", d->n - d->map_ram);
	mj_uint(j, "vm_map_ram_areas", d->map_ram);
	mj_uint(j, "bytes", d->bytes);
	mj_uint(j, "pages", d->pages);
	mj_arr(j, "callers");
	for (i = 0; i < d->ncallers; i++) {
		const struct ml_vmalloc_caller *c = &d->callers[i];

		if (!ml_of_module(c->caller, o->module))
			continue;
		if (o->top && (long)shown >= o->top)
			break;
		shown++;
		mj_obj(j, NULL);
		snprintf(a, sizeof(a), "0x%lx", c->caller);
		mj_str(j, "caller_addr", a);
		if (c->caller)
			mj_str(j, "caller", ml_sym_lookup(c->caller)->str);
		else
			mj_null(j, "caller");
		mj_uint(j, "areas", c->areas);
		mj_uint(j, "bytes", c->bytes);
		mj_uint(j, "pages", c->pages);
		ml_flag_words(c->flags, 0, words, sizeof(words));
		mj_str(j, "flags", *words ? words + 1 : "");
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

void ml_cmd_vmalloc(int argc, char **argv)
{
	struct ml_vmalloc_opts o;
	struct ml_vmalloc_data d;
	struct ml_report r;

	memset(&o, 0, sizeof(o));
	if (ml_parse_opts(argc, argv, &o))
		return;
	ml_report_begin(&r, "vmalloc", o.json);
	if (ml_vmalloc_collect(&d) < 0 || ml_interrupted()) {
		ml_report_fail(&r);
		return;
	}
	if (o.json)
		ml_json(&r.j, &d, &o);
	else if (o.info)
		ml_vmallocinfo(&d, &o);
	else
		ml_text(&d, &o);
	ml_report_end(&r);
}

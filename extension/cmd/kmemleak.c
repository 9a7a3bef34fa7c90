/*
 * kmemleak.c: "memleak kmemleak" -- what /sys/kernel/debug/kmemleak would
 * have listed at the dump (collect/kmemleak.c), grouped by callsite, or
 * object by object in kmemleak's own format (--objects). Options, the text
 * report and --json.
 */
#include "cmd/cmd.h"

#include <ctype.h>
#include <getopt.h>
#include <limits.h>

struct ml_kmemleak_opts {
	bool json, all, objects, by_stack;
	long top, min_count;
	const char *module;
};

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_kmemleak_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "objects", no_argument, NULL, 'o' },
		{ "stack", no_argument, NULL, 'S' },
		{ "top", required_argument, NULL, 'n' },
		{ "module", required_argument, NULL, 'm' },
		{ "min", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	ml_opt_begin("kmemleak", argc, argv);
	while ((c = getopt_long(argc, argv, "jaom:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'a': o->all = true; break;
		case 'o': o->objects = true; break;
		case 'S': o->by_stack = true; break;
		case 'm': o->module = optarg; break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return -1;
			break;
		case 'M':
			if (!ml_opt_num("--min", optarg, 0, LONG_MAX, &o->min_count))
				return -1;
			break;
		case 'h': ml_print_sub_help("kmemleak"); return 1;
		default:
			ml_opt_error("kmemleak", argc, argv, longopts);
			return -1;
		}
	}
	return ml_opt_end("kmemleak", argc, argv) ? 0 : -1;
}

static const char *ml_caller_str(ulong caller)
{
	return caller ? ml_symbolize(caller) : "<no stack>";
}

/* ---- one object, as kmemleak prints it (print_unreferenced()) ---------- */

#define ML_HEX_ROW 16
#define ML_HEX_MAX 32	/* HEX_MAX_LINES * HEX_ROW_SIZE */

static void ml_text_hexdump(const struct ml_kml_object *ob)
{
	unsigned char b[ML_HEX_MAX];
	size_t n = ob->size < ML_HEX_MAX ? ob->size : ML_HEX_MAX, i, k;

	if (ob->kind == ML_KMK_PERCPU || ob->kind == ML_KMK_PHYS || !n)
		return;
	fprintf(fp, "  hex dump (first %zu bytes):\n", n);
	if (!ml_read(ob->pointer, b, n, "kmemleak object")) {
		fputs("    (not in the dump)\n", fp);
		return;
	}
	for (i = 0; i < n; i += ML_HEX_ROW) {
		size_t m = n - i < ML_HEX_ROW ? n - i : ML_HEX_ROW;

		fputs("   ", fp);
		for (k = 0; k < m; k++)
			fprintf(fp, " %02x", b[i + k]);
		fprintf(fp, "%*s  ", (int)(3 * (ML_HEX_ROW - m)), "");
		for (k = 0; k < m; k++)
			fputc(isprint(b[i + k]) ? b[i + k] : '.', fp);
		fputc('\n', fp);
	}
}

static void ml_text_object(const struct ml_kml_object *ob)
{
	enum ml_depot_status st;
	const ulong *e;
	unsigned int nr = ml_kmemleak_stack(ob, &e, &st), k;

	fprintf(fp, "%s object %s0x%08lx (size %lu):\n",
		ob->state == ML_KML_REPORTED ? "unreferenced" : ml_kml_state_name(ob->state),
		ob->kind == ML_KMK_PERCPU ? "(percpu) " : ob->kind == ML_KMK_PHYS ? "(phys) " : "",
		ob->pointer, ob->size);
	fprintf(fp, "  comm \"%s\", pid %d, jiffies %lu", ob->comm, ob->pid, ob->jiffies);
	if (ob->age >= 0)
		fprintf(fp, " (%.2f s before the dump)", ob->age);
	fputc('\n', fp);
	ml_text_hexdump(ob);
	fprintf(fp, "  backtrace (crc %x):\n", ob->checksum);
	for (k = 0; k < nr; k++)
		fprintf(fp, "    %s\n", ml_symbolize(e[k]));
	if (!nr)
		fprintf(fp, "    (%s)\n", ml_depot_status_str(st));
}

static void ml_json_stack(struct ml_json *j, const struct ml_kml_object *ob)
{
	enum ml_depot_status st;
	const ulong *e;
	unsigned int nr = ob ? ml_kmemleak_stack(ob, &e, &st) : 0, k;

	mj_arr(j, "stack");
	for (k = 0; k < nr; k++)
		mj_str(j, NULL, ml_symbolize(e[k]));
	mj_arr_end(j);
}

static void ml_json_object(struct ml_json *j, const struct ml_kml_object *ob)
{
	char b[32];

	mj_obj(j, NULL);
	snprintf(b, sizeof(b), "%lx", ob->pointer);
	mj_str(j, "address", b);
	mj_uint(j, "size", ob->size);
	mj_str(j, "state", ml_kml_state_name(ob->state));
	mj_str(j, "kind", ml_kml_kind_name(ob->kind));
	mj_str(j, "comm", ob->comm);
	mj_int(j, "pid", ob->pid);
	mj_uint(j, "jiffies", ob->jiffies);
	if (ob->age >= 0)
		mj_double(j, "age", ob->age, 3);
	else
		mj_null(j, "age");
	mj_int(j, "min_count", ob->min_count);
	mj_int(j, "count", ob->count);
	snprintf(b, sizeof(b), "%x", ob->checksum);
	mj_str(j, "crc", b);
	mj_str(j, "caller", ml_caller_str(ob->caller));
	ml_json_stack(j, ob);
	mj_obj_end(j);
}

/* ---- groups ------------------------------------------------------------ */

static void ml_json_group(struct ml_json *j, const struct ml_kml_data *d,
			  const struct ml_orph_group *g)
{
	mj_obj(j, NULL);
	mj_str(j, "state", ml_kml_state_name(g->key.kind));
	mj_str(j, "kind", ml_kml_kind_name(g->key.cache));
	ml_group_json(j, g, ml_caller_str(g->key.caller));
	ml_json_stack(j, ml_kmemleak_group_object(d, g));
	mj_obj_end(j);
}

static void ml_text_group(const struct ml_kml_data *d, const struct ml_orph_group *g,
			  const struct ml_kmemleak_opts *o)
{
	fprintf(fp, "%7lu %s", g->count, ml_caller_str(g->key.caller));
	if (o->all)
		fprintf(fp, " state=%s", ml_kml_state_name(g->key.kind));
	fprintf(fp, " kind=%s", ml_kml_kind_name(g->key.cache));
	ml_group_text_tail(g);
	if (o->by_stack) {
		const struct ml_kml_object *ob = ml_kmemleak_group_object(d, g);
		enum ml_depot_status st = ML_DEPOT_NOHANDLE;
		const ulong *e;
		unsigned int nr = ob ? ml_kmemleak_stack(ob, &e, &st) : 0, k;

		for (k = 0; k < nr; k++)
			fprintf(fp, "        %s\n", ml_symbolize(e[k]));
		if (!nr)
			fprintf(fp, "        (stack: %s)\n", ml_depot_status_str(st));
		fputc('\n', fp);
	}
}

/* ---- kmemleak's state and the totals ------------------------------------ */

static void ml_json_state(struct ml_json *j, const struct ml_kml_data *d)
{
	int k;

	mj_obj(j, "kmemleak");
	mj_bool(j, "enabled", d->enabled);
	if (d->have_error)
		mj_bool(j, "error", d->error);
	else
		mj_null(j, "error");
	mj_bool(j, "free_enabled", d->free_enabled);
	mj_bool(j, "scanned", d->scanned);
	if (d->scanned)
		mj_double(j, "last_scan_age", d->last_scan_age, 3);
	else
		mj_null(j, "last_scan_age");
	mj_double(j, "min_age", ml_feat.hz ? (double)d->min_age / ml_feat.hz : 0, 3);
	mj_bool(j, "auto_scan", d->auto_scan);
	mj_double(j, "scan_wait", d->scan_wait, 3);
	if (d->mem_pool_free >= 0)
		mj_int(j, "mem_pool_free", d->mem_pool_free);
	else
		mj_null(j, "mem_pool_free");
	mj_str(j, "backtrace", d->depot ? "stack depot" : "trace array");
	mj_obj_end(j);
	mj_obj(j, "objects");
	for (k = 0; k < ML_KML_NR; k++) {
		mj_obj(j, ml_kml_state_name(k));
		mj_uint(j, "count", d->count[k]);
		mj_uint(j, "bytes", d->bytes[k]);
		mj_obj_end(j);
	}
	mj_uint(j, "walked", d->walked);
	mj_uint(j, "unreadable", d->unreadable);
	mj_str(j, "walk", ml_walk_status_str(d->walk));
	mj_obj_end(j);
}

static void ml_text_state(const struct ml_kml_data *d)
{
	char b[32];
	int k;

	fprintf(fp, "kmemleak %s", d->enabled ? "enabled" : d->error ? "disabled after an error"
								  : "disabled");
	if (d->scanned)
		fprintf(fp, ", last scan %.2f s before the dump", d->last_scan_age);
	else
		fputs(", never scanned", fp);
	fprintf(fp, ", min age %.1f s, auto scan %s", ml_feat.hz ? (double)d->min_age / ml_feat.hz : 0,
		d->auto_scan ? "on" : "off");
	if (d->auto_scan && d->scan_wait > 0)
		fprintf(fp, " (every %.0f s)", d->scan_wait);
	if (d->mem_pool_free >= 0)
		fprintf(fp, ", %ld early pool objects free", d->mem_pool_free);
	fputc('\n', fp);
	fprintf(fp, "objects  %lu on object_list:", d->walked);
	for (k = 0; k < ML_KML_NR; k++)
		fprintf(fp, "%s %lu %s (%s)", k ? "," : "", d->count[k], ml_kml_state_name(k),
			ml_human_bytes(d->bytes[k], b, sizeof(b)));
	fputc('\n', fp);
}

static void ml_kmemleak_warnings(const struct ml_kml_data *d)
{
	if (!d->enabled && d->error)
		ml_warn("kmemleak disabled itself after an error: its list stops there (the kernel "
			"log's \"kmemleak:\" lines say why; a larger "
			"CONFIG_DEBUG_KMEMLEAK_MEM_POOL_SIZE helps when the early pool ran out)");
	else if (!d->enabled)
		ml_warn("kmemleak is off: boot with kmemleak=on (kernels built with "
			"CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF)");
	if (!d->scanned)
		ml_warn("kmemleak never scanned before the dump, so it reported nothing: echo scan > "
			"/sys/kernel/debug/kmemleak (or keep CONFIG_DEBUG_KMEMLEAK_AUTO_SCAN) before "
			"the dump; \"memleak orphans\" runs the scan on this dump");
	if (d->walk != ML_WALK_OK)
		ml_warn("object_list: the walk stopped after %lu objects (%s): the counts are partial",
			d->walked, ml_walk_status_str(d->walk));
	if (d->unreadable)
		ml_warn("%lu kmemleak_objects are not in the dump: not judged", d->unreadable);
}

void ml_cmd_kmemleak(int argc, char **argv)
{
	struct ml_kmemleak_opts o;
	struct ml_kml_opts co;
	struct ml_kml_data d;
	struct ml_report r;
	size_t i, shown = 0;
	unsigned long objs = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	if (ml_parse_opts(argc, argv, &o))
		return;
	memset(&co, 0, sizeof(co));
	co.all = o.all;
	co.by_stack = o.by_stack;
	co.module = o.module;
	rc = ml_kmemleak_collect(&d, &co);
	ml_report_begin(&r, "kmemleak", o.json);
	if (rc < 0) {
		ml_report_fail(&r);
		return;
	}
	ml_kmemleak_warnings(&d);
	if (o.json) {
		ml_json_state(&r.j, &d);
		mj_str(&r.j, "group_by", o.by_stack ? "stack" : "caller");
		mj_arr(&r.j, "groups");
	} else {
		ml_text_state(&d);
		fprintf(fp, "\n%s: %s, by %s\n", o.all ? "NOT REFERENCED" : "REPORTED",
			o.all ? "reported, unreported and new objects"
			      : "what /sys/kernel/debug/kmemleak lists",
			o.by_stack ? "stack" : "callsite");
	}
	for (i = 0; i < d.ngroups; i++) {
		const struct ml_orph_group *g = d.groups[i];

		if ((long)g->count < o.min_count)
			continue;
		if (o.top && (long)shown >= o.top)
			break;
		shown++;
		objs += g->count;
		if (o.json)
			ml_json_group(&r.j, &d, g);
		else
			ml_text_group(&d, g, &o);
	}
	if (o.json) {
		mj_arr_end(&r.j);
		mj_uint(&r.j, "shown_groups", shown);
		mj_uint(&r.j, "groups_total", d.ngroups);
		mj_uint(&r.j, "shown_objects", objs);
		if (o.objects) {
			mj_arr(&r.j, "list");
			for (i = 0; i < d.n; i++)
				ml_json_object(&r.j, &d.v[i]);
			mj_arr_end(&r.j);
		}
	} else {
		fprintf(fp, "%s%zu of %zu groups, %lu of %zu objects shown\n", shown ? "\n" : "",
			shown, d.ngroups, objs, d.n);
		if (o.objects) {
			fputc('\n', fp);
			for (i = 0; i < d.n; i++)
				ml_text_object(&d.v[i]);
		}
	}
	ml_report_end(&r);
}

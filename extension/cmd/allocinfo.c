/*
 * allocinfo.c: "memleak allocinfo" -- /proc/allocinfo rebuilt from the dump
 * (collect/allocinfo.c): bytes and calls live per allocation call site,
 * sorted, filtered, in the file's own line format. Options, the text
 * report and --json.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>

struct ml_allocinfo_opts {
	bool json, all;
	long top, min_bytes;
	enum ml_ai_sort sort;
	const char *module;
};

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_allocinfo_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, 'n' },
		{ "module", required_argument, NULL, 'm' },
		{ "min", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	ml_opt_begin("allocinfo", argc, argv);
	while ((c = getopt_long(argc, argv, "jas:n:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'a': o->all = true; break;
		case 'm': o->module = optarg; break;
		case 's':
			if (strcmp(optarg, "bytes") == 0 || strcmp(optarg, "size") == 0) {
				o->sort = ML_AI_BYTES;
			} else if (strcmp(optarg, "calls") == 0) {
				o->sort = ML_AI_CALLS;
			} else {
				ml_usage_error("allocinfo", "unknown sort key '%s' (bytes, calls)",
					       optarg);
				return -1;
			}
			break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return -1;
			break;
		case 'M':
			if (!ml_opt_num("--min", optarg, 0, LONG_MAX, &o->min_bytes))
				return -1;
			break;
		case 'h': ml_print_sub_help("allocinfo"); return 1;
		default:
			ml_opt_error("allocinfo", argc, argv, longopts);
			return -1;
		}
	}
	return ml_opt_end("allocinfo", argc, argv) ? 0 : -1;
}

/* a line of /proc/allocinfo after its two numbers (alloc_tag_to_text()) */
static void ml_tag_text(FILE *out, const struct ml_atag *t)
{
	fprintf(out, "%s:%u", t->filename, t->lineno);
	if (t->modname)
		fprintf(out, " [%s]", t->modname);
	fprintf(out, " func:%s", t->function);
	if (t->inaccurate)
		fputs(" accurate:no", out);
}

static void ml_json_tag(struct ml_json *j, const struct ml_atag *t)
{
	mj_obj(j, NULL);
	mj_uint(j, "bytes", t->bytes);
	mj_uint(j, "calls", t->calls);
	mj_str(j, "file", t->filename);
	mj_uint(j, "line", t->lineno);
	if (t->modname)
		mj_str(j, "module", t->modname);
	else
		mj_null(j, "module");
	mj_str(j, "function", t->function);
	mj_bool(j, "accurate", !t->inaccurate);
	mj_bool(j, "complete", !t->unreadable);
	mj_obj_end(j);
}

static bool ml_shown(const struct ml_atag *t, const struct ml_allocinfo_opts *o)
{
	if (!o->all && !t->bytes && !t->calls)
		return false;
	return (long long)t->bytes >= o->min_bytes;
}

static void ml_allocinfo_warnings(const struct ml_ai_data *d)
{
	if (!d->supported)
		ml_warn("allocation profiling was turned off at boot (sysctl.vm.mem_profiling=never): "
			"every counter is 0; boot with sysctl.vm.mem_profiling=1");
	else if (!d->enabled)
		ml_warn("allocation profiling is off (vm.mem_profiling 0): the counters stopped when "
			"it was turned off; boot with sysctl.vm.mem_profiling=1, or set it early");
	if (d->walk != ML_WALK_OK)
		ml_warn("the code tag modules (alloc_tag_cttype's IDR) could not be walked (%s): "
			"tags from %s", ml_walk_status_str(d->walk), d->source ? d->source : "nowhere");
	if (d->unreadable_tags)
		ml_warn("%lu allocation tags are not in the dump: left out", d->unreadable_tags);
	if (d->unreadable_counters)
		ml_warn("%lu tags lack some cpu's counters in the dump: their sums are low",
			d->unreadable_counters);
}

void ml_cmd_allocinfo(int argc, char **argv)
{
	struct ml_allocinfo_opts o;
	struct ml_ai_opts co;
	struct ml_ai_data d;
	struct ml_report r;
	size_t i, shown = 0, eligible = 0;
	char b1[32];
	int rc;

	memset(&o, 0, sizeof(o));
	if (ml_parse_opts(argc, argv, &o))
		return;
	memset(&co, 0, sizeof(co));
	co.sort = o.sort;
	co.module = o.module;
	rc = ml_allocinfo_collect(&d, &co);
	ml_report_begin(&r, "allocinfo", o.json);
	if (rc < 0) {
		ml_report_fail(&r);
		return;
	}
	ml_allocinfo_warnings(&d);
	for (i = 0; i < d.n; i++)
		eligible += ml_shown(&d.v[i], &o);
	if (o.json) {
		mj_bool(&r.j, "enabled", d.enabled);
		mj_bool(&r.j, "supported", d.supported);
		mj_str(&r.j, "source", d.source ? d.source : "");
		mj_str(&r.j, "sort", o.sort == ML_AI_CALLS ? "calls" : "bytes");
		mj_uint(&r.j, "tags_total", d.tags);
		mj_uint(&r.j, "ranges", d.modules);
		mj_uint(&r.j, "bytes_total", d.bytes);
		mj_uint(&r.j, "calls_total", d.calls);
		mj_uint(&r.j, "kept_tags", d.n);
		mj_uint(&r.j, "kept_bytes", d.kept_bytes);
		mj_uint(&r.j, "kept_calls", d.kept_calls);
		mj_arr(&r.j, "tags");
	} else {
		fprintf(fp, "allocation profiling %s: %lu tags in %lu ranges (vmlinux and each module), "
			"%s in %llu live allocations\n", d.enabled ? "enabled" : "disabled", d.tags,
			d.modules, ml_human_bytes(d.bytes, b1, sizeof(b1)), d.calls);
		if (o.module)
			fprintf(fp, "module %s: %zu tags, %s in %llu allocations\n", o.module, d.n,
				ml_human_bytes(d.kept_bytes, b1, sizeof(b1)), d.kept_calls);
		fprintf(fp, "\n%12s %8s %s\n", "bytes", "calls", "tag");
	}
	for (i = 0; i < d.n; i++) {
		const struct ml_atag *t = &d.v[i];

		if (!ml_shown(t, &o))
			continue;
		if (o.top && (long)shown >= o.top)
			break;
		shown++;
		if (o.json) {
			ml_json_tag(&r.j, t);
			continue;
		}
		fprintf(fp, "%12llu %8llu ", t->bytes, t->calls);
		ml_tag_text(fp, t);
		fputc('\n', fp);
	}
	if (o.json) {
		mj_arr_end(&r.j);
		mj_uint(&r.j, "shown_tags", shown);
	} else {
		fprintf(fp, "\n%zu of %zu tags shown (%s)\n", shown, eligible,
			o.all ? "every tag" : o.min_bytes ? "at least --min bytes" : "with live allocations");
	}
	ml_report_end(&r);
}

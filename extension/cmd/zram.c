/*
 * zram.c: "memleak zram" -- each zram device (collect/zram.c) with its
 * mm_stat figures and its zsmalloc pool, or --mm-stat in the sysfs file's
 * own format. Options, the text report and --json.
 */
#include "cmd/cmd.h"

#include <getopt.h>

struct ml_zram_opts {
	bool json, mm_stat;
};

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_zram_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "mm-stat", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	ml_opt_begin("zram", argc, argv);
	while ((c = getopt_long(argc, argv, "jmh", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'm': o->mm_stat = true; break;
		case 'h': ml_print_sub_help("zram"); return 1;
		default:
			ml_opt_error("zram", argc, argv, longopts);
			return -1;
		}
	}
	return ml_opt_end("zram", argc, argv) ? 0 : -1;
}

/* mm_stat_show(): "%8llu" each, one space between; "-" where the kernel
 * has no such figure */
static void ml_mm_stat(const struct ml_zram_data *d)
{
	size_t i;
	int k;

	for (i = 0; i < d->n; i++) {
		const struct ml_zram_dev *z = &d->v[i];

		fprintf(fp, "zram%lu:", z->index);
		for (k = 0; k < ML_ZS_NR; k++) {
			if (z->known[k])
				fprintf(fp, " %8llu", z->stat[k]);
			else
				fprintf(fp, " %8s", "-");
		}
		fputc('\n', fp);
	}
}

static void ml_text(const struct ml_zram_data *d)
{
	char b1[32], b2[32], b3[32];
	size_t i;
	int k;

	fprintf(fp, "%zu zram device%s; zsmalloc pools: %lu pages (%s)\n", d->n,
		d->n == 1 ? "" : "s", d->pool_pages,
		ml_human_bytes((unsigned long long)d->pool_pages * PAGESIZE(), b1, sizeof(b1)));
	for (i = 0; i < d->n; i++) {
		const struct ml_zram_dev *z = &d->v[i];
		unsigned long long orig = z->stat[ML_ZS_ORIG_DATA_SIZE];
		unsigned long long used = z->stat[ML_ZS_MEM_USED_TOTAL];

		fprintf(fp, "\nzram%lu: disksize %s, compressor %s%s\n", z->index,
			ml_human_bytes(z->disksize, b1, sizeof(b1)), z->comp[0] ? z->comp : "?",
			z->pool ? "" : ", not initialized (no disksize: no pool)");
		if (z->pool)
			fprintf(fp, "  stores %s in %s of pool (%lu pages)%s%.2f\n",
				ml_human_bytes(orig, b2, sizeof(b2)), ml_human_bytes(used, b3, sizeof(b3)),
				z->pool_pages, used ? ", ratio " : "",
				used ? (double)orig / (double)used : 0.0);
		for (k = 0; k < ML_ZS_NR; k++)
			if (z->known[k])
				fprintf(fp, "  %-18s %12llu%s\n", ml_zram_stat_names[k], z->stat[k],
					k <= ML_ZS_MEM_USED_MAX ? " bytes" : " pages");
	}
}

static void ml_json(struct ml_json *j, const struct ml_zram_data *d)
{
	size_t i;
	int k;

	mj_int(j, "page_size", ml_feat.page_size);
	mj_uint(j, "pool_pages", d->pool_pages);
	mj_arr(j, "devices");
	for (i = 0; i < d->n; i++) {
		const struct ml_zram_dev *z = &d->v[i];
		char name[32];

		snprintf(name, sizeof(name), "zram%lu", z->index);
		mj_obj(j, NULL);
		mj_str(j, "device", name);
		mj_uint(j, "disksize", z->disksize);
		mj_str(j, "compressor", z->comp);
		mj_bool(j, "initialized", z->pool != 0);
		mj_str(j, "pool", z->pool_name);
		mj_uint(j, "pool_pages", z->pool_pages);
		mj_obj(j, "mm_stat");
		for (k = 0; k < ML_ZS_NR; k++) {
			if (z->known[k])
				mj_uint(j, ml_zram_stat_names[k], z->stat[k]);
			else
				mj_null(j, ml_zram_stat_names[k]);
		}
		mj_obj_end(j);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

void ml_cmd_zram(int argc, char **argv)
{
	struct ml_zram_opts o;
	struct ml_zram_data d;
	struct ml_report r;

	memset(&o, 0, sizeof(o));
	if (ml_parse_opts(argc, argv, &o))
		return;
	ml_report_begin(&r, "zram", o.json);
	if (ml_zram_collect(&d) < 0 || ml_interrupted()) {
		ml_report_fail(&r);
		return;
	}
	if (o.json)
		ml_json(&r.j, &d);
	else if (o.mm_stat)
		ml_mm_stat(&d);
	else
		ml_text(&d);
	ml_report_end(&r);
}

/*
 * dmabuf.c: "memleak dmabuf" -- every dma-buf (collect/dmabuf.c) with the
 * processes whose descriptors hold it, totals per exporter and per
 * process, and the buffers no process holds; --bufinfo prints debugfs
 * dma_buf/bufinfo's own format. Options, the text report and --json.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>

struct ml_dmabuf_opts {
	bool json, bufinfo, unheld;
	long top, pid;
	const char *exporter;
};

/* 0 to go on, 1 after -h, -1 after a usage error */
static int ml_parse_opts(int argc, char **argv, struct ml_dmabuf_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "bufinfo", no_argument, NULL, 'b' },
		{ "unheld", no_argument, NULL, 'u' },
		{ "exporter", required_argument, NULL, 'e' },
		{ "pid", required_argument, NULL, 'p' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->pid = -1;
	ml_opt_begin("dmabuf", argc, argv);
	while ((c = getopt_long(argc, argv, "jbue:p:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'b': o->bufinfo = true; break;
		case 'u': o->unheld = true; break;
		case 'e': o->exporter = optarg; break;
		case 'p':
			if (!ml_opt_num("-p", optarg, 0, LONG_MAX, &o->pid))
				return -1;
			break;
		case 'n':
			if (!ml_opt_num("--top", optarg, 0, LONG_MAX, &o->top))
				return -1;
			break;
		case 'h': ml_print_sub_help("dmabuf"); return 1;
		default:
			ml_opt_error("dmabuf", argc, argv, longopts);
			return -1;
		}
	}
	return ml_opt_end("dmabuf", argc, argv) ? 0 : -1;
}

static bool ml_shown(const struct ml_dbuf *b, const struct ml_dmabuf_opts *o)
{
	size_t i;

	if (o->exporter && strcmp(b->exp_name, o->exporter) != 0)
		return false;
	if (o->unheld && b->nholders)
		return false;
	if (o->pid < 0)
		return true;
	for (i = 0; i < b->nholders; i++)
		if ((long)b->holders[i].pid == o->pid)
			return true;
	return false;
}

/* drivers/dma-buf/dma-buf.c dma_buf_debug_show(), without the fences */
static void ml_bufinfo(const struct ml_dbuf_data *d, const struct ml_dmabuf_opts *o)
{
	unsigned long long bytes = 0;
	size_t i, j, n = 0;

	fprintf(fp, "\nDma-buf Objects:\n%-8s\t%-8s\t%-8s\t%-8s\texp_name\t%-8s\tname\n",
		"size", "flags", "mode", "count", "ino");
	for (i = 0; i < d->n; i++) {
		const struct ml_dbuf *b = &d->v[i];

		if (!ml_shown(b, o))
			continue;
		fprintf(fp, "%08llu\t%08x\t%08x\t%08ld\t%s\t%08lu\t%s\n", b->size, b->flags,
			b->mode, b->refs, b->exp_name, b->ino, *b->name ? b->name : "<none>");
		fputs("\tAttached Devices:\n", fp);
		for (j = 0; j < b->ndevices; j++)
			fprintf(fp, "\t%s\n", b->devices[j]);
		fprintf(fp, "Total %zu devices attached\n\n", b->ndevices);
		n++;
		bytes += b->size;
	}
	fprintf(fp, "\nTotal %zu objects, %llu bytes\n", n, bytes);
}

static void ml_holders_text(const struct ml_dbuf *b)
{
	size_t i;

	if (!b->nholders)
		fputs("-", fp);
	for (i = 0; i < b->nholders; i++)
		fprintf(fp, "%s%s(%lu):fd%u", i ? "," : "", b->holders[i].comm, b->holders[i].pid,
			b->holders[i].fd);
}

static void ml_text(const struct ml_dbuf_data *d, const struct ml_dmabuf_opts *o)
{
	char b1[32], b2[32], att[128];
	size_t i, j, len, shown = 0;

	fprintf(fp, "%zu dma-bufs, %s; held by no process's descriptor: %lu, %s\n", d->n,
		ml_human_bytes(d->bytes, b1, sizeof(b1)), d->unheld,
		ml_human_bytes(d->unheld_bytes, b2, sizeof(b2)));
	fprintf(fp, "(list %s; %lu fd tables, %lu descriptors read)\n\n", d->list, d->tasks, d->fds);
	fprintf(fp, "%10s %5s %8s %-16s %-20s %-12s %s\n", "size", "count", "ino", "exp_name",
		"name", "attached", "holders");
	for (i = 0; i < d->n; i++) {
		const struct ml_dbuf *b = &d->v[d->by_size[i]];

		if (!ml_shown(b, o))
			continue;
		if (o->top && (long)shown >= o->top)
			break;
		shown++;
		fprintf(fp, "%10llu %5ld %8lu %-16s %-20s ", b->size, b->refs, b->ino,
			*b->exp_name ? b->exp_name : "?", *b->name ? b->name : "<none>");
		for (j = 0, len = 0; j < b->ndevices && len < sizeof(att) - 1; j++)
			len += snprintf(att + len, sizeof(att) - len, "%s%s", j ? "," : "",
					b->devices[j]);
		fprintf(fp, "%-12s ", b->ndevices ? att : "-");
		ml_holders_text(b);
		fputc('\n', fp);
	}
	fprintf(fp, "\nper exporter:\n%12s %8s  %s\n", "bytes", "buffers", "exporter");
	for (i = 0; i < d->nexporters; i++)
		fprintf(fp, "%12llu %8lu  %s\n", d->exporters[i].bytes, d->exporters[i].buffers,
			d->exporters[i].key);
	fprintf(fp, "\nper holding process:\n%12s %8s  %s\n", "bytes", "buffers", "process");
	for (i = 0; i < d->nprocs; i++)
		fprintf(fp, "%12llu %8lu  %s(%lu)\n", d->procs[i].bytes, d->procs[i].buffers,
			d->procs[i].key, d->procs[i].pid);
	fprintf(fp, "%12llu %8lu  (held by no process)\n", d->unheld_bytes, d->unheld);
}

static void ml_json_buf(struct ml_json *j, const struct ml_dbuf *b)
{
	char a[32];
	size_t i;

	snprintf(a, sizeof(a), "0x%lx", b->addr);
	mj_obj(j, NULL);
	mj_str(j, "address", a);
	mj_uint(j, "size", b->size);
	mj_uint(j, "flags", b->flags);
	mj_uint(j, "mode", b->mode);
	mj_int(j, "count", b->refs);
	mj_uint(j, "ino", b->ino);
	mj_str(j, "exp_name", b->exp_name);
	if (*b->name)
		mj_str(j, "name", b->name);
	else
		mj_null(j, "name");
	mj_arr(j, "attached");
	for (i = 0; i < b->ndevices; i++)
		mj_str(j, NULL, b->devices[i]);
	mj_arr_end(j);
	mj_arr(j, "holders");
	for (i = 0; i < b->nholders; i++) {
		mj_obj(j, NULL);
		mj_uint(j, "pid", b->holders[i].pid);
		mj_str(j, "comm", b->holders[i].comm);
		mj_uint(j, "fd", b->holders[i].fd);
		mj_obj_end(j);
	}
	mj_arr_end(j);
	mj_obj_end(j);
}

static void ml_json_totals(struct ml_json *j, const char *key, const struct ml_dbuf_total *v,
			   size_t n, bool procs)
{
	size_t i;

	mj_arr(j, key);
	for (i = 0; i < n; i++) {
		mj_obj(j, NULL);
		if (procs) {
			mj_uint(j, "pid", v[i].pid);
			mj_str(j, "comm", v[i].key);
		} else {
			mj_str(j, "exp_name", v[i].key);
		}
		mj_uint(j, "buffers", v[i].buffers);
		mj_uint(j, "bytes", v[i].bytes);
		mj_obj_end(j);
	}
	mj_arr_end(j);
}

static void ml_json(struct ml_json *j, const struct ml_dbuf_data *d,
		    const struct ml_dmabuf_opts *o)
{
	size_t i, shown = 0;

	mj_str(j, "list", d->list);
	mj_uint(j, "buffers", d->n);
	mj_uint(j, "bytes", d->bytes);
	mj_uint(j, "unheld_buffers", d->unheld);
	mj_uint(j, "unheld_bytes", d->unheld_bytes);
	mj_uint(j, "fd_tables", d->tasks);
	mj_uint(j, "descriptors", d->fds);
	mj_arr(j, "dmabufs");
	for (i = 0; i < d->n; i++) {
		const struct ml_dbuf *b = &d->v[d->by_size[i]];

		if (!ml_shown(b, o))
			continue;
		if (o->top && (long)shown >= o->top)
			break;
		shown++;
		ml_json_buf(j, b);
	}
	mj_arr_end(j);
	ml_json_totals(j, "exporters", d->exporters, d->nexporters, false);
	ml_json_totals(j, "processes", d->procs, d->nprocs, true);
}

void ml_cmd_dmabuf(int argc, char **argv)
{
	struct ml_dmabuf_opts o;
	struct ml_dbuf_data d;
	struct ml_report r;

	memset(&o, 0, sizeof(o));
	if (ml_parse_opts(argc, argv, &o))
		return;
	ml_report_begin(&r, "dmabuf", o.json);
	if (ml_dmabuf_collect(&d, true) < 0 || ml_interrupted()) {
		ml_report_fail(&r);
		return;
	}
	if (o.json)
		ml_json(&r.j, &d, &o);
	else if (o.bufinfo)
		ml_bufinfo(&d, &o);
	else
		ml_text(&d, &o);
	ml_report_end(&r);
}

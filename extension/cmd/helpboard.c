/*
 * helpboard.c: the help of the commands for where an Android board's
 * pages go outside the counters (dmabuf, cma, zram); help.c lists them.
 */
#include "cmd/cmd.h"

static const char *const ml_dmabuf_help0[] = {
	"Every dma-buf on the kernel's list, as debugfs dma_buf/bufinfo shows",
	"it (size, file references, exporter, inode, name, attached devices),",
	"with the processes whose descriptors hold it; totals per exporter and",
	"per holding process, and the buffers no process holds -- nothing but",
	"the kernel's list and its own references keeps those (a buffer mapped",
	"with mmap() after its descriptor was closed shows no holder either).",
	"  -e EXPORTER     only buffers of this exporter (exp_name)",
	"  -p PID          only buffers process PID holds",
	"  --unheld        only buffers no process holds",
	"  --top N         the N largest buffers (the table is sorted by size)",
	"  --bufinfo       debugfs dma_buf/bufinfo's own format (without fences)",
	NULL
};
const char *const ml_dmabuf_examples[] = {
	"  crash> memleak dmabuf --top 3",
	"  24 dma-bufs, 960.0 KiB; held by no process's descriptor: 16, 640.0 KiB",
	"  (list db_list; 4 fd tables, 18 descriptors read)",
	"",
	"        size count      ino exp_name         name                 attached     holders",
	"       65536     1        4 memleak_sample   mlsample-buf-3       -            sleep(95):fd7",
	"       65536     1        8 memleak_sample   mlsample-buf-7       -            sleep(95):fd11",
	"       65536     1       12 memleak_sample   mlsample-buf-11      -            -",
	"",
	"  per exporter:",
	"         bytes  buffers  exporter",
	"        983040       24  memleak_sample",
	"",
	"  per holding process:",
	"         bytes  buffers  process",
	"        327680        8  sleep(95)",
	"        655360       16  (held by no process)",
	NULL
};
const struct ml_form ml_dmabuf_forms[] = {
	ML_FORM("dmabuf [-e EXPORTER] [-p PID] [--unheld] [--top N] [--bufinfo] [--json]", ml_dmabuf_help0),
	{ NULL, NULL }
};

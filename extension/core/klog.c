/*
 * klog.c: the kernel log, read once per command. crash's own dump_log()
 * already reads every printk buffer layout (log_buf records, the lockless
 * ringbuffer of 5.10+): run it into crash's tmpfile once and keep the text
 * in the command arena, rather than decode the ringbuffer a second time
 * here or run it once per reader (zones' OOM event, summary's show_mem
 * lines and boot time).
 */
#include "core/core.h"

static char *ml_klog_buf;
static size_t ml_klog_len;
static bool ml_klog_read;

void ml_klog_reset(void)
{
	/* the buffer is the arena's: gone with it */
	ml_klog_buf = NULL;
	ml_klog_len = 0;
	ml_klog_read = false;
}

const char *ml_klog(size_t *len)
{
	long size;

	if (ml_klog_read) {
		*len = ml_klog_len;
		return ml_klog_buf;
	}
	ml_klog_read = true;
	/* crash allows one tmpfile at a time: inside another's, no log */
	if (pc->tmpfile) {
		ml_warn("the kernel log could not be read here (crash's tmpfile is in use)");
		*len = 0;
		return NULL;
	}
	open_tmpfile();
	dump_log(0);
	fflush(pc->tmpfile);
	size = ftell(pc->tmpfile);
	if (size > 0) {
		ml_klog_buf = ml_alloc(size + 1);
		rewind(pc->tmpfile);
		ml_klog_len = fread(ml_klog_buf, 1, size, pc->tmpfile);
		ml_klog_buf[ml_klog_len] = '\0';
	}
	close_tmpfile();
	*len = ml_klog_len;
	return ml_klog_buf;
}

bool ml_klog_line(const char **pos, char *buf, size_t len)
{
	const char *p = *pos, *e;
	size_t n;

	if (!p || !*p)
		return false;
	e = strchr(p, '\n');
	n = e ? (size_t)(e - p) : strlen(p);
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), p);
	*pos = e ? e + 1 : p + n;
	return true;
}

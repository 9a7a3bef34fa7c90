/*
 * diag.c: what went wrong in the current command, kept for the command
 * layer to report -- one failure reason (why a collector could not build
 * its model) and any number of warnings (what it built is partial, and
 * why). Nothing here prints: text output puts them on lines of their own,
 * --json puts them into the document ("error", "warnings"), so a JSON
 * document stays one document on every path (cmd/report.c).
 *
 * Storage is static, not the command arena: a reason must survive the
 * collector that wrote it, and crash may long-jump out of a command at any
 * point (ml_diag_reset runs with the arena reset, ml_command_reset).
 */
#include "core/core.h"

#define ML_FAIL_LEN 512
#define ML_WARN_MAX 32
#define ML_WARN_LEN 320

static char ml_fail_buf[ML_FAIL_LEN];
static bool ml_failed;
static char ml_warn_buf[ML_WARN_MAX][ML_WARN_LEN];
static const char *ml_warn_ptr[ML_WARN_MAX];
static size_t ml_nwarn;
static unsigned long ml_warn_dropped;

int ml_fail(const char *fmt, ...)
{
	va_list ap;

	/* the first reason is the cause; later ones are its consequences */
	if (ml_failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ml_fail_buf, sizeof(ml_fail_buf), fmt, ap);
	va_end(ap);
	ml_failed = true;
	return -1;
}

const char *ml_failure(void)
{
	return ml_failed ? ml_fail_buf : NULL;
}

void ml_warn(const char *fmt, ...)
{
	char buf[ML_WARN_LEN];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* a warning said once per command, however many objects hit it */
	for (i = 0; i < ml_nwarn; i++)
		if (strcmp(ml_warn_buf[i], buf) == 0)
			return;
	if (ml_nwarn == ML_WARN_MAX) {
		ml_warn_dropped++;
		return;
	}
	memcpy(ml_warn_buf[ml_nwarn], buf, sizeof(buf));
	ml_warn_ptr[ml_nwarn] = ml_warn_buf[ml_nwarn];
	ml_nwarn++;
}

size_t ml_warnings(const char *const **v, unsigned long *dropped)
{
	*v = ml_warn_ptr;
	if (dropped)
		*dropped = ml_warn_dropped;
	return ml_nwarn;
}

void ml_fail_to_warning(void)
{
	if (!ml_failed)
		return;
	ml_warn("%s", ml_fail_buf);
	ml_failed = false;
	ml_fail_buf[0] = 0;
}

void ml_diag_reset(void)
{
	ml_failed = false;
	ml_fail_buf[0] = 0;
	ml_nwarn = 0;
	ml_warn_dropped = 0;
}

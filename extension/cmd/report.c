/*
 * report.c: how a subcommand's output begins and ends. In text mode the
 * collectors' warnings (core/diag.c) follow the output, one line each, and a
 * failure is one line "memleak SUB: why". With --json the output is one
 * JSON document on every path: the command's members, then "warnings": [...]
 * (always present, empty when all went well), and on failure "error": why.
 */
#include "cmd/cmd.h"

void ml_report_begin(struct ml_report *r, const char *sub, bool json)
{
	memset(r, 0, sizeof(*r));
	r->sub = sub;
	r->json = json;
	if (json) {
		mj_init(&r->j, fp, true);
		mj_obj(&r->j, NULL);
	}
}

static void ml_report_warnings(struct ml_report *r)
{
	const char *const *w;
	unsigned long dropped;
	size_t n = ml_warnings(&w, &dropped), i;

	if (r->json) {
		mj_arr(&r->j, "warnings");
		for (i = 0; i < n; i++)
			mj_str(&r->j, NULL, w[i]);
		if (dropped) {
			char b[64];

			snprintf(b, sizeof(b), "%lu more warnings not shown", dropped);
			mj_str(&r->j, NULL, b);
		}
		mj_arr_end(&r->j);
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(fp, "memleak %s: %s\n", r->sub, w[i]);
	if (dropped)
		fprintf(fp, "memleak %s: %lu more warnings not shown\n", r->sub, dropped);
}

void ml_report_end(struct ml_report *r)
{
	if (r->done)
		return;
	r->done = true;
	ml_report_warnings(r);
	if (r->json) {
		mj_obj_end(&r->j);
		mj_end(&r->j);
	}
	ml_diag_reset();
}

void ml_report_fail(struct ml_report *r)
{
	const char *why = ml_failure();

	if (!why)
		why = ml_interrupted() ? "interrupted" : "failed";
	if (r->json)
		mj_str(&r->j, "error", why);
	else
		fprintf(fp, "memleak %s: %s\n", r->sub, why);
	ml_report_end(r);
}

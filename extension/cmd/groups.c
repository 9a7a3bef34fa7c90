/*
 * groups.c: how the subcommands that group objects by callsite (orphans,
 * kmemleak) print one group: the members of its JSON object they share,
 * and the tail of its text line.
 */
#include "cmd/cmd.h"

void ml_group_json(struct ml_json *j, const struct ml_orph_group *g, const char *caller)
{
	const struct ml_sym *sym = ml_sym_lookup(g->key.caller);
	int i;

	mj_str(j, "caller", caller);
	mj_uint(j, "caller_addr", g->key.caller);
	if (g->key.caller && sym->name)
		mj_str(j, "function", sym->name);
	else
		mj_null(j, "function");
	if (g->key.caller && sym->module)
		mj_str(j, "module", sym->module);
	else
		mj_null(j, "module");
	mj_uint(j, "count", g->count);
	mj_uint(j, "bytes", g->bytes);
	if (g->aged) {
		mj_double(j, "age_min", g->age_min, 3);
		mj_double(j, "age_max", g->age_max, 3);
	} else {
		mj_null(j, "age_min");
		mj_null(j, "age_max");
	}
	mj_arr(j, "examples");
	for (i = 0; i < g->nr_examples; i++) {
		char b[32];

		snprintf(b, sizeof(b), "%llx", (unsigned long long)g->example[i]);
		mj_str(j, NULL, b);
	}
	mj_arr_end(j);
	mj_bool(j, "several_stacks", g->handles_differ);
}

void ml_group_text_tail(const struct ml_orph_group *g)
{
	char b[32];
	int i;

	fprintf(fp, " bytes=%llu (%s)", g->bytes, ml_human_bytes(g->bytes, b, sizeof(b)));
	if (g->aged && g->age_min == g->age_max)
		fprintf(fp, " age=%.2fs", g->age_min);
	else if (g->aged)
		fprintf(fp, " age=%.2f-%.2fs", g->age_min, g->age_max);
	fputs(" e.g.", fp);
	for (i = 0; i < g->nr_examples; i++)
		fprintf(fp, " %llx", (unsigned long long)g->example[i]);
	fputc('\n', fp);
}

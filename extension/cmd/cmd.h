/*
 * cmd.h: the subcommands -- option parsing, text and JSON output. The only
 * layer that writes to fp.
 */
#ifndef ML_CMD_H
#define ML_CMD_H

#include "collect/collect.h"

/* ---- subcommands and their one help source (help.c) ------------------ */

/* common options every subcommand accepts */
struct ml_opts {
	bool json;
	bool verbose;
};

typedef void (*ml_subcmd_fn)(int argc, char **argv);

/* one way to call a subcommand: its synopsis (after "memleak ") and the
 * description and option lines "help memleak" prints under it */
struct ml_form {
	const char *synopsis;
	const char *const *help;
};
#define ML_FORM(synopsis, help) { synopsis, help }

struct ml_subcmd {
	const char *name;
	ml_subcmd_fn fn;
	const char *summary;		/* one line, for "memleak help" */
	const struct ml_form *forms;	/* ended by { NULL, NULL } */
	const char *const *examples;	/* EXAMPLE lines, NULL-ended */
};
extern const struct ml_subcmd ml_subcmds[];	/* ended by name NULL */
extern const char *const ml_help_intro[], *const ml_help_outro[];
const struct ml_subcmd *ml_find_subcmd(const char *name);
/* each form as "PREFIXmemleak SYNOPSIS" on a line of its own */
void ml_print_synopsis(const struct ml_subcmd *s, const char *prefix);
/* "memleak SUB -h": the synopses and the help lines */
void ml_print_sub_help(const char *name);

void ml_cmd_probe(int argc, char **argv);
void ml_cmd_slabtop(int argc, char **argv);
void ml_cmd_pageowner(int argc, char **argv);
void ml_cmd_vmstat(int argc, char **argv);
void ml_cmd_meminfo(int argc, char **argv);
void ml_cmd_zones(int argc, char **argv);
void ml_cmd_summary(int argc, char **argv);
void ml_cmd_orphans(int argc, char **argv);
void ml_cmd_kmemleak(int argc, char **argv);
void ml_cmd_allocinfo(int argc, char **argv);
void ml_cmd_dmabuf(int argc, char **argv);
/* the help of dmabuf, vmalloc, ps, cma and zram (helpboard.c) */
extern const struct ml_form ml_dmabuf_forms[];
extern const char *const ml_dmabuf_examples[];
void ml_cmd_vmalloc(int argc, char **argv);
extern const struct ml_form ml_vmalloc_forms[];
extern const char *const ml_vmalloc_examples[];
void ml_cmd_ps(int argc, char **argv);
extern const struct ml_form ml_ps_forms[];
extern const char *const ml_ps_examples[];
void ml_cmd_cma(int argc, char **argv);
extern const struct ml_form ml_cma_forms[];
extern const char *const ml_cma_examples[];
void ml_cmd_zram(int argc, char **argv);
extern const struct ml_form ml_zram_forms[];
extern const char *const ml_zram_examples[];
/* a page_owner stack, one frame per line; and the group's "stack" members
 * of its open JSON object (cull by stack; else "stacks_differ") --
 * pageowner.c, for cma */
void ml_po_print_stack(struct ml_po_data *d, uint32_t handle);
void ml_po_json_stack(struct ml_json *j, struct ml_po_data *d, enum ml_po_cull cull,
		      const struct ml_po_group *g);
void ml_cmd_save(int argc, char **argv);
void ml_cmd_diff(int argc, char **argv);
void ml_cmd_help(int argc, char **argv);

/* ---- options (opts.c) ------------------------------------------------- */

/* print "memleak SUB: msg" and the subcommand's usage; with --json on the
 * command line, {"error": msg, "usage": ...} instead */
void ml_usage_error(const char *sub, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* a subcommand's options, crash-style (getopt_long on args/argcnt, errors
 * printed here, not by getopt): ml_opt_begin() before the loop; for
 * getopt's '?', ml_opt_error() says which option and why (unknown, or its
 * value missing); after the loop, ml_opt_end() is false (after saying so)
 * if a stray argument is left */
struct option;
void ml_opt_begin(const char *sub, int argc, char **argv);
void ml_opt_error(const char *sub, int argc, char **argv, const struct option *longopts);
bool ml_opt_end(const char *sub, int argc, char **argv);
/* the one numeric option parser: arg as a number in [min, max] (decimal,
 * or 0x hex); false after a usage error that names opt and the range */
bool ml_opt_num(const char *opt, const char *arg, long min, long max, long *val);

/* ---- one group of objects by callsite (groups.c: orphans, kmemleak) --- */

/* caller, caller_addr, function, module, count, bytes, age_min/max,
 * examples, several_stacks: members of the group's open JSON object */
void ml_group_json(struct ml_json *j, const struct ml_orph_group *g, const char *caller);
/* " bytes=N (human) age=A-Bs e.g. ADDR...\n": the end of its text line */
void ml_group_text_tail(const struct ml_orph_group *g);

/* ---- how output begins and ends (report.c) ---------------------------- */

/* text: warnings after the output, a failure as one line; --json: one
 * document with "warnings": [...] and, on failure, "error" */
struct ml_report {
	const char *sub;
	bool json;
	bool done;
	struct ml_json j;	/* the document's writer (json) */
};
/* json: opens the document's top-level object */
void ml_report_begin(struct ml_report *r, const char *sub, bool json);
/* the warnings, and closes the document */
void ml_report_end(struct ml_report *r);
/* the failure reason (ml_failure(), or "interrupted"), then ml_report_end */
void ml_report_fail(struct ml_report *r);

/* ---- zones (zones.c) -------------------------------------------------- */

/* one zone's object, as "memleak zones --json" prints it in "zones": [...]
 * (an array element: key NULL); c: the zones model it belongs to */
void ml_zone_json(struct ml_json *j, const struct ml_zones_ctx *c, const struct ml_zone *z);

/* ---- save/diff: snapshots (save.c writes them, diff.c reads them) ----- */

/* doc/snapshot.md; 2: "zones" holds zone objects as `zones --json` (1:
 * rows per zone and order, still read by diff) */
#define ML_SNAPSHOT_VERSION 2
/* s as a snapshot: one JSON document (also diff's "this dump") */
void ml_snapshot_write(const struct ml_seen *s, FILE *out);

#endif /* ML_CMD_H */

/*
 * cmd.h: the subcommands -- option parsing, text and JSON output. The only
 * layer that writes to fp.
 */
#ifndef ML_CMD_H
#define ML_CMD_H

#include "collect/collect.h"

/* ---- subcommands ------------------------------------------------------ */

/* common options every subcommand accepts */
struct ml_opts {
	bool json;
	bool verbose;
};

typedef void (*ml_subcmd_fn)(int argc, char **argv);

void ml_cmd_probe(int argc, char **argv);
void ml_cmd_slabtop(int argc, char **argv);
void ml_cmd_pageowner(int argc, char **argv);
void ml_cmd_vmstat(int argc, char **argv);
void ml_cmd_meminfo(int argc, char **argv);
void ml_cmd_zones(int argc, char **argv);
void ml_cmd_summary(int argc, char **argv);
void ml_cmd_save(int argc, char **argv);
void ml_cmd_diff(int argc, char **argv);

/* print "memleak SUB: msg" and the subcommand's usage */
void ml_usage_error(const char *sub, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* a subcommand's options, crash-style (getopt_long on args/argcnt, errors
 * printed here, not by getopt): ml_opt_begin() before the loop; for
 * getopt's '?', ml_opt_error() says which option and why (unknown, or its
 * value missing); after the loop, ml_opt_end() is false (after saying so)
 * if a stray argument is left */
struct option;
void ml_opt_begin(void);
void ml_opt_error(const char *sub, int argc, char **argv, const struct option *longopts);
bool ml_opt_end(const char *sub, int argc, char **argv);

#endif /* ML_CMD_H */

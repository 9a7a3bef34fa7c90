/*
 * opts.c: one way to read a subcommand's options and one way to say what is
 * wrong with them. crash-style: getopt_long on the subcommand's argv,
 * errors printed here (not by getopt) as "memleak SUB: what" followed by
 * the subcommand's synopsis from its help source (cmd/help.c); with --json
 * anywhere on the line, the same as one JSON document.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <limits.h>

static struct {
	const char *sub;
	bool json;
} ml_opt;

void ml_opt_begin(const char *sub, int argc, char **argv)
{
	int i;

	optind = 0;	/* glibc: 0 also resets getopt's internal state */
	opterr = 0;
	ml_opt.sub = sub;
	/* an error before the option loop reaches --json still owes a JSON
	 * document: look for it first (exact words only: "-c jbd2" is not it) */
	ml_opt.json = false;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			ml_opt.json = true;
}

void ml_usage_error(const char *sub, const char *fmt, ...)
{
	const struct ml_subcmd *s = ml_find_subcmd(sub);
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ml_opt.json && ml_opt.sub && strcmp(ml_opt.sub, sub) == 0) {
		struct ml_report r;

		ml_report_begin(&r, sub, true);
		mj_str(&r.j, "error", msg);
		if (s) {
			char u[512];

			snprintf(u, sizeof(u), "memleak %s", s->forms[0].synopsis);
			mj_str(&r.j, "usage", u);
		}
		ml_report_end(&r);
		return;
	}
	fprintf(fp, "memleak %s: %s\n", sub, msg);
	if (s)
		ml_print_synopsis(s, "Usage: ");
}

void ml_opt_error(const char *sub, int argc, char **argv, const struct option *longopts)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	const struct option *lo;

	/* getopt sets optopt to the option whose value is missing, 0 for a
	 * long option it does not know */
	for (lo = longopts; optopt && lo && lo->name; lo++) {
		if (lo->val == optopt && lo->has_arg == required_argument) {
			ml_usage_error(sub, "option '%s' needs a value", arg);
			return;
		}
	}
	if (optopt > 0 && optopt < 128 && arg[0] == '-' && arg[1] != '-' && strlen(arg) > 2)
		ml_usage_error(sub, "invalid option '-%c' in '%s'", optopt, arg);
	else
		ml_usage_error(sub, "invalid option '%s'", arg);
}

bool ml_opt_end(const char *sub, int argc, char **argv)
{
	if (optind < argc) {
		ml_usage_error(sub, "unexpected argument '%s'", argv[optind]);
		return false;
	}
	return true;
}

bool ml_opt_num(const char *opt, const char *arg, long min, long max, long *val)
{
	char *end;
	long v;

	/* decimal, or hex after 0x: "010" is ten, not octal eight */
	errno = 0;
	v = strtol(arg, &end, strncasecmp(arg, "0x", 2) == 0 ? 16 : 10);
	if (end == arg || *end || errno || v < min || v > max) {
		if (max == LONG_MAX)
			ml_usage_error(ml_opt.sub, "option '%s' takes a number of at least %ld, not '%s'",
				       opt, min, arg);
		else
			ml_usage_error(ml_opt.sub, "option '%s' takes a number from %ld to %ld, not '%s'",
				       opt, min, max, arg);
		return false;
	}
	*val = v;
	return true;
}

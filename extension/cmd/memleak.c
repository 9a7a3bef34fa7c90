/*
 * memleak.c: the crash glue -- command table, help text, subcommand
 * dispatch, load and unload. Kept thin: the work is in the other files.
 *
 *   crash> extend memleak.so
 *   crash> memleak probe
 */
#include "cmd/cmd.h"

#include <getopt.h>

const struct ml_subcmd *ml_find_subcmd(const char *name)
{
	const struct ml_subcmd *s;

	for (s = ml_subcmds; name && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

void ml_print_synopsis(const struct ml_subcmd *s, const char *prefix)
{
	const struct ml_form *f;

	for (f = s->forms; f->synopsis; f++)
		fprintf(fp, "%smemleak %s\n", prefix, f->synopsis);
}

void ml_print_sub_help(const char *name)
{
	const struct ml_subcmd *s = ml_find_subcmd(name);
	const struct ml_form *f;
	const char *const *l;

	if (!s)
		return;
	for (f = s->forms; f->synopsis; f++) {
		fprintf(fp, "memleak %s\n", f->synopsis);
		for (l = f->help; l && *l; l++)
			fprintf(fp, "    %s\n", *l);
	}
}

void ml_cmd_help(int argc, char **argv)
{
	const struct ml_subcmd *s;
	const struct ml_form *f;

	(void)argc;
	(void)argv;
	fprintf(fp, "memleak %s: post-mortem memory leak and fragmentation analysis\n\n",
		ML_VERSION);
	for (s = ml_subcmds; s->name; s++) {
		for (f = s->forms; f->synopsis; f++)
			fprintf(fp, "  memleak %s\n", f->synopsis);
		fprintf(fp, "      %s\n", s->summary);
	}
	fprintf(fp, "\nEvery subcommand takes --json. \"help memleak\" has the details.\n");
}

static void ml_cmd_memleak(void)
{
	const struct ml_subcmd *s;
	const char *why;

	/* a previous command may have been left by longjmp (Ctrl-C, a usage
	 * error, SIGPIPE): release what it allocated before starting */
	ml_command_reset();
	if (argcnt < 2) {
		ml_cmd_help(0, NULL);
		return;
	}
	s = ml_find_subcmd(args[1]);
	if (!s) {
		fprintf(fp, "memleak: unknown subcommand '%s'\n", args[1]);
		ml_cmd_help(0, NULL);
		return;
	}
	s->fn(argcnt - 1, args + 1);
	/* a reason or warning no report consumed (ml_report_end resets
	 * them): say it rather than lose it */
	if ((why = ml_failure()))
		fprintf(fp, "memleak %s: %s\n", s->name, why);
	{
		const char *const *w;
		size_t i, n = ml_warnings(&w, NULL);

		for (i = 0; i < n; i++)
			fprintf(fp, "memleak %s: %s\n", s->name, w[i]);
	}
	fflush(fp);
	ml_command_reset();
}

/*
 * crash's help array for "help memleak", built once at load from the help
 * source (help.c): name, one line, "SUBCOMMAND [options]", the intro, every
 * subcommand's forms and help lines, the outro, then "EXAMPLE" and every
 * subcommand's examples. It lives as long as the extension.
 */
static char **ml_help;

static void ml_help_add(char ***v, size_t *n, size_t *cap, const char *fmt, const char *a)
{
	char buf[BUFSIZE];

	if (*n + 2 > *cap) {
		*cap = *cap ? *cap * 2 : 512;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v)
			return;
	}
	snprintf(buf, sizeof(buf), fmt, a);
	(*v)[(*n)++] = strdup(buf);
	(*v)[*n] = NULL;
}

static char **ml_help_build(void)
{
	static const char *const head[] = { "memleak",
		"post-mortem memory leak and fragmentation analysis", "SUBCOMMAND [options]" };
	const struct ml_subcmd *s;
	const struct ml_form *f;
	const char *const *l;
	char **v = NULL;
	size_t n = 0, cap = 0, i;

	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		ml_help_add(&v, &n, &cap, "%s", head[i]);
	for (l = ml_help_intro; *l; l++)
		ml_help_add(&v, &n, &cap, "%s", *l);
	for (s = ml_subcmds; s->name; s++)
		for (f = s->forms; f->synopsis; f++) {
			ml_help_add(&v, &n, &cap, "    %s", f->synopsis);
			for (l = f->help; l && *l; l++)
				ml_help_add(&v, &n, &cap, (*l)[0] ? "        %s" : "%s", *l);
		}
	for (l = ml_help_outro; *l; l++)
		ml_help_add(&v, &n, &cap, "%s", *l);
	ml_help_add(&v, &n, &cap, "%s", "EXAMPLE");
	for (s = ml_subcmds; s->name; s++)
		for (l = s->examples; l && *l; l++)
			ml_help_add(&v, &n, &cap, "%s", *l);
	return v;
}

static struct command_table_entry ml_command_table[] = {
	{ "memleak", ml_cmd_memleak, NULL, 0 },
	{ NULL, NULL, NULL, 0 }
};

#ifndef ML_CRASH_BUILD_VERSION
#define ML_CRASH_BUILD_VERSION ""
#endif

/* "8.0.2" -> 8; the major number of crash versions changes defs.h's structs */
static int ml_major(const char *v)
{
	return atoi(v);
}

/*
 * defs.h exposes crash's internal structures (pc, vt, kt), so an extension
 * built against another crash major version would read them at the wrong
 * offsets: refuse to register rather than misbehave.
 */
static bool ml_crash_version_ok(void)
{
	const char *built = ML_CRASH_BUILD_VERSION, *running = pc->program_version;

	if (!*built || !running)
		return true;
	if (ml_major(built) != ml_major(running)) {
		fprintf(fp, "memleak: built against crash %s headers, this is crash %s:\n"
			"  rebuild it: make CRASH_INCLUDE=<dir of crash %s's defs.h> CRASH=<that crash>\n",
			built, running, running);
		return false;
	}
	if (strcmp(built, running) != 0)
		fprintf(fp, "memleak: note: built against crash %s headers, running in crash %s\n",
			built, running);
	return true;
}

/*
 * MACHINE_TYPE is defs.h's name of the target this file was compiled for
 * (-DX86_64, -DARM64, ...); machine_type() runs in crash and compares with
 * crash's own. A mismatch means every per-target macro (PAGESIZE, the
 * VTOP/PTOV helpers, machdep's layout) would be wrong: refuse to register.
 */
static bool ml_crash_target_ok(void)
{
	if (machine_type(MACHINE_TYPE))
		return true;
	fprintf(fp, "memleak: built for %s dumps, this crash reads %s dumps:\n"
		"  rebuild it: make CRASH_TARGET=%s CRASH_INCLUDE=<dir of that crash's defs.h>\n",
		MACHINE_TYPE, pc->machine_type ? pc->machine_type : "other",
		pc->machine_type ? pc->machine_type : "<target>");
	return false;
}

static void __attribute__((constructor)) ml_init(void)
{
	if (!ml_crash_version_ok() || !ml_crash_target_ok())
		return;
	/* a second copy of memleak (another path) would shadow the first */
	if (get_command_table_entry("memleak")) {
		fprintf(fp, "memleak: a memleak command is already loaded; "
			"\"extend -u\" it first\n");
		return;
	}
	ml_probe_init();
	ml_help = ml_help_build();
	ml_command_table[0].help_data = ml_help;
	register_extension(ml_command_table);
}

static void __attribute__((destructor)) ml_fini(void)
{
	ml_command_reset();
}

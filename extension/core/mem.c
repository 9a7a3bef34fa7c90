/*
 * mem.c: the command arena, guarded kernel-memory reads and a bounded,
 * cycle-checked list walker.
 *
 * crash leaves a command by longjmp() on Ctrl-C, on SIGPIPE (output piped to
 * "head") and on usage errors, so a subcommand cannot rely on reaching its
 * own cleanup. Everything it allocates comes from one arena that the glue
 * resets before and after each command: nothing leaks into the user's
 * long-running crash session.
 */
#include "core/core.h"

struct ml_block {
	struct ml_block *prev, *next;
	size_t size;
	/* payload follows, aligned */
	max_align_t payload[];
};

static struct ml_block ml_arena = { &ml_arena, &ml_arena, 0 };

struct ml_readstats ml_reads;

static struct ml_block *ml_block_of(void *p)
{
	return (struct ml_block *)((char *)p - offsetof(struct ml_block, payload));
}

static void ml_oom(size_t size)
{
	error(FATAL, "memleak: out of memory allocating %zu bytes\n", size);
}

void *ml_alloc(size_t size)
{
	struct ml_block *b = calloc(1, sizeof(*b) + size);

	if (!b)
		ml_oom(size);
	b->size = size;
	b->next = ml_arena.next;
	b->prev = &ml_arena;
	ml_arena.next->prev = b;
	ml_arena.next = b;
	return b->payload;
}

void ml_free(void *p)
{
	struct ml_block *b;

	if (!p)
		return;
	b = ml_block_of(p);
	b->prev->next = b->next;
	b->next->prev = b->prev;
	free(b);
}

void *ml_realloc(void *p, size_t size)
{
	void *n;
	struct ml_block *b;

	if (!p)
		return ml_alloc(size);
	b = ml_block_of(p);
	n = ml_alloc(size);
	memcpy(n, p, b->size < size ? b->size : size);
	ml_free(p);
	return n;
}

char *ml_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = ml_alloc(n);

	memcpy(d, s, n);
	return d;
}

void ml_arena_reset(void)
{
	while (ml_arena.next != &ml_arena)
		ml_free(ml_arena.next->payload);
}

/* ---- reads ------------------------------------------------------------ */

bool ml_read(ulong addr, void *buf, long size, const char *what)
{
	if (addr && readmem(addr, KVADDR, buf, size, (char *)what,
			    RETURN_ON_ERROR | QUIET)) {
		ml_reads.ok++;
		return true;
	}
	ml_reads.failed++;
	return false;
}

bool ml_read_ulong(ulong addr, ulong *val, const char *what)
{
	return ml_read(addr, val, sizeof(*val), what);
}

bool ml_read_uint(ulong addr, unsigned int *val, const char *what)
{
	return ml_read(addr, val, sizeof(*val), what);
}

bool ml_read_long(ulong addr, long *val, const char *what)
{
	return ml_read(addr, val, sizeof(*val), what);
}

bool ml_read_cstring(ulong addr, char *buf, size_t len, const char *what)
{
	size_t got = 0;

	if (!len)
		return false;
	buf[0] = '\0';
	/* read up to the end of each page so a short string near a page
	 * boundary does not need the next (maybe excluded) page */
	while (got < len - 1) {
		ulong a = addr + got;
		size_t chunk = PAGESIZE() - (a & (PAGESIZE() - 1));
		size_t i;

		if (chunk > len - 1 - got)
			chunk = len - 1 - got;
		if (!ml_read(a, buf + got, chunk, what)) {
			buf[got] = '\0';
			return got > 0;
		}
		for (i = 0; i < chunk; i++)
			if (buf[got + i] == '\0')
				return true;
		got += chunk;
	}
	buf[len - 1] = '\0';
	return true;
}

uint64_t ml_get_uint(const void *buf, long off, long size)
{
	const char *p = (const char *)buf + off;

	switch (size) {
	case 1: return *(const uint8_t *)p;
	case 2: return *(const uint16_t *)p;
	case 4: return *(const uint32_t *)p;
	case 8: return *(const uint64_t *)p;
	}
	return 0;
}

static bool ml_sigint_latched;

bool ml_interrupted(void)
{
	/* received_SIGINT() clears crash's flag: remember it for the caller's
	 * outer loops until the command ends (ml_command_reset) */
	if (!ml_sigint_latched && received_SIGINT())
		ml_sigint_latched = true;
	return ml_sigint_latched;
}

/* ---- list walking ----------------------------------------------------- */

const char *ml_walk_status_str(enum ml_walk_status s)
{
	switch (s) {
	case ML_WALK_OK: return "ok";
	case ML_WALK_UNREADABLE: return "unreadable link";
	case ML_WALK_BAD_LINK: return "corrupt link";
	case ML_WALK_CYCLE: return "cycle";
	case ML_WALK_LIMIT: return "too long";
	case ML_WALK_STOPPED: return "stopped";
	case ML_WALK_INTERRUPTED: return "interrupted";
	}
	return "?";
}

/* a cycle that does not pass through the head: Brent's check (pure/util.c) */
unsigned long ml_list_walk(ulong head, long link_off, unsigned long max,
			   ml_walk_cb cb, void *arg, enum ml_walk_status *status)
{
	unsigned long n = 0;
	ulong next;
	enum ml_walk_status st = ML_WALK_OK;
	struct ml_cycle cy;

	ml_cycle_init(&cy, head);
	if (!ml_read_ulong(head, &next, "list_head.next")) {
		st = ML_WALK_UNREADABLE;
		goto out;
	}
	while (next != head) {
		if (!next || !IS_KVADDR(next)) {
			st = ML_WALK_BAD_LINK;
			break;
		}
		if (ml_cycle_step(&cy, next)) {
			st = ML_WALK_CYCLE;
			break;
		}
		if (n >= max) {
			st = ML_WALK_LIMIT;
			break;
		}
		if ((n & 1023) == 0 && ml_interrupted()) {
			st = ML_WALK_INTERRUPTED;
			break;
		}
		n++;
		if (cb && !cb(next - link_off, arg)) {
			st = ML_WALK_STOPPED;
			break;
		}
		if (!ml_read_ulong(next, &next, "list_head.next")) {
			st = ML_WALK_UNREADABLE;
			break;
		}
	}
out:
	if (status)
		*status = st;
	return n;
}

void ml_command_reset(void)
{
	ml_arena_reset();
	/* their caches lived in the arena */
	ml_symbols_begin();
	ml_depot_begin();
	ml_klog_reset();
	memset(&ml_reads, 0, sizeof(ml_reads));
	ml_sigint_latched = false;
	ml_diag_reset();
}

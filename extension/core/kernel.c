/*
 * kernel.c: the kernel's constants and globals as this dump's debuginfo and
 * VMCOREINFO state them -- enumerators (cached), global variables of any
 * integer size, VMCOREINFO numbers, page flag bits, per-cpu addresses and
 * percpu_counter sums. Every layer above asks here, never gdb directly.
 */
#include "core/core.h"

/*
 * Enumerator lookups go through gdb and cost milliseconds each; their
 * values do not change during a session: remember them (a missing one as
 * well). The cache outlives commands, so it keeps its own copy of names.
 */
#define ML_ENUM_CACHE 256
static struct {
	char name[48];
	long val;
	bool found;
} ml_enum_cache[ML_ENUM_CACHE];
static int ml_enum_cached;

bool ml_enum_value(const char *enumerator, long *val)
{
	long v = 0;
	bool found;
	int i;

	for (i = 0; i < ml_enum_cached; i++)
		if (strcmp(ml_enum_cache[i].name, enumerator) == 0) {
			*val = ml_enum_cache[i].val;
			return ml_enum_cache[i].found;
		}
	found = enumerator_value((char *)enumerator, &v) != 0;
	if (ml_enum_cached < ML_ENUM_CACHE && strlen(enumerator) < sizeof(ml_enum_cache[0].name)) {
		snprintf(ml_enum_cache[ml_enum_cached].name, sizeof(ml_enum_cache[0].name), "%s",
			 enumerator);
		ml_enum_cache[ml_enum_cached].val = v;
		ml_enum_cache[ml_enum_cached++].found = found;
	}
	*val = v;
	return found;
}

long ml_enum_value_or(const char *enumerator, long fallback)
{
	long v;

	return ml_enum_value(enumerator, &v) ? v : fallback;
}

bool ml_read_sym_ulong(const char *sym, unsigned long *val)
{
	unsigned char buf[8];
	int len;

	if (!symbol_exists((char *)sym))
		return false;
	len = get_symbol_length((char *)sym);
	if (len != 1 && len != 2 && len != 4 && len != 8)
		len = sizeof(long);
	if (!ml_read(symbol_value((char *)sym), buf, len, sym))
		return false;
	*val = ml_get_uint(buf, 0, len);
	return true;
}

bool ml_vmcoreinfo_long(const char *key, long *val)
{
	char *s;
	char *end;

	if (!pc->read_vmcoreinfo || !(s = pc->read_vmcoreinfo(key)))
		return false;
	*val = strtol(s, &end, 0);
	free(s);
	return true;
}

int ml_pg_bit(const char *name)
{
	long v = ml_enum_value_or(name, -1);
	char key[64];

	if (v < 0) {
		snprintf(key, sizeof(key), "NUMBER(%s)", name);
		if (!ml_vmcoreinfo_long(key, &v))
			v = -1;
	}
	return (int)v;
}

ulong ml_percpu_addr(ulong ptr, int cpu)
{
	return ptr + kt->__per_cpu_offset[cpu];
}

bool ml_cpu_online(int cpu)
{
	return !check_offline_cpu(cpu);
}

bool ml_percpu_counter_sum(ulong addr, long long *sum)
{
	long long count;
	ulong counters;
	int cpu;

	if (!ML_HAS(percpu_counter, count) || !ML_HAS(percpu_counter, counters))
		return false;
	if (!ml_read(addr + ML_OFF(percpu_counter, count), &count, sizeof(count),
		     "percpu_counter.count") ||
	    !ml_read_ulong(addr + ML_OFF(percpu_counter, counters), &counters,
			   "percpu_counter.counters"))
		return false;
	for (cpu = 0; cpu < kt->cpus && counters; cpu++) {
		int c;

		if (!ml_cpu_online(cpu))
			continue;
		if (ml_read(ml_percpu_addr(counters, cpu), &c, sizeof(c), "percpu_counter counter"))
			count += c;
	}
	*sum = count;
	return true;
}

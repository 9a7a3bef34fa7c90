/* Unit tests of counters.c: the kernel's arithmetic behind /proc/meminfo
 * and /proc/vmstat, and the ledger. Expected values are worked by hand from
 * the kernel's formulas (v6.1), not taken from memleak's output. */
#include "tap.h"
#include "pure/pure.h"

int main(void)
{
	char buf[128];
	unsigned long bg, th;

	is_int(ml_clamp0(-5), 0, "negative counters clamp at 0");
	is_int(ml_clamp0(7), 7, "positive counters unchanged");
	is_int(ml_pages_to_kb(3, 12), 12, "3 pages of 4 KiB = 12 kB");
	is_int(ml_pages_to_kb(3, 16), 192, "3 pages of 64 KiB = 192 kB");

	{
		/* free 1000 - reserve 100; cache 400 keeps min(200, 50) = 50;
		 * reclaimable 60+4 keeps min(32, 50) = 32: 900 + 350 + 32 */
		struct ml_avail_in in = { .free = 1000, .totalreserve = 100,
			.active_file = 300, .inactive_file = 100,
			.slab_reclaimable = 60, .misc_reclaimable = 4, .wmark_low = 50 };

		is_int(ml_si_mem_available(&in), 1282, "si_mem_available");
		in.free = 10;
		in.totalreserve = 5000;
		in.active_file = in.inactive_file = 0;
		in.slab_reclaimable = in.misc_reclaimable = 0;
		is_int(ml_si_mem_available(&in), 0, "si_mem_available never negative");
	}
	{
		/* the lab's debian-6.1 guest: dirtyable = 233322 - reserve 17910
		 * (clamped) + 0 file + 1; ratio 20% and 10% of 4096 */
		struct ml_dirty_in in = { .free = 233322, .totalreserve = 17910,
			.dirty_ratio = 20, .background_ratio = 10, .page_size = 4096 };
		unsigned long avail = 233322 - 17910 + 1;

		ml_dirty_limits(&in, &bg, &th);
		is_int(th, (819UL * avail) / 4096, "dirty threshold from vm_dirty_ratio");
		is_int(bg, (409UL * avail) / 4096, "background threshold from the ratio");
		in.dirty_bytes = 4096 * 10 + 1;
		ml_dirty_limits(&in, &bg, &th);
		is_int(th, 11, "vm_dirty_bytes rounds up to pages");
		is_int(bg, 5, "background >= dirty is halved");
	}
	is_int(ml_commit_limit(1000, 100, 0, 50, 20, 12), 470,
	       "CommitLimit: (totalram - hugetlb) * ratio + swap");
	is_int(ml_commit_limit(1000, 100, 8192, 50, 20, 12), 2068,
	       "CommitLimit: overcommit_kbytes in pages + swap");

	ml_meminfo_line(buf, sizeof(buf), "MemTotal", 995868, 8, true);
	is_str(buf, "MemTotal:         995868 kB", "show_val_kb layout");
	ml_meminfo_line(buf, sizeof(buf), "VmallocTotal", 34359738367UL, 8, true);
	is_str(buf, "VmallocTotal:   34359738367 kB", "a value wider than 8 columns");
	ml_meminfo_line(buf, sizeof(buf), "HugePages_Total", 0, 5, false);
	is_str(buf, "HugePages_Total:       0", "hugetlb counts: %%5lu, no unit");
	ml_meminfo_line(buf, sizeof(buf), "HardwareCorrupted", 4, 5, true);
	is_str(buf, "HardwareCorrupted:     4 kB", "HardwareCorrupted: %%5lu kB");
	ml_meminfo_line(buf, sizeof(buf), "ShadowCallStack", 12, 8, true);
	is_str(buf, "ShadowCallStack:      12 kB", "a 16-column label");
	ml_meminfo_na(buf, sizeof(buf), "Buffers", "unreadable");
	is_str(buf, "Buffers:               ? (unreadable)", "a line that cannot be computed");

	{
		struct ml_ledger l = { .total = 1000 };
		int i;

		for (i = 0; i < ML_LG_NR; i++) {
			l.item[i] = 10;
			l.known[i] = true;
		}
		ml_ledger_compute(&l);
		is_int(l.accounted, 10 * ML_LG_NR, "ledger sums every item");
		is_int(l.unaccounted, 1000 - 10 * ML_LG_NR, "unaccounted is the rest");
		ok(l.complete, "complete when every item is known");
		l.known[ML_LG_PERCPU] = false;
		ml_ledger_compute(&l);
		is_int(l.unaccounted, 1000 - 10 * (ML_LG_NR - 1), "an unknown item counts 0");
		ok(!l.complete, "and the ledger says it is incomplete");
		l.total = 5;
		ml_ledger_compute(&l);
		ok(l.unaccounted < 0, "double counting shows as negative, not wrapped");
		is_str(ml_ledger_name(ML_LG_FREE), "free", "ledger names");
		is_str(ml_ledger_name(ML_LG_NR), "?", "out of range name");
	}
	return tap_done();
}

/* core/layout.h: the struct members and types memleak reads (core.h turns
 * them into ML_OFF()/ML_SIZE(); probe.c resolves them at load). One block
 * per reader; a renamed member has an entry per name, the commit cited
 * where the reader picks one. */
#ifndef ML_CORE_LAYOUT_H
#define ML_CORE_LAYOUT_H

/*
 * ML_MEMBERS: every struct member memleak reads, as (struct, member).
 * Each entry becomes ML_OFF(struct, member) (byte offset, -1 if the member
 * does not exist in this kernel) and ML_MSIZE(struct, member).
 * Where a member was renamed, the old name has its own entry and the code
 * picks whichever exists, with the kernel commit cited there.
 */
#define ML_MEMBERS(X)                                                          \
	X(pglist_data, node_zones)                                             \
	X(pglist_data, nr_zones)                                               \
	X(pglist_data, node_id)                                                \
	X(pglist_data, node_start_pfn)                                         \
	X(pglist_data, node_present_pages)                                     \
	X(pglist_data, node_spanned_pages)                                     \
	X(pglist_data, vm_stat)                                                \
	X(zone, name)                                                          \
	X(zone, zone_pgdat)                                                    \
	X(zone, zone_start_pfn)                                                \
	X(zone, managed_pages)                                                 \
	X(zone, present_pages)                                                 \
	X(zone, spanned_pages)                                                 \
	X(zone, _watermark)                                                    \
	X(zone, watermark)                                                     \
	X(zone, watermark_boost)                                               \
	X(zone, lowmem_reserve)                                                \
	X(zone, nr_reserved_highatomic)                                        \
	X(zone, free_area)                                                     \
	X(zone, vm_stat)                                                       \
	X(zone, pageblock_flags)                                               \
	X(free_area, free_list)                                                \
	X(free_area, nr_free)                                                  \
	X(list_head, next)                                                     \
	X(list_head, prev)                                                     \
	X(page, flags)                                                         \
	X(page, lru)                                                           \
	X(page, compound_head)                                                 \
	X(page, buddy_list)                                                    \
	X(page, private)                                                       \
	X(page, _mapcount)                                                     \
	X(page, page_type)                                                     \
	X(page, _refcount)                                                     \
	X(page, mapping)                                                       \
	X(page, slab_cache)                                                    \
	X(slab, slab_cache)                                                    \
	X(slab, slab_list)                                                     \
	X(slab, freelist)                                                      \
	X(slab, counters)                                                      \
	X(slab, next)                                                          \
	X(page, freelist)                                                      \
	X(page, counters)                                                      \
	X(page, slab_list)                                                     \
	X(page, next)                                                          \
	X(kmem_cache_per_node_ptrs, node)                                      \
	X(kmem_cache, name)                                                    \
	X(kmem_cache, list)                                                    \
	X(kmem_cache, flags)                                                   \
	X(kmem_cache, size)                                                    \
	X(kmem_cache, object_size)                                             \
	X(kmem_cache, offset)                                                  \
	X(kmem_cache, inuse)                                                   \
	X(kmem_cache, red_left_pad)                                            \
	X(kmem_cache, oo)                                                      \
	X(kmem_cache, cpu_slab)                                                \
	X(kmem_cache, cpu_partial_slabs)                                       \
	X(kmem_cache, node)                                                    \
	X(kmem_cache, random)                                                  \
	X(kmem_cache, random_seq)                                              \
	X(kmem_cache, cpu_sheaves)                                             \
	X(kmem_cache, per_node)                                                \
	X(kmem_cache_node, nr_partial)                                         \
	X(kmem_cache_node, partial)                                            \
	X(kmem_cache_node, nr_slabs)                                           \
	X(kmem_cache_node, total_objects)                                      \
	X(kmem_cache_node, full)                                               \
	X(kmem_cache_cpu, freelist)                                            \
	X(kmem_cache_cpu, slab)                                                \
	X(kmem_cache_cpu, page)                                                \
	X(kmem_cache_cpu, partial)                                             \
	X(track, addr)                                                         \
	X(track, addrs)                                                        \
	X(track, handle)                                                       \
	X(track, cpu)                                                          \
	X(track, pid)                                                          \
	X(track, when)                                                         \
	X(mem_section, section_mem_map)                                        \
	X(mem_section, page_ext)                                               \
	X(mem_section, usage)                                                  \
	X(mem_section_usage, pageblock_flags)                                  \
	X(page_ext_operations, offset)                                         \
	X(page_ext_operations, size)                                           \
	X(page_ext, flags)                                                     \
	X(page_owner, order)                                                   \
	X(page_owner, last_migrate_reason)                                     \
	X(page_owner, gfp_mask)                                                \
	X(page_owner, handle)                                                  \
	X(page_owner, free_handle)                                             \
	X(page_owner, ts_nsec)                                                 \
	X(page_owner, free_ts_nsec)                                            \
	X(page_owner, comm)                                                    \
	X(page_owner, pid)                                                     \
	X(page_owner, tgid)                                                    \
	X(stack_record, next)                                                  \
	X(stack_record, hash_list)                                             \
	X(stack_record, hash)                                                  \
	X(stack_record, size)                                                  \
	X(stack_record, handle)                                                \
	X(stack_record, count)                                                 \
	X(stack_record, entries)                                               \
	X(static_key, enabled)                                                 \
	X(per_cpu_nodestat, vm_node_stat_diff)                                 \
	X(per_cpu_zonestat, vm_stat_diff)                                      \
	X(zone, per_cpu_zonestats)                                             \
	X(zone, pageset)                                                       \
	X(pglist_data, per_cpu_nodestats)                                      \
	/* vmstat/meminfo (vmstat.c, meminfo.c) */                             \
	X(zone, vm_numa_event)                                                 \
	X(zone, vm_numa_stat)                                                  \
	X(zone, per_cpu_pageset)                                               \
	X(per_cpu_zonestat, vm_numa_event)                                     \
	X(per_cpu_pageset, pcp)                                                \
	X(per_cpu_pageset, vm_stat_diff)                                       \
	X(per_cpu_pageset, vm_numa_stat_diff)                                  \
	X(per_cpu_pages, count)                                                \
	X(vm_event_state, event)                                               \
	X(percpu_counter, count)                                               \
	X(percpu_counter, counters)                                            \
	X(hstate, order)                                                       \
	X(hstate, nr_huge_pages)                                               \
	X(hstate, free_huge_pages)                                             \
	X(hstate, resv_huge_pages)                                             \
	X(hstate, surplus_huge_pages)                                          \
	X(swap_info_struct, flags)                                             \
	X(swap_info_struct, inuse_pages)                                       \
	X(super_block, s_inodes)                                               \
	X(inode, i_sb_list)                                                    \
	X(inode, i_mapping)                                                    \
	X(address_space, nrpages)                                              \
	X(pcpu_chunk, base_addr)                                               \
	X(pcpu_chunk, nr_pages)                                                \
	X(pcpu_chunk, end_offset)                                              \
	X(task_struct, stack_vm_area)                                          \
	X(zswap_pool, list)                                                    \
	X(zswap_pool, zs_pool)                                                 \
	X(zswap_pool, zpool)                                                   \
	X(zpool, driver)                                                       \
	X(zpool, pool)                                                         \
	X(zpool_driver, type)                                                  \
	X(zs_pool, pages_allocated)                                            \
	/* pageowner (pageowner.c) */                                          \
	X(pglist_data, node_page_ext)                                          \
	X(vmap_area, list)                                                     \
	X(vmap_area, vm)                                                       \
	X(vm_struct, pages)                                                    \
	X(vm_struct, nr_pages)                                                 \
	/* orphans (vmap.c, orphans.c, orphroots.c) */                         \
	X(vmap_area, va_start)                                                 \
	X(vmap_area, va_end)                                                   \
	X(vm_struct, addr)                                                     \
	X(vm_struct, size)                                                     \
	X(vm_struct, caller)                                                   \
	X(vm_struct, flags)                                                    \
	X(vm_struct, phys_addr)                                                \
	X(vmap_node, busy)                                                     \
	X(vmap_node, lazy)                                                     \
	X(rb_list, head)                                                       \
	X(task_struct, stack)                                                  \
	X(task_struct, thread)                                                 \
	X(thread_struct, sp)                                                   \
	X(thread_struct, cpu_context)                                          \
	X(cpu_context, sp)                                                     \
	X(module_layout, size)                                                 \
	X(stack, stack_record)                                                 \
	X(stack, next)                                                         \
	/* xarray/idr walks (trees.c) */                                       \
	X(xarray, xa_head)                                                     \
	X(xa_node, shift)                                                      \
	X(xa_node, slots)                                                      \
	/* tasks and their open files (core/tasks.c) */                        \
	X(task_struct, files)                                                  \
	X(task_struct, tasks)                                                  \
	X(task_struct, pid)                                                    \
	X(task_struct, tgid)                                                   \
	X(task_struct, comm)                                                   \
	X(task_struct, mm)                                                     \
	X(task_struct, thread_node)                                            \
	X(signal_struct, thread_head)                                          \
	X(task_struct, signal)                                                 \
	X(files_struct, fdt)                                                   \
	X(fdtable, max_fds)                                                    \
	X(fdtable, fd)                                                         \
	X(file, f_count)                                                       \
	X(file, f_ref)                                                         \
	X(file, f_inode)                                                       \
	X(file, f_op)                                                          \
	X(file, private_data)                                                  \
	X(inode, i_ino)                                                        \
	/* processes' memory (collect/ps.c) */                                 \
	X(mm_struct, rss_stat)                                                 \
	X(mm_struct, total_vm)                                                 \
	X(mm_struct, pgtables_bytes)                                           \
	X(mm_struct, nr_ptes)                                                  \
	X(mm_struct, nr_pmds)                                                  \
	X(mm_struct, nr_puds)                                                  \
	X(mm_rss_stat, count)                                                  \
	X(task_struct, rss_stat)                                               \
	X(task_rss_stat, count)                                                \
	X(signal_struct, oom_score_adj)                                        \
	/* dma-bufs (collect/dmabuf.c) */                                      \
	X(dma_buf_list, head)                                                  \
	X(dma_buf, size)                                                       \
	X(dma_buf, file)                                                       \
	X(dma_buf, attachments)                                                \
	X(dma_buf, exp_name)                                                   \
	X(dma_buf, name)                                                       \
	X(dma_buf, list_node)                                                  \
	X(dma_buf_attachment, node)                                            \
	X(dma_buf_attachment, dev)                                             \
	X(device, kobj)                                                        \
	X(kobject, name)                                                       \
	X(file, f_flags)                                                       \
	X(file, f_mode)                                                        \
	/* CMA areas (collect/cma.c) */                                        \
	X(cma, base_pfn)                                                       \
	X(cma, count)                                                          \
	X(cma, bitmap)                                                         \
	X(cma, order_per_bit)                                                  \
	X(cma, name)                                                           \
	X(cma, nranges)                                                        \
	X(cma, ranges)                                                         \
	X(cma_memrange, base_pfn)                                              \
	X(cma_memrange, count)                                                 \
	X(cma_memrange, bitmap)                                                \
	/* zram devices and their zsmalloc pools (collect/zram.c) */           \
	X(zram, mem_pool)                                                      \
	X(zram, limit_pages)                                                   \
	X(zram, stats)                                                         \
	X(zram, disksize)                                                      \
	X(zram, compressor)                                                    \
	X(zram, comp_algs)                                                     \
	X(zram_stats, compr_data_size)                                         \
	X(zram_stats, pages_stored)                                            \
	X(zram_stats, max_used_pages)                                          \
	X(zram_stats, same_pages)                                              \
	X(zram_stats, huge_pages)                                              \
	X(zram_stats, huge_pages_since)                                        \
	X(zs_pool, name)                                                       \
	X(zs_pool, stats)                                                      \
	X(zs_pool_stats, pages_compacted)                                      \
	/* kmemleak's objects (kmemleak.c) */                                  \
	X(kmemleak_object, flags)                                              \
	X(kmemleak_object, object_list)                                        \
	X(kmemleak_object, pointer)                                            \
	X(kmemleak_object, size)                                               \
	X(kmemleak_object, min_count)                                          \
	X(kmemleak_object, count)                                              \
	X(kmemleak_object, checksum)                                           \
	X(kmemleak_object, trace_handle)                                       \
	X(kmemleak_object, trace)                                              \
	X(kmemleak_object, trace_len)                                          \
	X(kmemleak_object, jiffies)                                            \
	X(kmemleak_object, pid)                                                \
	X(kmemleak_object, comm)                                               \
	/* allocation profiling's code tags (allocinfo.c) */                   \
	X(alloc_tag, ct)                                                       \
	X(alloc_tag, counters)                                                 \
	X(codetag, flags)                                                      \
	X(codetag, lineno)                                                     \
	X(codetag, modname)                                                    \
	X(codetag, function)                                                   \
	X(codetag, filename)                                                   \
	X(alloc_tag_counters, bytes)                                           \
	X(alloc_tag_counters, calls)                                           \
	X(codetag_type, mod_idr)                                               \
	X(codetag_type, desc)                                                  \
	X(codetag_type_desc, tag_size)                                         \
	X(codetag_module, mod)                                                 \
	X(codetag_module, range)                                               \
	X(codetag_range, start)                                                \
	X(codetag_range, stop)                                                 \
	/* module symbols from the kernel's kallsyms (modsyms.c) */            \
	X(module, state)                                                       \
	X(module, list)                                                        \
	X(module, name)                                                        \
	X(module, mem)                                                         \
	X(module, core_layout)                                                 \
	X(module, init_layout)                                                 \
	X(module, kallsyms)                                                    \
	X(module_memory, base)                                                 \
	X(module_memory, size)                                                 \
	X(module_layout, base)                                                 \
	X(module_layout, text_size)                                            \
	X(mod_kallsyms, symtab)                                                \
	X(mod_kallsyms, num_symtab)                                            \
	X(mod_kallsyms, strtab)                                                \
	X(mod_kallsyms, typetab)                                               \
	X(elf64_sym, st_name)                                                  \
	X(elf64_sym, st_shndx)                                                 \
	X(elf64_sym, st_value)                                                 \
	X(elf32_sym, st_name)                                                  \
	X(elf32_sym, st_shndx)                                                 \
	X(elf32_sym, st_value)

/* ML_SIZES: every struct whose size memleak needs, ML_SIZE(struct). */
#define ML_SIZES(X)                                                            \
	X(pglist_data)                                                         \
	X(zone)                                                                \
	X(free_area)                                                           \
	X(list_head)                                                           \
	X(page)                                                                \
	X(slab)                                                                \
	X(kmem_cache)                                                          \
	X(kmem_cache_node)                                                     \
	X(kmem_cache_cpu)                                                      \
	X(kmem_cache_per_node_ptrs)                                            \
	X(track)                                                               \
	X(mem_section)                                                         \
	X(mem_section_usage)                                                   \
	X(page_ext)                                                            \
	X(page_owner)                                                          \
	X(stack_record)                                                        \
	X(atomic_long_t)                                                       \
	X(hstate)                                                              \
	X(address_space)                                                       \
	X(static_key)                                                          \
	X(module)                                                              \
	X(module_memory)                                                       \
	X(mod_kallsyms)                                                        \
	X(elf64_sym)                                                           \
	X(elf32_sym)                                                           \
	X(vmap_node)                                                           \
	X(xa_node)                                                             \
	X(kmemleak_object)                                                     \
	X(alloc_tag)                                                           \
	X(codetag_module)                                                      \
	/* processes' memory (collect/ps.c): mm_struct.rss_stat[]'s stride */  \
	X(percpu_counter)                                                      \
	X(dma_buf)                                                             \
	X(cma)                                                                 \
	X(cma_memrange)                                                        \
	X(zram)

#endif /* ML_CORE_LAYOUT_H */

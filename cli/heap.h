// Tuning glibc's malloc for commands that allocate and free large blocks
// batch after batch (dedup's reading pass, an index query's lookups).
#ifndef NEARDUP_CLI_HEAP_H_
#define NEARDUP_CLI_HEAP_H_

#include <cstddef>

namespace neardup::cli {

// Call before any thread starts. Sets malloc up with one arena (worker
// threads allocate there too, and memory one thread frees another reuses),
// blocks up to 32 MiB from the heap, and a heap that keeps up to
// `keep_bytes` of freed memory at its top instead of returning it to the
// kernel (with the defaults, a batch's freed memory went back and was
// faulted in again for the next: on SaudiNewsNet's dedup 22,000 -> 16,000
// page faults). Then grows the heap by up to `huge_bytes` (less than
// `keep_bytes`) and advises that range for transparent huge pages, without
// touching it: the memory used first costs a fault per 2 MiB instead of per
// 4 KiB. On the paravirtualised guests measured a fault costs 8-20 us of
// CPU: dedup of SaudiNewsNet 16,900 -> 2,600 faults (user + sys 1.49 ->
// 1.30 s), a 5k index query 11,000 -> 1,400-2,100 (docs/DESIGN.md). Best
// effort: where malloc does not take memory with brk (a sanitizer's
// malloc) or the kernel refuses, only the settings change.
void TuneHeap(size_t huge_bytes, size_t keep_bytes);

// Call before any thread starts. At most `arenas` malloc arenas: by default
// glibc gives each worker thread its own, and what one thread frees is not
// reused by another. scan of 360 MB on 2 threads: peak RSS 799 -> 683 MiB
// with 2 arenas, the same time (docs/DESIGN.md, "Memory of scan").
void LimitHeapArenas(int arenas);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_HEAP_H_

#include "heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>

namespace neardup::cli {

void LimitHeapArenas(int arenas) { mallopt(M_ARENA_MAX, arenas); }

void TuneHeap(size_t huge_bytes, size_t keep_bytes) {
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(keep_bytes));
  // Setting the trim threshold stops glibc from raising this one as large
  // blocks are freed (from 128 KiB).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // Pieces under the mmap threshold come from the heap, one after the
  // other (nothing else allocated between them: their list is on the
  // stack); freed, they join its top, which stays below keep_bytes. Few and
  // large: malloc writes a header at the start of each, and a 2 MiB range
  // with a page already touched is no longer given a huge page at a fault
  // (with 4 MiB pieces, 5,000 faults for the first 50 MiB used instead of
  // 600).
  constexpr size_t kMaxPiece = size_t{30} << 20;
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  // The grown top must stay under the trim threshold when freed.
  huge_bytes =
      std::min(huge_bytes, keep_bytes > 2 * kHuge ? keep_bytes - 2 * kHuge : 0);
  auto* const begin = static_cast<char*>(sbrk(0));
  std::array<void*, 64> pieces;
  size_t count = 0;
  while (count < pieces.size()) {
    auto* const top = static_cast<char*>(sbrk(0));
    const auto grown = static_cast<size_t>(top - begin);
    if (grown + kHuge > huge_bytes) break;
    void* p = std::malloc(std::min(kMaxPiece, huge_bytes - grown));
    if (p == nullptr) break;
    pieces[count++] = p;
    if (static_cast<char*>(sbrk(0)) == top) break;  // not from the heap
  }
  for (size_t i = 0; i < count; ++i) std::free(pieces[i]);
  auto* const end = static_cast<char*>(sbrk(0));
  char* const lo =
      begin + (kHuge - reinterpret_cast<uintptr_t>(begin) % kHuge) % kHuge;
  const size_t span =
      end > lo ? static_cast<size_t>(end - lo) / kHuge * kHuge : 0;
  if (span > 0) madvise(lo, span, MADV_HUGEPAGE);
}

}  // namespace neardup::cli

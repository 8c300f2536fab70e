// Shared by the fuzz targets: a check that aborts with a message, so that
// libFuzzer records the input that broke an invariant. Active in every build
// type (assert() is compiled out under NDEBUG).
#ifndef NEARDUP_TESTS_FUZZ_FUZZ_CHECK_H_
#define NEARDUP_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                          \
  do {                                                                 \
    if (!(condition)) {                                                \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, \
                   __LINE__, #condition);                              \
      std::abort();                                                    \
    }                                                                  \
  } while (false)

#endif  // NEARDUP_TESTS_FUZZ_FUZZ_CHECK_H_

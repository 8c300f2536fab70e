// What neardup-mpi's ranks say to each other: byte buffers packed and
// unpacked in one order, an all-to-all exchange of them, and the agreement
// on failure that lets every rank stop together.
#ifndef NEARDUP_MPI_EXCHANGE_H_
#define NEARDUP_MPI_EXCHANGE_H_

#include <mpi.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/status/status.h"

namespace neardup::mpi {

// Appends values and strings to a byte buffer.
class Packer {
 public:
  explicit Packer(std::string* out) : out_(out) {}
  template <typename T>
  void Put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_->append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  void PutString(std::string_view s) {
    Put(static_cast<uint64_t>(s.size()));
    out_->append(s);
  }
  template <typename T>
  void PutArray(const T* values, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put(static_cast<uint64_t>(n));
    if (n > 0)
      out_->append(reinterpret_cast<const char*>(values), n * sizeof(T));
  }

 private:
  std::string* out_;
};

// Reads back what a Packer wrote, in the same order. The buffers come from
// this program's own ranks, so they are trusted to be well formed.
class Unpacker {
 public:
  explicit Unpacker(std::string_view in) : in_(in) {}
  bool done() const { return at_ >= in_.size(); }
  template <typename T>
  T Get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    std::memcpy(&value, in_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return value;
  }
  std::string_view GetString() {
    const auto n = static_cast<size_t>(Get<uint64_t>());
    std::string_view s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  template <typename T>
  void GetArray(std::vector<T>* out) {
    const auto n = static_cast<size_t>(Get<uint64_t>());
    if (n == 0) return;  // memcpy must not see a null pointer
    const size_t old = out->size();
    out->resize(old + n);
    std::memcpy(out->data() + old, in_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
  }

 private:
  std::string_view in_;
  size_t at_ = 0;
};

// One rank's view of the job.
struct World {
  int rank = 0;
  int size = 1;
  // Bytes this rank sent to other ranks in Exchange (its own share, which
  // stays in memory, is not counted).
  uint64_t bytes_sent = 0;
};

// Sends out[r] to rank r and returns, in *in, what every rank sent this one,
// in rank order; (*in)[r] came from rank r. Collective: every rank calls it
// at the same point. Fails, on every rank, if any one buffer is 2 GiB or
// more (MPI counts are ints): run with more ranks then.
absl::Status Exchange(World* world, const std::vector<std::string>& out,
                      std::vector<std::string>* in);

// Collective: true on every rank if `status` is OK on every rank. Else the
// lowest failing rank prints its status (cli::Fail), once for all (an
// error every rank meets is not printed N times), and rank 0, if it is
// another, says which rank failed.
bool Agree(const World& world, const absl::Status& status);

}  // namespace neardup::mpi

#endif  // NEARDUP_MPI_EXCHANGE_H_

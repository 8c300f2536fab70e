#include "interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>

namespace neardup::cli {
namespace {

std::atomic<bool> interrupted{false};
std::atomic<int> signal_number{0};
std::array<std::atomic<const char*>, 8> temp_files{};

static_assert(std::atomic<bool>::is_always_lock_free);
static_assert(std::atomic<const char*>::is_always_lock_free);

// Only async-signal-safe calls here: write, unlink, signal, raise.
void OnSignal(int sig) {
  if (!interrupted.exchange(true)) {
    signal_number.store(sig);
    constexpr char kMessage[] =
        "\nneardup: interrupted, stopping (press Ctrl-C again to quit at "
        "once)\n";
    [[maybe_unused]] ssize_t n =
        write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    return;
  }
  for (std::atomic<const char*>& slot : temp_files) {
    const char* path = slot.load();
    if (path != nullptr) unlink(path);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction action;
  std::memset(&action, 0, sizeof action);
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  // No SA_RESTART: a read blocked on a pipe or terminal returns EINTR.
  action.sa_flags = 0;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

const std::atomic<bool>* InterruptFlag() { return &interrupted; }

bool Interrupted() { return interrupted.load(); }

int InterruptedExit() {
  std::fprintf(stderr, "neardup: interrupted; no output written\n");
  const int sig = signal_number.load();
  return 128 + (sig != 0 ? sig : SIGINT);
}

int RegisterTempFile(const char* path) {
  for (size_t i = 0; i < temp_files.size(); ++i) {
    const char* expected = nullptr;
    if (temp_files[i].compare_exchange_strong(expected, path)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

void UnregisterTempFile(int slot) {
  if (slot >= 0) temp_files[slot].store(nullptr);
}

}  // namespace neardup::cli

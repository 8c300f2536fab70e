// Ctrl-C (SIGINT) and SIGTERM. The first signal asks the running command to
// stop: Interrupted() becomes true, the library sees it through the flag
// InterruptFlag() points to, and the command returns InterruptedExit(),
// which removes its temporary files on the way out. A second signal ends the
// process at once, after removing the temporary files registered here.
#ifndef NEARDUP_CLI_INTERRUPT_H_
#define NEARDUP_CLI_INTERRUPT_H_

#include <atomic>

namespace neardup::cli {

// Installs the handlers. Call once, before any work.
void InstallInterruptHandlers();

// Set by the first signal; pass it as the library's cancel flag.
const std::atomic<bool>* InterruptFlag();
bool Interrupted();

// Prints "neardup: interrupted" on stderr and returns the exit status for
// the signal received: 128 + its number (130 for Ctrl-C).
int InterruptedExit();

// Remembers a temporary file for the second signal to remove; `path` must
// stay valid until UnregisterTempFile(). Returns a slot, or -1 when all
// slots are taken (the file is then left to the first signal's orderly
// path).
int RegisterTempFile(const char* path);
void UnregisterTempFile(int slot);

}  // namespace neardup::cli

#endif  // NEARDUP_CLI_INTERRUPT_H_

// Creating a process when the system has none to spare (internal to the engine): both ways of
// spawning retry EAGAIN the same way.
#pragma once

#include <cerrno>

#include "pipex/base/system_error.hpp"

namespace pipex {

inline constexpr int kSpawnAttempts = 8;  // pauses of 10 to 640 ms, 1.3 s in all, before giving up

// Sleeps 10 ms << attempt, through signals.
void pause_before_retry(int attempt);

// Calls `create` (which returns 0 or an errno) again while it fails with EAGAIN: waiting a little
// often finds a process (a pipeline's earlier stages exit). Returns its last result, or throws
// SystemError(EAGAIN, "fork") once every attempt has failed.
template <typename Create>
int create_with_retries(Create create) {
    for (int attempt = 0;; ++attempt) {
        int error = create();
        if (error != EAGAIN) return error;
        if (attempt + 1 == kSpawnAttempts) throw SystemError(EAGAIN, "fork");
        pause_before_retry(attempt);
    }
}

}  // namespace pipex

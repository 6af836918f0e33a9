// The pause between two attempts at creating a process.
#include "spawn_retry.hpp"

#include <time.h>

namespace pipex {

void pause_before_retry(int attempt) {
    timespec delay{0, (10L << attempt) * 1000000L};  // 10, 20, 40, ... ms
    // nanosleep leaves what remains in `delay` when a signal interrupts it.
    (void)retry_on_eintr([&] { return ::nanosleep(&delay, &delay); });
}

}  // namespace pipex

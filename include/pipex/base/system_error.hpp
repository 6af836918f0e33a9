/// @file
/// Failed system calls: every failure is reported with the object it concerned, and a signal
/// never turns a call into a failure.
#pragma once

#include <cerrno>
#include <string>
#include <system_error>

namespace pipex {

/// A failed system call, with the object it concerned: what() reads "OBJECT: REASON", ready to
/// follow "pipex: " (or "pipex-audit: ").
class SystemError : public std::system_error {
public:
    SystemError(int error, const std::string& object);
};

/// Calls `call` again while it returns -1 with errno EINTR; returns its first other result. For
/// calls whose interruption means nothing. A wait that a signal must be able to end (the
/// forwarded signals, a stop request) checks its own flag instead of using this.
template <class Call>
auto retry_on_eintr(Call call) {
    for (;;) {
        auto result = call();
        if (result != -1 || errno != EINTR) return result;
    }
}

}  // namespace pipex

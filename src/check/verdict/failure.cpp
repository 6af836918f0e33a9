// The words for the kinds of failure, shared by the text report and the JSON.
#include "check/verdict/failure.hpp"

namespace pipex::check {

const char* kind_word(FailureKind kind) {
    switch (kind) {
        case FailureKind::Output:
            return "output";
        case FailureKind::Status:
            return "status";
        case FailureKind::Errors:
            return "stderr";
        case FailureKind::Stdout:
            return "stdout";
        case FailureKind::Crash:
            return "crash";
        case FailureKind::Hang:
            return "hang";
        case FailureKind::FdLeak:
            return "fd-leak";
        case FailureKind::NotWaited:
            return "not-waited";
        case FailureKind::LeftRunning:
            return "left-running";
        case FailureKind::OneAtATime:
            return "one-at-a-time";
        case FailureKind::OpenAtExit:
            return "open-at-exit";
        case FailureKind::TempFile:
            return "temp-file";
        case FailureKind::FileLeft:
            return "file-left";
        case FailureKind::MemoryLeak:
            return "memory-leak";
    }
    return "?";
}

}  // namespace pipex::check

// The words of the reports for fd kinds, fd access and abandonment, written once for both.
#include "audit/report/words.hpp"

namespace pipex::audit {

std::string_view to_text(FdKind kind) {
    switch (kind) {
        case FdKind::Pipe:
            return "pipe";
        case FdKind::Socket:
            return "socket";
        case FdKind::AnonymousInode:
            return "anonymous inode";
        case FdKind::Memfd:
            return "memfd";
        case FdKind::Device:
            return "device";
        case FdKind::File:
            return "file";
        case FdKind::Other:
            break;
    }
    return "other";
}

std::string_view to_text(FdAccess access, FdKind kind) {
    const bool pipe = kind == FdKind::Pipe;
    switch (access) {
        case FdAccess::Read:
            return pipe ? "read end" : "read";
        case FdAccess::Write:
            return pipe ? "write end" : "write";
        case FdAccess::ReadWrite:
            return "read-write";
        case FdAccess::Unknown:
            break;
    }
    return "unknown";
}

std::string_view to_text(Abandonment abandonment) {
    return abandonment == Abandonment::Zombie ? "zombie" : "orphan";
}

}  // namespace pipex::audit

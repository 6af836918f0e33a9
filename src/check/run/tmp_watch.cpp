// inotify on the private /tmp: what the program created there.
#include "check/run/tmp_watch.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "pipex/base/io.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::check {

TmpWatch::TmpWatch(const std::string& folder, std::string own)
    : inotify_(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK)), own_(std::move(own)) {
    if (!inotify_) throw SystemError(errno, "inotify_init1");
    if (::inotify_add_watch(inotify_.get(), folder.c_str(), IN_CREATE | IN_MOVED_TO) < 0)
        throw SystemError(errno, "inotify_add_watch(" + folder + ")");
}

std::vector<std::string> TmpWatch::created() {
    std::vector<std::string> names;
    alignas(inotify_event) char buffer[8192];
    for (;;) {
        ssize_t got = read_some(inotify_.get(), buffer, sizeof buffer);
        if (got < 0 && errno == EAGAIN) break;
        if (got < 0) throw SystemError(errno, "inotify");
        if (got == 0) break;
        for (ssize_t at = 0; at < got;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
            if (event->len == 0) continue;
            std::string name(event->name, ::strnlen(event->name, event->len));
            if (name == own_ || std::find(seen_.begin(), seen_.end(), name) != seen_.end())
                continue;
            seen_.push_back(name);
            names.push_back(name);
        }
    }
    return names;
}

}  // namespace pipex::check

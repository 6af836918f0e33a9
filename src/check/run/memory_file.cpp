// memfds for the runs' input and output.
#include "check/run/memory_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>

#include "pipex/base/io.hpp"
#include "pipex/base/system_error.hpp"

namespace pipex::check {

UniqueFd memory_file(const char* name, std::string_view bytes) {
    UniqueFd fd(::memfd_create(name, MFD_CLOEXEC));
    if (!fd) throw SystemError(errno, std::string("memfd_create(") + name + ")");
    if (int error = write_all(fd.get(), bytes.data(), bytes.size()))
        throw SystemError(error, std::string("memfd ") + name);
    if (::lseek(fd.get(), 0, SEEK_SET) != 0) throw SystemError(errno, std::string("memfd ") + name);
    return fd;
}

UniqueFd output_memory_file(const char* name) {
    UniqueFd fd = memory_file(name, {});
    if (::fcntl(fd.get(), F_SETFL, O_APPEND) != 0)
        throw SystemError(errno, std::string("memfd ") + name);
    return fd;
}

}  // namespace pipex::check

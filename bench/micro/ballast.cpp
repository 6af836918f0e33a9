// The ballast: resident memory that makes the benchmark a big parent.
#include "ballast.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <system_error>

namespace bench {

Ballast::Ballast(std::size_t mib) : mib_(mib) {
    const std::size_t bytes = mib << 20;
    memory_ = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory_ == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
    ::madvise(memory_, bytes, MADV_NOHUGEPAGE);
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    auto* bytes_of = static_cast<volatile unsigned char*>(memory_);
    for (std::size_t at = 0; at < bytes; at += page) bytes_of[at] = 1;
}

Ballast::~Ballast() { ::munmap(memory_, mib_ << 20); }

void hold_ballast(std::size_t mib) {
    static std::unique_ptr<Ballast> held;
    if (held && held->mib() == mib) return;
    held.reset();  // before the new one: never hold both
    if (mib > 0) held = std::make_unique<Ballast>(mib);
}

}  // namespace bench

// Resident memory that makes the benchmark process a "big parent": the cost of creating a child
// by copying the parent (fork) grows with it; by posix_spawn's CLONE_VFORK clone it should not.
#pragma once

#include <cstddef>

namespace bench {

class Ballast {
public:
    // Maps `mib` MiB of anonymous memory in 4 KiB pages (no transparent huge pages: a heap grown
    // by malloc mostly has small pages, and they are what makes copying page tables expensive)
    // and writes to every page so that all of it is resident.
    explicit Ballast(std::size_t mib);
    ~Ballast();
    Ballast(const Ballast&) = delete;
    Ballast& operator=(const Ballast&) = delete;

    std::size_t mib() const { return mib_; }

private:
    std::size_t mib_;
    void* memory_ = nullptr;
};

// Makes the process hold exactly `mib` MiB of ballast (0: none), keeping what it already holds
// when the size is the same, since filling 1 GiB takes a noticeable fraction of a second.
void hold_ballast(std::size_t mib);

}  // namespace bench

// System calls without libc, for code that runs in a child sharing its parent's memory (internal
// to the engine). libc's wrappers store errno in the calling thread's storage, which such a child
// shares with the parent, and some take locks; these return -errno instead and touch nothing.
//
// On x86-64 and AArch64 they are a `syscall`/`svc` instruction. Elsewhere PIPEX_HAVE_RAW_SYSCALL
// is 0, the engine never runs code in a child (spawn.cpp uses posix_spawn), and raw::call goes
// through libc's syscall(), with the same -errno results, for the parent alone.
#pragma once

#include <type_traits>

#if defined(__x86_64__) || defined(__aarch64__)
#define PIPEX_HAVE_RAW_SYSCALL 1
#else
#define PIPEX_HAVE_RAW_SYSCALL 0
#include <unistd.h>

#include <cerrno>
#endif

namespace pipex::raw {

[[gnu::always_inline]] inline long syscall4(long number, long a = 0, long b = 0, long c = 0,
                                            long d = 0) {
#if defined(__x86_64__)
    long result;
    register long r10 asm("r10") = d;
    asm volatile("syscall"
                 : "=a"(result)
                 : "a"(number), "D"(a), "S"(b), "d"(c), "r"(r10)
                 : "rcx", "r11", "memory");
    return result;
#elif defined(__aarch64__)
    register long x8 asm("x8") = number;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    register long x2 asm("x2") = c;
    register long x3 asm("x3") = d;
    asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
#else
    long result = ::syscall(number, a, b, c, d);
    return result == -1 ? -errno : result;
#endif
}

template <typename T>
[[gnu::always_inline]] inline long word([[maybe_unused]] T value) {
    if constexpr (std::is_null_pointer_v<T>)
        return 0;
    else if constexpr (std::is_pointer_v<T>)
        return reinterpret_cast<long>(value);
    else
        return static_cast<long>(value);
}

// raw::call(SYS_dup3, from, to, 0): the result, or -errno.
template <typename... Args>
[[gnu::always_inline]] inline long call(long number, Args... args) {
    return syscall4(number, word(args)...);
}

}  // namespace pipex::raw

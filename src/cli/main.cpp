// pipex's entry point.
#include <version>  // __GLIBCXX__, with libstdc++

#include "cli.hpp"

#if defined(__GLIBCXX__)
// libstdc++'s own release of the memory it keeps for the whole run (the 72 KiB kept to throw
// exceptions with when memory runs out). valgrind calls it at exit in a shared libstdc++; linked
// into pipex, libstdc++ is out of its sight, so pipex calls it, once nothing can throw any more.
namespace __gnu_cxx {
void __freeres() noexcept;
}
#endif

int main(int argc, char** argv) {
    const int status = pipex::cli::main(argc, argv);
#if defined(__GLIBCXX__)
    __gnu_cxx::__freeres();
#endif
    return status;
}

// The runs' environment, built once per case.
#include "check/run/run_environment.hpp"

#include <cstdlib>

namespace pipex::check {

RunEnvironment::RunEnvironment(const Case& c, const std::string& home) {
    switch (c.path) {
        case PathSetting::Standard:
            strings_.push_back(std::string("PATH=") + kStandardPath);
            break;
        case PathSetting::Empty:
            strings_.push_back("PATH=");
            break;
        case PathSetting::Unset:
            break;
    }
    strings_.push_back("HOME=" + home);
    strings_.push_back("LC_ALL=C");
    strings_.push_back("TERM=dumb");
    // A program built with sanitizers keeps the caller's settings for them; LeakSanitizer
    // cannot work under ptrace (it stops the process to scan it) and would end every run with
    // a fatal error, so it is turned off: leaks are valgrind's to find.
    const char* asan = std::getenv("ASAN_OPTIONS");
    strings_.push_back(std::string("ASAN_OPTIONS=") +
                       (asan && *asan ? std::string(asan) + ":" : "") + "detect_leaks=0");
    if (const char* ubsan = std::getenv("UBSAN_OPTIONS"))
        strings_.push_back(std::string("UBSAN_OPTIONS=") + ubsan);
    for (std::string& text : strings_) pointers_.push_back(text.data());
    pointers_.push_back(nullptr);
}

}  // namespace pipex::check

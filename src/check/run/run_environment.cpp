// The runs' environment, built once per case.
#include "check/run/run_environment.hpp"

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
    for (std::string& text : strings_) pointers_.push_back(text.data());
    pointers_.push_back(nullptr);
}

}  // namespace pipex::check

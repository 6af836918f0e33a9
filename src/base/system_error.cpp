// SystemError: a failed call and the object it concerned.
#include "pipex/base/system_error.hpp"

namespace pipex {

SystemError::SystemError(int error, const std::string& object)
    : std::system_error(error, std::generic_category(), object) {}

}  // namespace pipex

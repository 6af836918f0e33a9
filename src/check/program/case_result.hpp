// What one case gave, as a worker sends it to pipex-check over a pipe: the failures found, the
// notes, or why the case could not be judged. The wire form is a list of records, each a tag
// byte, a length and the bytes: any text goes through unchanged.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "check/verdict/failure.hpp"

namespace pipex::check {

struct CaseResult {
    std::size_t index = 0;  // into the battery
    Failures failures;
    std::vector<std::string> notes;  // what was not checked, and why; what cannot be judged
    std::string trouble;             // set: the case could not be run or judged
    double seconds = 0;              // the program's run

    bool passed() const { return trouble.empty() && failures.empty(); }
};

std::string encode_result(const CaseResult& result);

// nullopt when `bytes` is not a whole encoded result (the worker died while writing).
std::optional<CaseResult> decode_result(const std::string& bytes, std::size_t index);

}  // namespace pipex::check

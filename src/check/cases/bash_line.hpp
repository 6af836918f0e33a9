// The bash pipeline a case means: the line shown with its result, and the script bash runs.
//
//   INFILE CMD1 ... CMDN OUTFILE         <  INFILE CMD1 | ... | CMDN > OUTFILE
//   here_doc LIMITER CMD1 ... OUTFILE    CMD1 << 'LIMITER' | ... | CMDN >> OUTFILE
//
// Commands go in as written (bash splits and quotes them); file names and the limiter are
// quoted, so they mean exactly the bytes given. An empty command is bash's `''`.
#pragma once

#include <string>

#include "check/cases/check_case.hpp"

namespace pipex::check {

struct BashEquivalent {
    std::string line;    // one line, as a student would type it
    std::string script;  // the line, then the here-doc's text up to its limiter line
};

BashEquivalent bash_equivalent(const Case& c);

// `word` between single quotes, when it needs them.
std::string shell_quote(const std::string& word);

}  // namespace pipex::check

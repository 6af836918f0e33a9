/// @file
/// How bash writes a name that holds bytes a terminal would not show.
#pragma once

#include <string>
#include <string_view>

namespace pipex {

/// `name` as is when every character is printable; otherwise bash's $'...' form, with `\t`, `\n`,
/// `\E` and the like, octal `\ooo` for other unprintable bytes, and `\'` and `\\` escaped. Under a
/// UTF-8 locale (LC_ALL, LC_CTYPE or LANG), valid multibyte characters count as printable, as bash
/// counts them.
std::string printable_name(std::string_view name);

}  // namespace pipex

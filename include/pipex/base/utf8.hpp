/// @file
/// Decoding UTF-8, strictly: bytes from processes and file names are not always text.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace pipex {

struct Utf8Char {
    char32_t code_point = 0;
    std::size_t length = 0;  ///< bytes, 1 to 4
};

/// The character whose encoding starts at text[at], or nullopt when the bytes there are not valid
/// UTF-8: a stray continuation byte, a cut sequence, an overlong form, a surrogate, or a value past
/// U+10FFFF. An ASCII byte, control characters included, is a character of length 1.
std::optional<Utf8Char> decode_utf8(std::string_view text, std::size_t at) noexcept;

}  // namespace pipex

#include "printable_name.hpp"

#include <cstdlib>
#include <cstring>
#include <strings.h>

namespace pipex {
namespace {

bool utf8_locale() {
    for (const char* variable : {"LC_ALL", "LC_CTYPE", "LANG"}) {
        const char* value = std::getenv(variable);
        if (!value || !*value) continue;
        return strcasestr(value, "UTF-8") || strcasestr(value, "UTF8");
    }
    return false;
}

// The length of the printable character starting at `at`, or 0 if it is not printable.
std::size_t printable_length(std::string_view text, std::size_t at, bool utf8) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte >= 0x20 && byte < 0x7f) return 1;
    if (!utf8 || byte < 0xc2 || byte > 0xf4) return 0;
    const std::size_t length = byte < 0xe0 ? 2 : byte < 0xf0 ? 3 : 4;
    if (at + length > text.size()) return 0;
    unsigned long code = byte & (0x7f >> length);
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xc0) != 0x80) return 0;
        code = (code << 6) | (next & 0x3f);
    }
    const unsigned long smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    const bool valid = code >= smallest[length] && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    return valid && code >= 0xa0 ? length : 0;  // 0x80-0x9f are control characters
}

void append_escaped(std::string& out, unsigned char byte) {
    static constexpr std::string_view kLetters = "abtnvfr";  // \a is 7 ... \r is 13
    out += '\\';
    if (byte >= 7 && byte <= 13) {
        out += kLetters[byte - 7];
    } else if (byte == 0x1b) {
        out += 'E';
    } else {
        out += static_cast<char>('0' + (byte >> 6));
        out += static_cast<char>('0' + ((byte >> 3) & 7));
        out += static_cast<char>('0' + (byte & 7));
    }
}

}  // namespace

std::string printable_name(std::string_view name) {
    const bool utf8 = utf8_locale();
    bool all_printable = true;
    for (std::size_t i = 0; i < name.size() && all_printable;) {
        std::size_t length = printable_length(name, i, utf8);
        all_printable = length > 0;
        i += length;
    }
    if (all_printable) return std::string(name);

    std::string quoted = "$'";
    for (std::size_t i = 0; i < name.size();) {
        if (std::size_t length = printable_length(name, i, utf8)) {
            if (name[i] == '\'' || name[i] == '\\') quoted += '\\';
            quoted.append(name.substr(i, length));
            i += length;
        } else {
            append_escaped(quoted, static_cast<unsigned char>(name[i++]));
        }
    }
    return quoted + "'";
}

}  // namespace pipex

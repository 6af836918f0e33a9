// bash's $'...' form for names that hold unprintable bytes.
#include "pipex/base/printable_name.hpp"

#include <strings.h>

#include <cstdlib>
#include <cstring>

#include "pipex/base/utf8.hpp"

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
    if (!utf8 || byte < 0x80) return 0;
    std::optional<Utf8Char> character = decode_utf8(text, at);
    // U+0080 to U+009F are control characters.
    return character && character->code_point >= 0xa0 ? character->length : 0;
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

// Durations on the command line: read as timeout(1) reads them, written back the shortest way.
#include <cstdint>
#include <limits>
#include <string>

#include "pipex/containment.hpp"

namespace pipex {
namespace {

// Milliseconds per unit, by suffix.
std::optional<std::uint64_t> unit_milliseconds(std::string_view suffix) {
    if (suffix.empty() || suffix == "s") return 1000;
    if (suffix == "ms") return 1;
    if (suffix == "m") return 60 * 1000;
    if (suffix == "h") return 3600 * 1000;
    if (suffix == "d") return 86400 * 1000;
    return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// By hand, in integers: from_chars would also take "inf", "1e3" and a sign, and its floating
// point half alone would add a sixth to pipex's size (its tables), which a run pays in memory.
std::optional<Duration> parse_duration(std::string_view text) {
    constexpr std::uint64_t kLimit = std::numeric_limits<Duration::rep>::max() / 2;
    std::size_t at = 0;
    std::uint64_t whole = 0, fraction = 0, scale = 1;  // the fraction is fraction / scale
    bool digits = false, finer = false;                // finer: a non-zero digit past 1e-9
    for (; at < text.size() && is_digit(text[at]); ++at, digits = true) {
        if (whole > kLimit / 10) return std::nullopt;
        whole = whole * 10 + static_cast<std::uint64_t>(text[at] - '0');
    }
    if (at < text.size() && text[at] == '.') {
        for (++at; at < text.size() && is_digit(text[at]); ++at, digits = true) {
            const auto digit = static_cast<std::uint64_t>(text[at] - '0');
            if (scale < 1000000000) {
                fraction = fraction * 10 + digit;
                scale *= 10;
            } else if (digit != 0) {
                finer = true;
            }
        }
    }
    std::optional<std::uint64_t> unit = unit_milliseconds(text.substr(at));
    if (!digits || !unit || whole > kLimit / *unit) return std::nullopt;
    // Rounded up: "0.0001" is not 0.
    std::uint64_t part = fraction * *unit;
    part = part / scale + (part % scale != 0 || finer ? 1 : 0);
    return Duration(static_cast<Duration::rep>(whole * *unit + part));
}

std::string format_duration(Duration duration) {
    const auto count = duration.count();
    if (count % 1000 == 0) return std::to_string(count / 1000) + "s";
    if (count < 1000) return std::to_string(count) + "ms";
    std::string fraction = std::to_string(1000 + count % 1000).substr(1);
    while (fraction.back() == '0') fraction.pop_back();
    return std::to_string(count / 1000) + "." + fraction + "s";
}

}  // namespace pipex

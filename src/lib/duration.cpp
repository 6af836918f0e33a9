// Durations on the command line: read as timeout(1) reads them, written back the shortest way.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "pipex/containment.hpp"

namespace pipex {
namespace {

// Milliseconds per unit, by suffix.
std::optional<double> unit_milliseconds(std::string_view suffix) {
    if (suffix.empty() || suffix == "s") return 1000.0;
    if (suffix == "ms") return 1.0;
    if (suffix == "m") return 60.0 * 1000;
    if (suffix == "h") return 3600.0 * 1000;
    if (suffix == "d") return 86400.0 * 1000;
    return std::nullopt;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
    const std::size_t digits_end = text.find_first_not_of("0123456789.");
    const std::string_view number = text.substr(0, digits_end);
    // from_chars would also take "inf", "1e3" and a sign: only plain decimals are durations.
    if (number.empty() || number == "." || number.find('.') != number.rfind('.'))
        return std::nullopt;
    double value = 0;
    auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
    std::optional<double> unit =
        unit_milliseconds(digits_end == std::string_view::npos ? "" : text.substr(digits_end));
    if (!unit) return std::nullopt;
    const double milliseconds = std::ceil(value * *unit);
    if (!(milliseconds < static_cast<double>(std::numeric_limits<Duration::rep>::max() / 2)))
        return std::nullopt;
    return Duration(static_cast<Duration::rep>(milliseconds));
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

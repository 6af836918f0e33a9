/// @file
/// Writing JSON by hand, correctly: commas, nesting and string escaping are the writer's job.
/// Strings from the traced tree (arguments, file names) are bytes; JSON text must be UTF-8, so
/// bytes that are not valid UTF-8 are written as U+FFFD.
#pragma once

#include <concepts>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pipex {

class JsonWriter {
public:
    /// Where the text goes as it is made, a few KiB at a time, so that a long document is never
    /// held whole; without one, text() has it all.
    using Sink = std::function<void(std::string_view)>;
    JsonWriter() = default;
    explicit JsonWriter(Sink sink) : sink_(std::move(sink)) {}

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(long long number);
    /// Any integer: pids, fds, counts.
    template <std::integral Integer>
    requires(!std::same_as<Integer, bool>) JsonWriter& number(Integer n) {
        return value_text(std::to_string(n));
    }
    JsonWriter& value(bool flag);
    JsonWriter& null();
    JsonWriter& strings(const std::vector<std::string>& list);

    /// The document, ending with a newline (without a sink).
    std::string text() const { return out_ + "\n"; }
    /// With a sink: passes it the rest of the document and the final newline.
    void finish();

private:
    JsonWriter& value_text(const std::string& text);
    void before_value();
    void open(char bracket);
    void close(char bracket);

    void flush_if_full();

    Sink sink_;
    std::string out_;
    std::vector<bool> has_items_;  ///< per open container
    bool after_key_ = false;
};

/// `text` as a JSON string literal, quotes included.
std::string json_string(std::string_view text);

}  // namespace pipex

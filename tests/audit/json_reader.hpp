// A small, strict JSON reader for the tests: pipex-audit writes its JSON by hand, so the tests
// read it back with an independent parser and look at the facts it holds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace json {

class Value {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Type type = Type::Null;
    bool boolean = false;
    double number = 0;
    std::string text;
    std::vector<Value> items;                            // an array's
    std::vector<std::pair<std::string, Value>> members;  // an object's, in order

    bool is_null() const { return type == Type::Null; }
    bool has(std::string_view key) const;
    // Throw std::runtime_error when the value is not of the kind asked for.
    const Value& operator[](std::string_view key) const;
    const Value& operator[](std::size_t index) const;
    std::size_t size() const;
    long long integer() const;
    const std::string& str() const;
    bool flag() const;
};

// Throws std::runtime_error (with the offset) on anything that is not exactly one JSON value.
Value parse(std::string_view text);

}  // namespace json

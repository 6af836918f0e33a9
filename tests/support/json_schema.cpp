// The schema check of the tests' JSON documents (see json_schema.hpp).
#include "json_schema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "process.hpp"

namespace testsupport {
namespace {

using nlohmann::json;

bool has_type(const json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    ADD_FAILURE() << "the schema names a type the test does not know: " << type;
    return false;
}

void expect_object_matches(const json& value, const json& schema, const std::string& path) {
    for (const json& name : schema.value("required", json::array()))
        EXPECT_TRUE(value.contains(name.get<std::string>())) << path << " lacks " << name;
    const json properties = schema.value("properties", json::object());
    for (const auto& [name, member] : value.items()) {
        if (properties.contains(name))
            expect_matches_schema(member, properties[name], path + "." + name);
        else if (schema.value("additionalProperties", true) == false)
            ADD_FAILURE() << path << " has " << name << ", which the schema does not list";
    }
}

}  // namespace

void expect_matches_schema(const json& value, const json& schema, const std::string& path) {
    if (schema.contains("type")) {
        const json types =
            schema["type"].is_array() ? schema["type"] : json::array({schema["type"]});
        bool any = false;
        for (const json& type : types) any = any || has_type(value, type.get<std::string>());
        EXPECT_TRUE(any) << path << " is " << value.dump() << ", not " << types.dump();
        if (!any) return;
    }
    if (schema.contains("const")) {
        EXPECT_EQ(value, schema["const"]) << path;
    }
    if (schema.contains("enum")) {
        const json& choices = schema["enum"];
        EXPECT_NE(std::find(choices.begin(), choices.end(), value), choices.end())
            << path << " is " << value.dump() << ", not one of " << choices.dump();
    }
    if (value.is_object()) expect_object_matches(value, schema, path);
    if (value.is_array() && schema.contains("items"))
        for (std::size_t i = 0; i < value.size(); ++i)
            expect_matches_schema(value[i], schema["items"], path + "[" + std::to_string(i) + "]");
}

const json& published_schema(const std::string& name) {
    static std::map<std::string, json> schemas;
    auto found = schemas.find(name);
    if (found == schemas.end())
        found =
            schemas.emplace(name, json::parse(read_file(std::string(SOURCE_DIR) + "/docs/" + name)))
                .first;
    return found->second;
}

}  // namespace testsupport

// Checking a JSON document against the JSON Schema the project publishes for it
// (docs/*.schema.json), with nlohmann-json as the parser. Only the part of JSON Schema those files
// use: type (one or a list), const, enum, required, properties, additionalProperties false, items.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace testsupport {

// Every mismatch is a test failure naming its path in the document ("report.stages[2].pid").
void expect_matches_schema(const nlohmann::json& value, const nlohmann::json& schema,
                           const std::string& path);

// docs/NAME, read once and parsed.
const nlohmann::json& published_schema(const std::string& name);

}  // namespace testsupport

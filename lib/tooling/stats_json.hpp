// A small JSON reader for the result lines `patter stats` reads: objects,
// arrays, strings (with \u escapes), numbers, true, false, null. Bounded:
// nesting deeper than 32 is an error, never a stack overflow.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace patter::detail {

struct JsonValue {
  // The destructor is declared here and defined below the class: clang with
  // libstdc++ 12 otherwise needs `members`' pair complete while building it.
  JsonValue() = default;
  JsonValue(const JsonValue&) = default;
  JsonValue(JsonValue&&) noexcept = default;
  JsonValue& operator=(const JsonValue&) = default;
  JsonValue& operator=(JsonValue&&) noexcept = default;
  ~JsonValue();

  enum class Kind : unsigned char { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<JsonValue> items;                            // array
  std::vector<std::pair<std::string, JsonValue>> members;  // object, in order

  const JsonValue* find(std::string_view key) const noexcept {
    for (const auto& [k, v] : members)
      if (k == key) return &v;
    return nullptr;
  }
};
inline JsonValue::~JsonValue() = default;

/// Parse one JSON text (surrounding whitespace allowed). False with a
/// message naming the column on error.
bool parse_json(std::string_view text, JsonValue& out, std::string& error);

}  // namespace patter::detail

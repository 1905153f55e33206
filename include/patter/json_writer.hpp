// patter/json_writer.hpp — JSON written in order, commas and escapes done.
//
//   patter::JsonWriter w;
//   w.object()
//       .field("script", script->id())
//       .field("calls", 300)
//       .key("grades").array().value("A").value("B").end()
//       .key("accuracy").fixed(0.953, 4)
//       .end();
//   std::string json = w.take();   // {"script":"edu_screening","calls":300,
//                                  //  "grades":["A","B"],"accuracy":0.9530}
//
// The library writes every JSON it produces through this one class (call
// results, reports, test results), and hosts may too, so escaping and
// number formats agree everywhere:
//   - strings: quotes, backslashes and control characters escaped, UTF-8
//     kept as it is, and a byte that is not UTF-8 written as \ufffd, so the
//     output is valid JSON whatever the text held;
//   - value(double): the shortest text that reads back as the same number;
//     fixed(d, n): n digits after the point; not-a-number and infinities are
//     written as null.
// The writer trusts its caller to pair object()/array() with end() and to
// give every member of an object a key.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patter {
namespace detail {
/// A number written as an integer: bool and char are not numbers here.
template <class T>
concept JsonInteger = std::integral<T> && !std::same_as<T, bool> && !std::same_as<T, char>;
}  // namespace detail

class JsonWriter {
 public:
  JsonWriter() = default;
  /// Adds members to `object`, a JSON object already written (e.g. a
  /// to_json() result): the writer stands inside it, before its `}`; end()
  /// closes it again.
  static JsonWriter extending(std::string object);

  JsonWriter& object() { return open('{'); }
  JsonWriter& array() { return open('['); }
  /// Closes the innermost open object or array.
  JsonWriter& end();
  /// A member's key in the current object; its value comes next.
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) { return raw(b ? "true" : "false"); }
  JsonWriter& value(double d);
  JsonWriter& value(float f);  ///< the shortest text that reads back as this float
  template <detail::JsonInteger T>
  JsonWriter& value(T n) {
    return std::signed_integral<T> ? integer(static_cast<std::int64_t>(n))
                                   : unsigned_integer(static_cast<std::uint64_t>(n));
  }
  /// `d` with exactly `decimals` digits after the point.
  JsonWriter& fixed(double d, int decimals);
  JsonWriter& null() { return raw("null"); }
  /// Text that is JSON already (another to_json()).
  JsonWriter& raw(std::string_view json);

  /// key(k), then value(v).
  template <class T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }
  /// An array of the strings (or numbers) in `items`.
  template <class Range>
  JsonWriter& values(const Range& items) {
    array();
    for (const auto& item : items) value(item);
    return end();
  }

  const std::string& str() const noexcept { return out_; }
  std::string take() noexcept { return std::move(out_); }

  /// `s` as a quoted JSON string.
  static std::string quote(std::string_view s);
  /// Appends `s` to `out` as the inside of a JSON string.
  static void escape(std::string& out, std::string_view s);

 private:
  JsonWriter& open(char bracket);
  JsonWriter& integer(std::int64_t n);
  JsonWriter& unsigned_integer(std::uint64_t n);
  void separate();

  std::string out_;
  /// Per open object or array: its closing bracket, and whether it has a
  /// member yet (the next one needs a comma).
  struct Level {
    char close;
    bool filled;
  };
  std::vector<Level> open_;
  bool after_key_ = false;
};

}  // namespace patter

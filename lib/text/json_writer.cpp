// JsonWriter: the one place patter turns values into JSON text.
#include "patter/json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "text/utf8.hpp"

namespace patter {

JsonWriter JsonWriter::extending(std::string object) {
  JsonWriter w;
  const std::size_t close = object.rfind('}');
  if (close == std::string::npos) {
    w.object();
    return w;
  }
  object.resize(close);
  const std::size_t last = object.find_last_not_of(" \t\r\n");
  const bool filled = last != std::string::npos && object[last] != '{';
  w.out_ = std::move(object);
  w.open_.push_back({'}', filled});
  return w;
}

JsonWriter& JsonWriter::open(char bracket) {
  separate();
  out_ += bracket;
  open_.push_back({bracket == '{' ? '}' : ']', false});
  return *this;
}

JsonWriter& JsonWriter::end() {
  if (open_.empty()) return *this;
  out_ += open_.back().close;
  open_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  separate();
  out_ += '"';
  escape(out_, k);
  out_ += "\":";
  after_key_ = true;
  return *this;
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (open_.empty()) return;
  if (open_.back().filled) out_ += ',';
  open_.back().filled = true;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  separate();
  out_ += '"';
  escape(out_, s);
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  if (!std::isfinite(d)) return null();
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", d);
  return *this;
}

JsonWriter& JsonWriter::value(float f) {
  if (!std::isfinite(f)) return null();
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", f);
  return *this;
}

JsonWriter& JsonWriter::fixed(double d, int decimals) {
  if (!std::isfinite(d)) return null();
  separate();
  fmt::format_to(std::back_inserter(out_), "{:.{}f}", d, decimals);
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t n) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", n);
  return *this;
}

JsonWriter& JsonWriter::unsigned_integer(std::uint64_t n) {
  separate();
  fmt::format_to(std::back_inserter(out_), "{}", n);
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

std::string JsonWriter::quote(std::string_view s) {
  std::string out = "\"";
  escape(out, s);
  out += '"';
  return out;
}

void JsonWriter::escape(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  // The control characters JSON has a letter for (the rest as \u00XX).
  static constexpr std::string_view kNamed = "\n\r\t";
  static constexpr char kLetter[] = "nrt";
  for (std::size_t i = 0; i < s.size();) {
    const char ch = s[i];
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      // A byte that is not UTF-8 (a host's variable, a restored transcript)
      // becomes U+FFFD, so the JSON stays valid whatever the text held.
      const std::size_t at = i;
      bool bad = false;
      detail::decode_utf8(s, i, bad);
      if (bad)
        out += "\\ufffd";
      else
        out.append(s.substr(at, i - at));
      continue;
    }
    ++i;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20) {
      out += ch;
    } else if (const std::size_t k = kNamed.find(ch); k != std::string_view::npos) {
      out += '\\';
      out += kLetter[k];
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

}  // namespace patter

#include "tooling/stats_json.hpp"

#include <cstdlib>

#include "text/utf8.hpp"

namespace patter::detail {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  bool document(JsonValue& out, std::string& error) {
    space();
    if (!value(out, 0)) return fail(error);
    space();
    if (i_ != s_.size()) {
      why_ = "unexpected text after the value";
      return fail(error);
    }
    return true;
  }

 private:
  bool fail(std::string& error) {
    error = why_ + " at column " + std::to_string(i_ + 1);
    return false;
  }
  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) {
      why_ = "unexpected character";
      return false;
    }
    i_ += word.size();
    return true;
  }
  bool value(JsonValue& v, int depth) {
    if (depth > 32) {
      why_ = "nested too deep";
      return false;
    }
    if (i_ >= s_.size()) {
      why_ = "the line ends too early";
      return false;
    }
    switch (s_[i_]) {
      case '{': return object(v, depth);
      case '[': return array(v, depth);
      case '"': v.kind = JsonValue::Kind::string; return string(v.text);
      case 't':
        v.kind = JsonValue::Kind::boolean;
        v.boolean = true;
        return literal("true");
      case 'f':
        v.kind = JsonValue::Kind::boolean;
        v.boolean = false;
        return literal("false");
      case 'n': v.kind = JsonValue::Kind::null; return literal("null");
      default: return number(v);
    }
  }
  bool number(JsonValue& v) {
    const std::size_t start = i_;
    while (i_ < s_.size() &&
           (std::string_view("+-0123456789.eE").find(s_[i_]) != std::string_view::npos))
      ++i_;
    if (i_ == start) {
      why_ = "unexpected character";
      return false;
    }
    const std::string digits(s_.substr(start, i_ - start));
    char* end = nullptr;
    v.kind = JsonValue::Kind::number;
    v.number = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) {
      i_ = start;
      why_ = "not a number";
      return false;
    }
    return true;
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool hex4(char32_t& cp) {
    if (i_ + 4 > s_.size()) return false;
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      const int h = hex(s_[i_ + k]);
      if (h < 0) return false;
      cp = cp * 16 + static_cast<char32_t>(h);
    }
    i_ += 4;
    return true;
  }
  bool string(std::string& out) {
    ++i_;  // the opening quote
    out.clear();
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) {
        --i_;
        why_ = "a control character inside a string";
        return false;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          char32_t cp = 0;
          if (!hex4(cp)) {
            why_ = "a bad \\u escape";
            return false;
          }
          if (cp >= 0xD800 && cp < 0xDC00 && s_.substr(i_, 2) == "\\u") {
            i_ += 2;
            char32_t lo = 0;
            if (!hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) {
              why_ = "a bad surrogate pair";
              return false;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = kReplacementChar;
          }
          append_utf8(out, cp);
          break;
        }
        default:
          --i_;
          why_ = "an unknown escape";
          return false;
      }
    }
    why_ = "a string that is not closed";
    return false;
  }
  bool array(JsonValue& v, int depth) {
    v.kind = JsonValue::Kind::array;
    ++i_;
    space();
    if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
    for (;;) {
      v.items.emplace_back();
      space();
      if (!value(v.items.back(), depth + 1)) return false;
      space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
      why_ = "expected `,` or `]`";
      return false;
    }
  }
  bool object(JsonValue& v, int depth) {
    v.kind = JsonValue::Kind::object;
    ++i_;
    space();
    if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
    for (;;) {
      space();
      if (i_ >= s_.size() || s_[i_] != '"') {
        why_ = "expected a key in quotes";
        return false;
      }
      std::string key;
      if (!string(key)) return false;
      space();
      if (i_ >= s_.size() || s_[i_] != ':') {
        why_ = "expected `:`";
        return false;
      }
      ++i_;
      space();
      v.members.emplace_back(std::move(key), JsonValue{});
      if (!value(v.members.back().second, depth + 1)) return false;
      space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
      why_ = "expected `,` or `}`";
      return false;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string why_;
};

}  // namespace

bool parse_json(std::string_view text, JsonValue& out, std::string& error) {
  out = JsonValue{};
  return Reader(text).document(out, error);
}

}  // namespace patter::detail

// What the fuzzers share: reading values from the fuzzer's bytes, the
// bundled scripts loaded once per process, and a check that stops the run.
//
//   FuzzInput in(data, size);
//   const auto& script = bundled_scripts()[in.byte() % bundled_scripts().size()];
//   std::string_view text = in.slice(in.byte());
//   PATTER_FUZZ_CHECK(!text.empty() || in.empty(), "an empty slice before the end");
//
// A failed check prints what broke and traps, which libFuzzer reports as a
// crash with the input that caused it.
#pragma once

#include <patter/patter.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#ifndef PATTER_SOURCE_DIR
#error "PATTER_SOURCE_DIR must name the source tree (tests/fuzz/CMakeLists.txt defines it)"
#endif

#define PATTER_FUZZ_CHECK(cond, what)                                                              \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, what, #cond); \
      __builtin_trap();                                                                            \
    }                                                                                              \
  } while (0)

namespace patter::fuzz {

/// The fuzzer's bytes, read front to back. Past the end every read gives
/// zeros and empty slices, so a decoder never needs to test for the end.
class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const noexcept { return pos_ >= size_; }
  std::size_t left() const noexcept { return size_ - pos_; }

  std::uint8_t byte() noexcept { return empty() ? 0 : data_[pos_++]; }
  std::uint16_t u16() noexcept {
    const std::uint16_t lo = byte();
    return static_cast<std::uint16_t>(lo | (byte() << 8));
  }
  std::uint32_t u32() noexcept {
    const std::uint32_t lo = u16();
    return lo | (static_cast<std::uint32_t>(u16()) << 16);
  }
  /// The next `n` bytes (fewer at the end), as text.
  std::string_view slice(std::size_t n) noexcept {
    n = std::min(n, left());
    std::string_view s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }
  /// Everything not read yet.
  std::string_view rest() noexcept { return slice(left()); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

/// examples/scripts/*.yaml, compiled, in file-name order. Loading is slow
/// next to one fuzz run, so it happens once, on first use.
inline const std::vector<std::shared_ptr<const Script>>& bundled_scripts() {
  static const std::vector<std::shared_ptr<const Script>> scripts = [] {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& e :
         fs::directory_iterator(fs::path(PATTER_SOURCE_DIR) / "examples" / "scripts"))
      if (e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<std::shared_ptr<const Script>> out;
    for (const auto& f : files) {
      LoadResult r = load_file(f.string());
      if (!r.ok()) {
        for (const auto& d : r.diagnostics) std::fprintf(stderr, "%s\n", format(d).c_str());
        std::fprintf(stderr, "a bundled script does not load: %s\n", f.c_str());
        std::abort();
      }
      out.push_back(r.script);
    }
    if (out.empty()) {
      std::fprintf(stderr, "no scripts in %s/examples/scripts\n", PATTER_SOURCE_DIR);
      std::abort();
    }
    return out;
  }();
  return scripts;
}

/// A call on `script`, every required variable given a plausible value.
inline Session start_call(const std::shared_ptr<const Script>& script,
                          SessionOptions options = {}) {
  std::vector<VariableValue> vars;
  for (const Variable& v : script->variables()) {
    if (!v.required) continue;
    const std::string_view value = v.type == Variable::Type::number    ? "42"
                                   : v.type == Variable::Type::boolean ? "true"
                                                                       : "张先生";
    vars.emplace_back(v.name, value);
  }
  Started s = Session::start(script, vars, options);
  if (!s.ok()) {
    std::fprintf(stderr, "cannot start a call on %s: %s\n", script->id().c_str(),
                 s.message().c_str());
    std::abort();
  }
  return std::move(*s);
}

/// True when `s` is well-formed UTF-8.
inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  while (i < s.size()) {
    const unsigned char c = p[i];
    std::size_t len;
    char32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

}  // namespace patter::fuzz

#include "yaml/source.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "text/utf8.hpp"

namespace patter::detail {
namespace {

Diagnostic error_at(SourceLocation where, Code code, std::string message, std::string_view hint) {
  return {std::move(where), Severity::error, code, std::move(message), std::string(hint)};
}

}  // namespace

SourceLocation locate(const std::string& file, std::string_view text, std::size_t offset) {
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return {file, line, col};
}

Diagnostic source_too_large(const std::string& file, std::size_t size, const SourceLimits& limits,
                            const SourceKind& kind) {
  return error_at(
      {file, 0, 0}, Code::file_too_large,
      size ? fmt::format("{} is {} bytes, over the limit of {}", kind.noun, size,
                         limits.max_file_bytes)
           : fmt::format("{} is over the limit of {} bytes", kind.noun, limits.max_file_bytes),
      kind.too_large_hint);
}

bool read_source(const std::string& path, const SourceLimits& limits, const SourceKind& kind,
                 std::string& text, std::vector<Diagnostic>& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::ifstream in;
  if (!fs::is_directory(path, ec)) in.open(path, std::ios::binary);
  if (!in.is_open()) {
    out.push_back(error_at({path, 0, 0}, Code::io_error,
                           fmt::format("cannot read {}`{}`", kind.unreadable, path),
                           kind.unreadable_hint));
    return false;
  }
  // Asked before reading, so that a huge file costs nothing.
  const auto size = fs::file_size(path, ec);
  if (!ec && size > limits.max_file_bytes) {
    out.push_back(source_too_large(path, static_cast<std::size_t>(size), limits, kind));
    return false;
  }
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    out.push_back(error_at({path, 0, 0}, Code::io_error,
                           fmt::format("cannot read {}`{}`", kind.unreadable, path),
                           kind.unreadable_hint));
    return false;
  }
  return true;
}

bool check_source(std::string_view text, const std::string& file, const SourceLimits& limits,
                  const SourceKind& kind, std::string_view& checked, std::vector<Diagnostic>& out) {
  if (text.size() > limits.max_file_bytes) {
    out.push_back(source_too_large(file, text.size(), limits, kind));
    return false;
  }
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    out.push_back(error_at(
        locate(file, text, bad), Code::invalid_utf8,
        fmt::format("byte 0x{:02X} is not valid UTF-8", static_cast<unsigned char>(text[bad])),
        kind.utf8_hint));
    return false;
  }
  for (std::size_t i = 0; kind.yaml && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      out.push_back(error_at(
          locate(file, text, i), Code::yaml_syntax,
          fmt::format("control character U+{:04X} is not allowed{}", c, kind.control_where),
          kind.control_hint));
      return false;
    }
  }
  checked = text;
  return true;
}

}  // namespace patter::detail

#include "yaml/source.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

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

namespace {

// Closes the descriptor however reading ends.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Diagnostic unreadable(const std::string& path, const SourceKind& kind, std::string_view why = {}) {
  return error_at({path, 0, 0}, Code::io_error,
                  fmt::format("cannot read {}`{}`{}", kind.unreadable, path, why),
                  kind.unreadable_hint);
}

// Reads at most `limit` + 1 bytes: one more than allowed tells "too large"
// from "just fits" for files whose size the file system does not know.
bool read_bounded(int fd, std::size_t limit, std::string& text) {
  text.clear();
  char buf[65536];
  while (text.size() <= limit) {
    const std::size_t want = std::min(sizeof buf, limit + 1 - text.size());
    const ssize_t n = ::read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

bool read_source(const std::string& path, const SourceLimits& limits, const SourceKind& kind,
                 std::string& text, std::vector<Diagnostic>& out) {
  // Non-blocking, so that opening a FIFO returns at once; then only a
  // regular file is read: not a device (/dev/zero never ends), a FIFO
  // (a read would wait for a writer forever) or a folder.
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (f.fd < 0) {
    out.push_back(unreadable(path, kind));
    return false;
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) {
    out.push_back(unreadable(path, kind));
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    out.push_back(unreadable(path, kind,
                             S_ISDIR(st.st_mode) ? std::string_view(": it is a folder")
                                                 : std::string_view(": it is not a regular file")));
    return false;
  }
  // Asked of the open file before reading, so that a huge file costs nothing.
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > limits.max_file_bytes) {
    out.push_back(source_too_large(path, static_cast<std::size_t>(size), limits, kind));
    return false;
  }
  if (!read_bounded(f.fd, limits.max_file_bytes, text)) {
    out.push_back(unreadable(path, kind));
    return false;
  }
  if (text.size() > limits.max_file_bytes) {  // it grew while being read
    out.push_back(source_too_large(path, 0, limits, kind));
    text.clear();
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
  if (const std::size_t i = kind.yaml ? find_control_char(text) : std::string_view::npos;
      i != std::string_view::npos) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(
        error_at(locate(file, text, i), Code::yaml_syntax,
                 fmt::format("control character U+{:04X} is not allowed{}", c, kind.control_where),
                 kind.control_hint));
    return false;
  }
  checked = text;
  return true;
}

}  // namespace patter::detail

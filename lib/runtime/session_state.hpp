// A session's heap block: where its variables, counts and log live.
//
// One allocation per session, so a live call costs one malloc chunk besides
// the Session itself (and its own texts). Laid out as 8-byte words:
//
//   vars     one word per declared variable: a number or boolean as a
//            double, or for a text variable a pointer to the session's own
//            OwnText (null: the script's default)
//   counts   u16 per node (visits), per intent (heard), per global handler
//            (runs), then the tag bits, 16 to a word
//   log      u32 per node entered or tag added, in order; a tag is
//            kTagEntry | TagId. Grows at the end, by realloc.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

#include "patter/session.hpp"

namespace patter {

/// A text value owned by a session: a variable set by the host or captured.
struct OwnText {
  std::uint32_t size;
  std::uint32_t capacity;
  char* data() noexcept { return reinterpret_cast<char*>(this + 1); }
  const char* data() const noexcept { return reinterpret_cast<const char*>(this + 1); }
  std::string_view view() const noexcept { return {data(), size}; }
};

inline constexpr std::uint32_t kTagEntry = 0x80000000u;

/// What the last line said was (Session::line_kind_), so that it can be
/// said on after a false interruption; its owner is a node or a handler.
enum class LineKind : std::uint8_t { none, node, no_match, no_input, handler, hold };
inline constexpr std::uint8_t kLastLineKind = static_cast<std::uint8_t>(LineKind::hold);
inline constexpr std::uint32_t kFirstLogCapacity = 4;

/// Where things are in a session's block, for one script.
struct SessionLayout {
  std::uint32_t vars, nodes, intents, globals, tag_words;
  explicit SessionLayout(const Script& s) noexcept
      : vars(s.counts_[0]), nodes(s.counts_[1]), intents(s.counts_[2]), globals(s.counts_[3]),
        tag_words(s.counts_[4]) {}
  std::size_t visits() const noexcept { return 0; }
  std::size_t heard() const noexcept { return nodes; }
  std::size_t runs() const noexcept { return std::size_t{nodes} + intents; }
  std::size_t tags() const noexcept { return std::size_t{nodes} + intents + globals; }
  std::size_t counts() const noexcept { return tags() + tag_words; }
  std::size_t counts_at() const noexcept { return std::size_t{vars} * 8; }  // bytes
  std::size_t log_at() const noexcept { return (counts_at() + counts() * 2 + 3) & ~std::size_t{3}; }
  std::size_t bytes(std::uint32_t log_capacity) const noexcept {
    const std::size_t n = log_at() + std::size_t{log_capacity} * 4;
    return (n + 7) & ~std::size_t{7};
  }
};

/// The block's parts, and the rules for the texts it points to.
struct SessionAccess {
  static std::uint64_t* vars(const Session& s) noexcept { return s.block_.words; }
  static std::uint16_t* counts(const Session& s, const SessionLayout& l) noexcept {
    return reinterpret_cast<std::uint16_t*>(reinterpret_cast<char*>(s.block_.words) + l.counts_at());
  }
  static std::uint32_t* log(const Session& s, const SessionLayout& l) noexcept {
    return reinterpret_cast<std::uint32_t*>(reinterpret_cast<char*>(s.block_.words) + l.log_at());
  }

  static double number(const Session& s, VariableId v) noexcept {
    double d;
    std::memcpy(&d, &s.block_.words[v], sizeof d);
    return d;
  }
  static void set_number(Session& s, VariableId v, double d) noexcept { std::memcpy(&s.block_.words[v], &d, sizeof d); }
  /// A text variable's own value, or null when it has the script's default.
  static const OwnText* text(const Session& s, VariableId v) noexcept {
    return reinterpret_cast<const OwnText*>(static_cast<std::uintptr_t>(s.block_.words[v]));
  }
  static void set_text(Session& s, VariableId v, std::string_view value) {
    OwnText* t = reinterpret_cast<OwnText*>(static_cast<std::uintptr_t>(s.block_.words[v]));
    if (!t || t->capacity < value.size()) {
      // Room for a little growth: captures of the same variable reuse it.
      const std::size_t cap = value.size() < 8 ? 8 : value.size();
      auto* grown = static_cast<OwnText*>(std::malloc(sizeof(OwnText) + cap));
      if (!grown) throw std::bad_alloc();
      grown->capacity = static_cast<std::uint32_t>(cap);
      std::free(t);
      t = grown;
      s.block_.words[v] = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(t));
    }
    t->size = static_cast<std::uint32_t>(value.size());
    if (!value.empty()) std::memcpy(t->data(), value.data(), value.size());
  }
  static bool is_text(const Script& sc, VariableId v) noexcept {
    return sc.variables()[v].type == Variable::Type::text;
  }

  /// Append to the log, growing the block when it is full.
  static void log_push(Session& s, const SessionLayout& l, std::uint32_t entry) {
    if (s.log_size_ == s.log_cap_) {
      const std::uint32_t cap = s.log_cap_ ? s.log_cap_ * 2 : kFirstLogCapacity;
      void* grown = std::realloc(s.block_.words, l.bytes(cap));
      if (!grown) throw std::bad_alloc();
      s.block_.words = static_cast<std::uint64_t*>(grown);
      s.log_cap_ = cap;
    }
    log(s, l)[s.log_size_++] = entry;
  }

  /// Nodes entered so far (the log without the tags).
  static std::uint32_t nodes_passed(const Session& s) noexcept {
    if (!s.block_.words) return 0;
    const SessionLayout l(*s.script_);
    const std::uint32_t* e = log(s, l);
    std::uint32_t n = 0;
    for (std::uint32_t i = 0; i < s.log_size_; ++i) n += (e[i] & kTagEntry) == 0;
    return n;
  }

  /// Whether any node was entered (the call was answered, or handed to the
  /// robot at a node).
  static bool entered_any(const Session& s) noexcept {
    if (!s.block_.words) return false;
    const std::uint32_t* e = log(s, SessionLayout(*s.script_));
    for (std::uint32_t i = 0; i < s.log_size_; ++i)
      if (!(e[i] & kTagEntry)) return true;
    return false;
  }

  /// A zeroed block for `script`, with room for `log_capacity` entries.
  static std::uint64_t* new_block(const SessionLayout& l, std::uint32_t log_capacity) {
    void* b = std::calloc(1, l.bytes(log_capacity));
    if (!b) throw std::bad_alloc();
    return static_cast<std::uint64_t*>(b);
  }
};

}  // namespace patter

// Reading and writing a session's state (detail::SessionState in
// patter/session.hpp) in the script's terms: variables, counts, the log.
//
//   values   8 bytes per declared variable: a number or boolean as a double,
//            or for a text variable where its own text sits further on in
//            `values` (kNone: the script's default); then those texts.
//   counts   u16 per node (visits), per intent (heard), per global handler
//            (runs), then the tag bits, 16 to a word, then (in a script
//            with A/B tests) the variant seed (SessionOptions::variant_key
//            hashed), then (in a script with flows) room for the callers of
//            kMaxFlowDepth flows, each as 1 + its node id; then,
//            once the call has escalated or asked the host (flag kExtras),
//            the extras (kExtraWords u16: Extras below); then the log: a u32
//            per node entered or tag added (kTagEntry | TagId), in order,
//            each written as two u16 (low half first).
//
// The extras live in the counts, made when first needed, because most calls
// never need them: they cost such a call nothing, and a call that needs them
// grows the buffer it already has (as its log does) instead of allocating.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "patter/session.hpp"

namespace patter {

inline constexpr std::uint32_t kTagEntry = 0x80000000u;

namespace detail {
/// A time variable's value from the host: milliseconds since 1970 UTC, as
/// decimal digits (an optional leading `-`).
inline std::optional<std::int64_t> parse_time_value(std::string_view v) noexcept {
  std::int64_t ms = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), ms);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty()) return std::nullopt;
  return ms;
}
}  // namespace detail

/// What the last line said was (SessionState::line_kind), so that it can be
/// said on after a false interruption; its owner is a node or a handler.
enum class LineKind : std::uint8_t { none, node, no_match, no_input, handler, hold, clarify };
inline constexpr std::uint8_t kLastLineKind = static_cast<std::uint8_t>(LineKind::clarify);
/// Longest text kept in a transcript entry, in bytes (cut between characters).
inline constexpr std::size_t kTranscriptTextMax = 1024;
/// Log entries a new session has room for.
inline constexpr std::uint32_t kFirstLogCapacity = 4;

/// Where things are in a session's counts, for one script.
struct SessionLayout {
  std::uint32_t vars, nodes, intents, globals, tag_words, flow_words, seed_words;
  explicit SessionLayout(const Script& s) noexcept
      : vars(s.counts_[0]),
        nodes(s.counts_[1]),
        intents(s.counts_[2]),
        globals(s.counts_[3]),
        tag_words(s.counts_[4]),
        flow_words(s.counts_[5]),
        seed_words(s.counts_[6]) {}
  std::size_t visits() const noexcept { return 0; }
  std::size_t heard() const noexcept { return nodes; }
  std::size_t runs() const noexcept { return std::size_t{nodes} + intents; }
  std::size_t tags() const noexcept { return std::size_t{nodes} + intents + globals; }
  /// The variant seed's word (seed_words is 1 in a script with A/B tests).
  std::size_t seed() const noexcept { return tags() + tag_words; }
  /// The flows' callers, outermost first, each as 1 + its node id (0: none).
  std::size_t flows() const noexcept { return seed() + seed_words; }
  /// Where the log starts.
  std::uint32_t counts() const noexcept { return static_cast<std::uint32_t>(flows() + flow_words); }
  std::uint32_t slots() const noexcept { return vars * 8u; }  // bytes of values before the texts
};

/// The state of waiting for a person or for the host's answer, kept among
/// the counts once the call needs it (SessionAccess::extras).
struct Extras {
  std::uint64_t waiting_since = 0;  ///< the escalation waiting for a person
  std::uint64_t ask_deadline = 0;   ///< the host's answer to `understand` is due
  std::uint16_t escalations = 0;
  std::uint16_t hold_said = 0;     ///< hold lines said for the waiting escalation
  std::uint16_t person_turns = 0;  ///< replies while waiting for or talking to a person
  std::uint16_t ask_length = 0;    ///< characters of the reply the host was asked about
  std::uint16_t fetch_id = 0;      ///< the last fetch's id (fetches asked so far)
  std::uint16_t unused[3] = {};    ///< (room to the next 8 bytes, zeros)
};
inline constexpr std::uint32_t kExtraWords = sizeof(Extras) / 2;
static_assert(sizeof(Extras) == 32 && std::is_trivially_copyable_v<Extras>);

/// A text variable's place in `values`.
struct TextSlot {
  std::uint32_t at = kNone;  ///< kNone: the script's default
  std::uint32_t size = 0;
};

/// The state's parts, and the rules for the texts and the log.
struct SessionAccess {
  static detail::SessionState& state(Session& s) noexcept { return s.st_; }
  static const detail::SessionState& state(const Session& s) noexcept { return s.st_; }

  /// A fresh state for `script`: numbers 0, texts the defaults, no counts.
  static void init(detail::SessionState& st, const Script& script) {
    const SessionLayout l(script);
    st.values.resize(l.slots());
    for (VariableId v = 0; v < l.vars; ++v)
      if (is_text(script, v)) put_slot(st, v, TextSlot{});
    st.counts.reserve(l.counts() + 2 * kFirstLogCapacity);
    st.counts.resize(l.counts());
  }

  static double number(const Session& s, VariableId v) noexcept {
    double d;
    std::memcpy(&d, s.st_.values.data() + std::size_t{v} * 8, sizeof d);
    return d;
  }
  static void set_number(Session& s, VariableId v, double d) noexcept {
    std::memcpy(s.st_.values.data() + std::size_t{v} * 8, &d, sizeof d);
  }
  static TextSlot slot(const detail::SessionState& st, VariableId v) noexcept {
    TextSlot t;
    std::memcpy(&t, st.values.data() + std::size_t{v} * 8, sizeof t);
    return t;
  }
  static void put_slot(detail::SessionState& st, VariableId v, TextSlot t) noexcept {
    std::memcpy(st.values.data() + std::size_t{v} * 8, &t, sizeof t);
  }
  /// A text variable's own value, or nothing when it has the script's default.
  static std::optional<std::string_view> text(const Session& s, VariableId v) noexcept {
    const TextSlot t = slot(s.st_, v);
    if (t.at == kNone) return std::nullopt;
    // An empty value may sit in an empty buffer: never hand out a null view.
    if (t.size == 0) return std::string_view("", 0);
    return std::string_view(s.st_.values.data() + t.at, t.size);
  }
  /// Replace a text variable's own value: its old bytes go, the others move
  /// down, the new ones go last. Only grows `values` when the texts together
  /// grow past its room.
  static void set_text(Session& s, VariableId v, std::string_view value) {
    detail::SessionState& st = s.st_;
    const SessionLayout l(*s.script_);
    const TextSlot old = slot(st, v);
    if (old.at != kNone) {
      st.values.erase(old.at, old.size);
      for (VariableId o = 0; o < l.vars; ++o) {
        if (!is_text(*s.script_, o)) continue;
        TextSlot t = slot(st, o);
        if (t.at != kNone && t.at > old.at) t.at -= old.size;
        put_slot(st, o, t);
      }
    }
    const std::uint32_t at = st.values.size();
    st.values.resize(at + static_cast<std::uint32_t>(value.size()));
    if (!value.empty()) std::memcpy(st.values.data() + at, value.data(), value.size());
    put_slot(st, v, TextSlot{at, static_cast<std::uint32_t>(value.size())});
  }
  /// Text and time variables keep their bytes in `values`.
  static bool is_text(const Script& sc, VariableId v) noexcept {
    const Variable::Type t = sc.variables()[v].type;
    return t == Variable::Type::text || t == Variable::Type::time;
  }

  // A time variable's bytes: the moment (8 bytes, ms since 1970 UTC), then
  // the customer's words. Unset: no bytes of its own.
  static constexpr std::size_t kTimeBytes = sizeof(std::int64_t);
  static std::string_view time_words(const Session& s, VariableId v) noexcept {
    const auto own = text(s, v);
    return own && own->size() >= kTimeBytes ? own->substr(kTimeBytes) : std::string_view("", 0);
  }
  static std::optional<std::int64_t> time_ms(const Session& s, VariableId v) noexcept {
    const auto own = text(s, v);
    if (!own || own->size() < kTimeBytes) return std::nullopt;
    std::int64_t ms;
    std::memcpy(&ms, own->data(), sizeof ms);
    return ms;
  }
  /// Fill a time variable (rare: a reply that names a time, or the host's
  /// data), through one scratch string.
  static void set_time(Session& s, VariableId v, std::int64_t ms, std::string_view words) {
    std::string bytes(kTimeBytes + words.size(), '\0');
    std::memcpy(bytes.data(), &ms, sizeof ms);
    if (!words.empty()) std::memcpy(bytes.data() + kTimeBytes, words.data(), words.size());
    set_text(s, v, bytes);
  }

  static std::uint16_t* counts(Session& s) noexcept { return s.st_.counts.data(); }
  static const std::uint16_t* counts(const Session& s) noexcept { return s.st_.counts.data(); }

  /// The variant seed: SessionOptions::variant_key hashed (0 in a script
  /// without A/B tests).
  static std::uint16_t seed(const detail::SessionState& st, const SessionLayout& l) noexcept {
    return l.seed_words != 0 ? st.counts.data()[l.seed()] : std::uint16_t{0};
  }
  /// How many flows run, one inside another: the callers' words in use.
  static std::uint32_t flow_depth(const detail::SessionState& st, const SessionLayout& l) noexcept {
    const std::uint16_t* callers = st.counts.data() + l.flows();
    std::uint32_t depth = 0;
    while (depth < l.flow_words && callers[depth] != 0) ++depth;
    return depth;
  }

  /// Where the log starts: after the extras when the call has them.
  static std::uint32_t log_start(const detail::SessionState& st, const SessionLayout& l) noexcept {
    return l.counts() + (st.has(detail::kExtras) ? kExtraWords : 0);
  }
  /// The extras, or zeros when the call has none yet.
  static Extras extras(const detail::SessionState& st, const SessionLayout& l) noexcept {
    Extras x;
    if (st.has(detail::kExtras))
      std::memcpy(static_cast<void*>(&x), st.counts.data() + l.counts(), sizeof x);
    return x;
  }
  /// Change the extras, making room for them before the log the first time.
  template <class F>
  static void edit_extras(detail::SessionState& st, const SessionLayout& l, F&& f) {
    if (!st.has(detail::kExtras)) {
      const std::uint32_t log_words = st.counts.size() - l.counts();
      st.counts.resize(st.counts.size() + kExtraWords);
      std::uint16_t* at = st.counts.data() + l.counts();
      std::memmove(at + kExtraWords, at, std::size_t{log_words} * 2);
      std::memset(at, 0, sizeof(Extras));
      st.set(detail::kExtras);
    }
    Extras x = extras(st, l);
    f(x);
    std::memcpy(st.counts.data() + l.counts(), &x, sizeof x);
  }

  /// Entries in the log.
  static std::uint32_t log_size(const detail::SessionState& st, const SessionLayout& l) noexcept {
    return (st.counts.size() - log_start(st, l)) / 2;
  }
  static std::uint32_t log_entry(const detail::SessionState& st, const SessionLayout& l,
                                 std::uint32_t i) noexcept {
    const std::size_t at = log_start(st, l) + std::size_t{i} * 2;
    return std::uint32_t{st.counts[at]} | (std::uint32_t{st.counts[at + 1]} << 16);
  }
  /// Room for more of the log: twice the log so far, at least the first
  /// room again (apart from log_push, which is on every turn's path).
  [[gnu::noinline]] static void log_grow(detail::SessionState& st, const SessionLayout& l) {
    const std::uint32_t size = st.counts.size();
    st.counts.reserve(size +
                      std::max<std::uint32_t>(2 * kFirstLogCapacity, size - log_start(st, l)));
  }
  /// Append to the log; its room doubles when it is full.
  [[gnu::always_inline]] static void log_push(detail::SessionState& st, const SessionLayout& l,
                                              std::uint32_t entry) {
    if (st.counts.size() + 2 > st.counts.capacity()) [[unlikely]]
      log_grow(st, l);
    st.counts.push_two_reserved(static_cast<std::uint16_t>(entry & 0xFFFF),
                                static_cast<std::uint16_t>(entry >> 16));
  }
  [[gnu::always_inline]] static void log_push(Session& s, const SessionLayout& l,
                                              std::uint32_t entry) {
    log_push(s.st_, l, entry);
  }

  /// Each entry of the log, in order.
  template <class F>
  static void each_logged(const Session& s, F&& f) {
    const SessionLayout l(*s.script_);
    const std::uint32_t n = log_size(s.st_, l);
    for (std::uint32_t i = 0; i < n; ++i) f(log_entry(s.st_, l, i));
  }

  /// Nodes entered so far (the log without the tags).
  static std::uint32_t nodes_passed(const Session& s) noexcept {
    std::uint32_t n = 0;
    each_logged(s, [&](std::uint32_t e) { n += (e & kTagEntry) == 0; });
    return n;
  }

  /// Bytes the state holds on the heap, by the allocators' requests.
  static std::size_t heap_bytes(const detail::SessionState& st) noexcept {
    std::size_t n = 0;
    std::apply([&](const auto&... f) { ((n += heap_bytes_of(f)), ...); },
               detail::SessionState::fields(st));
    return n;
  }
  template <class T>
  static std::size_t heap_bytes_of(const T&) noexcept {
    return 0;  // a number, flag or enum: inside the Session
  }
  template <class T>
  static std::size_t heap_bytes_of(const detail::Buffer<T>& b) noexcept {
    return std::size_t{b.capacity()} * sizeof(T);
  }
  static std::size_t heap_bytes_of(const detail::Boxed<detail::Transcript>& t) noexcept {
    if (!t) return 0;
    std::size_t n = sizeof(detail::Transcript) + t->lines.capacity() * sizeof(TranscriptEntry);
    for (const TranscriptEntry& e : t->lines) {
      if (e.text.capacity() > std::string().capacity()) n += e.text.capacity() + 1;
      if (e.speaker.capacity() > std::string().capacity()) n += e.speaker.capacity() + 1;
    }
    return n;
  }

  /// Whether any node was entered (the call was answered, or handed to the
  /// robot at a node).
  static bool entered_any(const Session& s) noexcept { return nodes_passed(s) > 0; }
};

}  // namespace patter

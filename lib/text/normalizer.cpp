#include "patter/normalizer.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "text/char_table.hpp"
#include "text/utf8.hpp"

namespace patter {

using detail::CharClass;

namespace {

// Filler words, normalised, and a quick test for a segment that cannot be
// made of them.
struct FillerSet {
  std::vector<std::string> words;  // longest first, so a greedy cover prefers them
  // The first two bytes of every filler, hashed into 256 bits: most
  // segments begin with no filler, and this says so without comparing.
  std::array<std::uint64_t, 4> heads{};

  static unsigned head_bit(unsigned char a, unsigned char b) noexcept {
    return ((a * 31u) ^ (b * 7u)) & 255u;
  }
  void add_head(unsigned char a, unsigned char b) noexcept {
    const unsigned bit = head_bit(a, b);
    heads[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
  bool may_begin_filler(std::string_view s) const noexcept {
    if (words.empty()) return false;
    const unsigned bit = head_bit(static_cast<unsigned char>(s[0]),
                                  s.size() > 1 ? static_cast<unsigned char>(s[1]) : 0);
    return (heads[bit >> 6] >> (bit & 63)) & 1u;
  }
  // Is `seg` nothing but fillers?
  bool covers(std::string_view seg) const noexcept {
    if (!may_begin_filler(seg)) return false;
    while (!seg.empty()) {
      bool hit = false;
      for (const auto& f : words) {
        if (seg.substr(0, f.size()) == f) {
          seg.remove_prefix(f.size());
          hit = true;
          break;
        }
      }
      if (!hit) return false;
    }
    return true;
  }
};

}  // namespace

// What a Normalizer works out once: its fillers, and where its hot loop
// may skip the table.
struct Normalizer::Fillers {
  FillerSet set;
  const std::uint64_t* same = nullptr;  // detail::han_unchanged() of the locale
  bool zh = false;
};

namespace {

// Is the character at `i` a digit, ASCII or full width?
bool next_is_digit(std::string_view s, std::size_t i) {
  if (i >= s.size()) return false;
  const auto c = static_cast<unsigned char>(s[i]);
  if (c >= '0' && c <= '9') return true;
  // U+FF10..U+FF19 are EF BC 90..99
  return c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC &&
         static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
         static_cast<unsigned char>(s[i + 2]) <= 0x99;
}

// The punctuation and pause marks that end a clause, as speech recognisers
// write them (ASCII, full width, half width), and the host's line break.
bool ends_clause(char32_t c) noexcept {
  switch (c) {
    case '\n':
    case ',':
    case '.':
    case '?':
    case '!':
    case ';':
    case 0x3001:
    case 0x3002:
    case 0x2026:  // 、 。 …
    case 0xFF0C:
    case 0xFF0E:
    case 0xFF1F:
    case 0xFF01:
    case 0xFF1B:  // ， ． ？ ！ ；
    case 0xFF61:
    case 0xFF64:
    case 0xFE50:
    case 0xFE51:
    case 0xFE52:  // ｡ ､ and the small forms
    case 0xFE54:
    case 0xFE56:
    case 0xFE57: return true;
    default: return false;
  }
}

}  // namespace

Normalizer::Normalizer(NormalizeOptions options)
    : options_(std::move(options)), fillers_(new Fillers) {
  fillers_->zh = options_.locale.rfind("zh", 0) == 0;
  fillers_->same = detail::han_unchanged(fillers_->zh);
  if (options_.fillers.empty()) return;
  // Fillers go through the pipeline too, so "Um" and "ＵＭ" both mean "um".
  const Normalizer plain(NormalizeOptions{options_.locale, {}});
  for (const auto& f : options_.fillers) {
    std::string n;
    plain.normalize(f, n);
    if (!n.empty() && n.find_first_of(" |") == std::string::npos)
      fillers_->set.words.push_back(std::move(n));
  }
  std::vector<std::string>& words = fillers_->set.words;
  std::sort(words.begin(), words.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& f : words) {
    const auto a = static_cast<unsigned char>(f[0]);
    if (f.size() > 1) {
      fillers_->set.add_head(a, static_cast<unsigned char>(f[1]));
    } else {
      // A one-byte filler ("o") may be followed by anything, or by nothing.
      for (unsigned b = 0; b < 256; ++b) fillers_->set.add_head(a, static_cast<unsigned char>(b));
    }
  }
}

Normalizer::~Normalizer() = default;
Normalizer::Normalizer(Normalizer&&) noexcept = default;
Normalizer& Normalizer::operator=(Normalizer&&) noexcept = default;

std::string Normalizer::normalize(std::string_view text) const {
  std::string out;
  normalize(text, out);
  return out;
}

NormalizeResult Normalizer::normalize(std::string_view text, std::string& out) const {
  return normalize(text, out, Clauses::keep);
}

namespace {

// The normaliser's output, written through a pointer: `out` is sized ahead
// (the input's length, which is enough unless characters expand) and cut to
// what was written at the end, so a character costs a store, not a
// std::string append with its checks and a call to memcpy.
struct Writer {
  std::string& out;
  char* p;
  std::size_t w = 0, cap;

  explicit Writer(std::string& s, std::size_t want) : out(s) {
    out.resize(want);
    p = out.data();
    cap = want;
  }
  // Room for `n` more bytes.
  void room(std::size_t n) {
    if (w + n <= cap) [[likely]]
      return;
    out.resize(std::max(2 * cap, w + n + 16));
    p = out.data();
    cap = out.size();
  }
  char back() const noexcept { return p[w - 1]; }
  std::string_view from(std::size_t at) const noexcept { return {p + at, w - at}; }
  void finish() { out.resize(w); }
};

// One normalisation's output: the text written so far, and the segment
// (a run of characters between separators) being written, which is taken
// back at its end if it is nothing but fillers.
class Output {
 public:
  Output(std::string& out, std::size_t want, const FillerSet& fillers)
      : o_(out, want), fillers_(fillers) {}

  [[gnu::always_inline]] void emit(char32_t cp, CharClass cls) {
    open(cls);
    o_.w += detail::encode_utf8(cp, o_.p + o_.w);
    ++length_;
    last_ = cls;
  }
  // A Chinese character that stays itself: its three bytes as they came.
  [[gnu::always_inline]] void copy_han(const char* bytes) {
    open(CharClass::cjk);
    std::memcpy(o_.p + o_.w, bytes, 3);
    o_.w += 3;
    ++length_;
    last_ = CharClass::cjk;
  }
  // A separator; `clause`: one that ends a clause. The mark goes in at once
  // (once, and never first); one left last is taken back by finish().
  [[gnu::always_inline]] void separator(bool clause) {
    end_segment();
    gap_ = true;
    if (clause && o_.w != 0 && o_.back() != Normalizer::kClauseMark) {
      o_.room(1);
      o_.p[o_.w++] = Normalizer::kClauseMark;
    }
  }
  bool after_digit() const noexcept {
    return in_segment_ && o_.w != 0 && o_.back() >= '0' && o_.back() <= '9';
  }
  // Ends the text; returns its length in characters.
  std::uint32_t finish() {
    end_segment();
    if (o_.w != 0 && o_.back() == Normalizer::kClauseMark) --o_.w;
    o_.finish();
    return length_;
  }

 private:
  // Before a character of class `cls` is written: room for it, and the
  // segment it begins, if any.
  [[gnu::always_inline]] void open(CharClass cls) {
    o_.room(8);
    if (in_segment_) return;  // separators only ever come between segments
    segment_mark_ = o_.w;
    length_mark_ = length_;
    before_segment_ = last_;
    // After a clause mark nothing more separates; else a space, except
    // between two CJK characters.
    if (gap_ && o_.w != 0 && o_.back() != Normalizer::kClauseMark &&
        !(last_ == CharClass::cjk && cls == CharClass::cjk)) {
      o_.p[o_.w++] = ' ';
      ++length_;
    }
    gap_ = false;
    segment_start_ = o_.w;
    in_segment_ = true;
  }
  [[gnu::always_inline]] void end_segment() {
    if (!in_segment_) return;
    in_segment_ = false;
    if (!fillers_.covers(o_.from(segment_start_))) return;
    o_.w = segment_mark_;  // all fillers: as if it had never been said
    length_ = length_mark_;
    last_ = before_segment_;
  }

  Writer o_;
  const FillerSet& fillers_;
  CharClass last_ = CharClass::separator;  // class of the last character kept
  bool gap_ = false;                       // a separator since that character
  bool in_segment_ = false;
  CharClass before_segment_ = CharClass::separator;
  std::size_t segment_start_ = 0;  // where the current segment's text begins
  std::size_t segment_mark_ = 0;   // the size before the current segment (incl. its space)
  std::uint32_t length_ = 0;       // characters written, counted as they are written
  std::uint32_t length_mark_ = 0;  // `length_` before the current segment
};

// What the table says of a character: its class, and what it becomes.
struct Fate {
  CharClass cls;
  char32_t mapped;
  std::string_view many;  // non-empty when it becomes several characters
};
inline Fate fate_of(char32_t cp, const std::uint32_t* table, bool zh) {
  if (cp >= 0x10000) {
    const detail::CharFate f = detail::char_fate(cp, zh);
    return {f.cls, f.cp, f.many};
  }
  const std::uint32_t e = table[cp];
  const auto cls = static_cast<CharClass>((e >> detail::kFateClassShift) & 3);
  if (e & detail::kFateMany) return {cls, 0, detail::char_fate(cp, zh).many};
  return {cls, e & detail::kFateCpMask, {}};
}

}  // namespace

NormalizeResult Normalizer::normalize(std::string_view text, std::string& out,
                                      Clauses clauses) const {
  NormalizeResult result;
  if (text.size() > kMaxBytes) {
    result.truncated = true;
    std::size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  const bool zh = fillers_->zh;
  const bool keep_clauses = clauses == Clauses::keep;
  const std::uint64_t* same = fillers_->same;
  const std::uint32_t* table = detail::fate_table(zh);
  Output o(out, text.size() + 8, fillers_->set);
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      cp = lead;
      ++i;
      if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {  // the common case, no table
        o.emit(cp, CharClass::word);
        continue;
      }
    } else if (lead >= 0xE1 && lead <= 0xEC && i + 2 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) & 0xC0) == 0x80) {
      // Three-byte characters without overlong or surrogate cases: all of
      // CJK. Decoded inline.
      cp = (static_cast<char32_t>(lead & 0x0F) << 12) |
           (static_cast<char32_t>(static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
           (static_cast<unsigned char>(text[i + 2]) & 0x3F);
      i += 3;
      if (detail::is_unchanged_han(same, cp)) {
        o.copy_han(text.data() + i - 3);
        continue;
      }
    } else {
      bool bad = false;
      cp = detail::decode_utf8(text, i, bad);
      if (bad) result.invalid_utf8 = true;
    }
    const Fate f = fate_of(cp, table, zh);
    if (f.cls == CharClass::drop) continue;
    if (f.cls == CharClass::separator) {
      // A decimal point or thousands separator between digits is part of
      // the number: "3.5", "3,200" stay whole for number captures.
      const char32_t m = f.mapped;
      if ((m == '.' || m == ',' || m == 0xFF0E || m == 0xFF0C) && o.after_digit() &&
          next_is_digit(text, i)) {
        o.emit(m == 0xFF0E ? U'.' : m == 0xFF0C ? U',' : m, CharClass::word);
      } else {
        o.separator(keep_clauses && ends_clause(cp));
      }
      continue;
    }
    if (f.many.empty()) {
      o.emit(f.mapped, f.cls);
      continue;
    }
    for (std::size_t k = 0; k < f.many.size();) {
      bool ignored = false;
      const char32_t m = detail::decode_utf8(f.many, k, ignored);
      o.emit(m, detail::normalized_class(m) == CharClass::cjk ? CharClass::cjk : f.cls);
    }
  }
  result.length = o.finish();
  return result;
}

}  // namespace patter

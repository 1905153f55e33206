#include "patter/normalizer.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "text/char_table.hpp"
#include "text/utf8.hpp"

namespace patter {

using detail::CharClass;

// What a Normalizer works out once: its fillers, and where its hot loop
// may skip the table.
struct Normalizer::Fillers {
  std::vector<std::string> words;  // longest first, so a greedy cover prefers them
  // The first two bytes of every filler, hashed into 256 bits: most
  // segments begin with no filler, and this says so without comparing.
  std::array<std::uint64_t, 4> heads{};
  const std::uint64_t* same = nullptr;  // detail::han_unchanged() of the locale
  bool zh = false;

  static unsigned head_bit(unsigned char a, unsigned char b) noexcept {
    return ((a * 31u) ^ (b * 7u)) & 255u;
  }
  bool may_begin_filler(const char* s, std::size_t n) const noexcept {
    if (words.empty()) return false;
    const unsigned bit =
        head_bit(static_cast<unsigned char>(s[0]), n > 1 ? static_cast<unsigned char>(s[1]) : 0);
    return (heads[bit >> 6] >> (bit & 63)) & 1u;
  }
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
    case 0xFE57:
      return true;
    default:
      return false;
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
      fillers_->words.push_back(std::move(n));
  }
  std::sort(fillers_->words.begin(), fillers_->words.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  auto head = [&](unsigned char a, unsigned char b) {
    const unsigned bit = Fillers::head_bit(a, b);
    fillers_->heads[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  };
  for (const auto& f : fillers_->words) {
    const auto a = static_cast<unsigned char>(f[0]);
    if (f.size() > 1) {
      head(a, static_cast<unsigned char>(f[1]));
    } else {
      // A one-byte filler ("o") may be followed by anything, or by nothing.
      for (unsigned b = 0; b < 256; ++b) head(a, static_cast<unsigned char>(b));
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
  const Fillers& fl = *fillers_;
  const bool zh = fl.zh;
  const bool keep_clauses = clauses == Clauses::keep;
  const std::vector<std::string>& fillers = fl.words;
  const std::uint64_t* same = fl.same;
  Writer o(out, text.size() + 8);

  // A segment is a run of characters between separators. It is appended,
  // then taken back if it is nothing but fillers.
  CharClass last = CharClass::separator;  // class of the last character kept
  bool gap = false;                       // a separator since that character
  std::size_t segment_start = 0;          // where the current segment's text begins in `out`
  std::size_t segment_mark = 0;           // `out` size before the current segment (incl. its space)
  CharClass before_segment = CharClass::separator;
  bool in_segment = false;
  std::uint32_t length = 0;       // characters in `out`, counted as they are written
  std::uint32_t length_mark = 0;  // `length` before the current segment

  auto end_segment = [&] {
    if (!in_segment) return;
    in_segment = false;
    std::string_view seg = o.from(segment_start);
    if (!fl.may_begin_filler(seg.data(), seg.size())) return;
    while (!seg.empty()) {
      bool hit = false;
      for (const auto& f : fillers) {
        if (seg.substr(0, f.size()) == f) {
          seg.remove_prefix(f.size());
          hit = true;
          break;
        }
      }
      if (!hit) return;
    }
    o.w = segment_mark;  // all fillers: as if it had never been said
    length = length_mark;
    last = before_segment;
  };

  // Before a character of class `cls` is written: room for it, and the
  // segment it begins, if any.
  auto open = [&](CharClass cls) __attribute__((always_inline)) {
    o.room(8);
    if (in_segment) return;  // separators only ever come between segments
    segment_mark = o.w;
    length_mark = length;
    before_segment = last;
    // After a clause mark nothing more separates; else a space, except
    // between two CJK characters.
    if (gap && o.w != 0 && o.back() != kClauseMark &&
        !(last == CharClass::cjk && cls == CharClass::cjk)) {
      o.p[o.w++] = ' ';
      ++length;
    }
    gap = false;
    segment_start = o.w;
    in_segment = true;
  };
  auto emit = [&](char32_t cp, CharClass cls) __attribute__((always_inline)) {
    open(cls);
    o.w += detail::encode_utf8(cp, o.p + o.w);
    ++length;
    last = cls;
  };

  const std::uint32_t* table = detail::fate_table(zh);
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      cp = lead;
      ++i;
      if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {  // the common case, no table
        emit(cp, CharClass::word);
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
        open(CharClass::cjk);  // a Chinese character that stays itself: its bytes
        std::memcpy(o.p + o.w, text.data() + i - 3, 3);
        o.w += 3;
        ++length;
        last = CharClass::cjk;
        continue;
      }
    } else {
      bool bad = false;
      cp = detail::decode_utf8(text, i, bad);
      if (bad) result.invalid_utf8 = true;
    }
    CharClass cls;
    char32_t mapped;
    std::string_view many;
    if (cp < 0x10000) {
      const std::uint32_t e = table[cp];
      cls = static_cast<CharClass>((e >> detail::kFateClassShift) & 3);
      mapped = e & detail::kFateCpMask;
      if (e & detail::kFateMany) many = detail::char_fate(cp, zh).many;
    } else {
      const detail::CharFate fate = detail::char_fate(cp, zh);
      cls = fate.cls;
      mapped = fate.cp;
      many = fate.many;
    }
    switch (cls) {
      case CharClass::drop:
        continue;
      case CharClass::separator:
        // A decimal point or thousands separator between digits is part of
        // the number: "3.5", "3,200" stay whole for number captures.
        if ((mapped == '.' || mapped == ',' || mapped == 0xFF0E || mapped == 0xFF0C) &&
            in_segment && o.w != 0 && o.back() >= '0' && o.back() <= '9' &&
            next_is_digit(text, i)) {
          emit(mapped == 0xFF0E ? U'.' : mapped == 0xFF0C ? U',' : mapped, CharClass::word);
          continue;
        }
        end_segment();
        gap = true;
        // A clause ends here: the mark goes in at once (once, and never
        // first); one left last is taken back at the end.
        if (keep_clauses && o.w != 0 && o.back() != kClauseMark && ends_clause(cp)) {
          o.room(1);
          o.p[o.w++] = kClauseMark;
        }
        continue;
      default:
        break;
    }
    if (many.empty()) {
      emit(mapped, cls);
    } else {
      for (std::size_t k = 0; k < many.size();) {
        bool ignored = false;
        const char32_t m = detail::decode_utf8(many, k, ignored);
        emit(m, detail::normalized_class(m) == CharClass::cjk ? CharClass::cjk : cls);
      }
    }
  }
  end_segment();
  if (o.w != 0 && o.back() == kClauseMark) --o.w;
  o.finish();
  result.length = length;
  return result;
}

}  // namespace patter

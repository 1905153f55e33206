#include "patter/normalizer.hpp"

#include <algorithm>

#include "text/char_table.hpp"
#include "text/utf8.hpp"

namespace patter {

using detail::CharClass;

// Fillers, normalised by the same pipeline (without filler removal).
struct Normalizer::Fillers {
  std::vector<std::string> words;  // longest first, so a greedy cover prefers them
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

NormalizeResult Normalizer::normalize(std::string_view text, std::string& out,
                                      Clauses clauses) const {
  NormalizeResult result;
  out.clear();
  if (text.size() > kMaxBytes) {
    result.truncated = true;
    std::size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  const bool zh = options_.locale.rfind("zh", 0) == 0;
  const bool keep_clauses = clauses == Clauses::keep;
  const std::vector<std::string>& fillers = fillers_->words;

  // A segment is a run of characters between separators. It is appended,
  // then taken back if it is nothing but fillers.
  CharClass last = CharClass::separator;  // class of the last character kept
  bool gap = false;                       // a separator since that character
  bool clause = false;                    // ...and one of them ends a clause
  bool clause_before_segment = false;
  std::size_t segment_start = 0;  // where the current segment's text begins in `out`
  std::size_t segment_mark = 0;   // `out` size before the current segment (incl. its space)
  CharClass before_segment = CharClass::separator;
  bool in_segment = false;
  std::uint32_t length = 0;       // characters in `out`, counted as they are written
  std::uint32_t length_mark = 0;  // `length` before the current segment

  auto end_segment = [&] {
    if (!in_segment) return;
    in_segment = false;
    if (fillers.empty()) return;
    std::string_view seg = std::string_view(out).substr(segment_start);
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
    out.resize(segment_mark);  // all fillers: as if it had never been said
    length = length_mark;
    last = before_segment;
    clause = clause || clause_before_segment;
  };

  auto emit = [&](char32_t cp, CharClass cls) {
    if (!in_segment) {  // separators only ever come between segments
      segment_mark = out.size();
      length_mark = length;
      before_segment = last;
      clause_before_segment = clause;
      if (gap && !out.empty()) {
        if (clause) {
          out += kClauseMark;  // not a character the customer said: not counted
        } else if (!(last == CharClass::cjk && cls == CharClass::cjk)) {
          out += ' ';
          ++length;
        }
      }
      gap = false;
      clause = false;
      segment_start = out.size();
      in_segment = true;
    }
    char buf[4];
    out.append(buf, detail::encode_utf8(cp, buf));
    ++length;
    last = cls;
  };

  const std::uint32_t* table = detail::fate_table(zh);
  out.reserve(text.size() + 8);
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
            in_segment && !out.empty() && out.back() >= '0' && out.back() <= '9' &&
            next_is_digit(text, i)) {
          emit(mapped == 0xFF0E ? U'.' : mapped == 0xFF0C ? U',' : mapped, CharClass::word);
          continue;
        }
        end_segment();
        gap = true;
        clause = clause || (keep_clauses && ends_clause(cp));
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
  result.length = length;
  return result;
}

}  // namespace patter

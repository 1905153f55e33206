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

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes one code point at `i` (advancing it); invalid bytes give U+FFFD
// and set `bad`. Same validity rules as detail::find_invalid_utf8.
char32_t decode(std::string_view s, std::size_t& i, bool& bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const unsigned char c = p[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;
  char32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    ++i;
    bad = true;
    return 0xFFFD;
  }
  if (i + 1 >= n || p[i + 1] < lo || p[i + 1] > hi) {
    ++i;
    bad = true;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= n || (p[i + k] & 0xC0) != 0x80) {
      i += k;
      bad = true;
      return 0xFFFD;
    }
    cp = (cp << 6) | (p[i + k] & 0x3F);
  }
  i += len;
  return cp;
}

}  // namespace

Normalizer::Normalizer(NormalizeOptions options) : options_(std::move(options)), fillers_(new Fillers) {
  if (options_.fillers.empty()) return;
  // Fillers go through the pipeline too, so "Um" and "ＵＭ" both mean "um".
  const Normalizer plain(NormalizeOptions{options_.locale, {}});
  for (const auto& f : options_.fillers) {
    std::string n;
    plain.normalize(f, n);
    if (!n.empty() && n.find(' ') == std::string::npos) fillers_->words.push_back(std::move(n));
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
  NormalizeResult result;
  out.clear();
  if (text.size() > kMaxBytes) {
    result.truncated = true;
    std::size_t cut = kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text = text.substr(0, cut);
  }
  const bool zh = options_.locale.rfind("zh", 0) == 0;
  const std::vector<std::string>& fillers = fillers_->words;

  // A segment is a run of characters between separators. It is appended,
  // then taken back if it is nothing but fillers.
  CharClass last = CharClass::separator;  // class of the last character kept
  bool gap = false;                       // a separator since that character
  std::size_t segment_start = 0;          // where the current segment's text begins in `out`
  std::size_t segment_mark = 0;           // `out` size before the current segment (incl. its space)
  CharClass before_segment = CharClass::separator;
  bool in_segment = false;

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
    last = before_segment;
  };

  auto emit = [&](char32_t cp, CharClass cls) {
    if (!in_segment) {
      segment_mark = out.size();
      before_segment = last;
    }
    if (gap && !out.empty() && !(last == CharClass::cjk && cls == CharClass::cjk)) out += ' ';
    gap = false;
    if (!in_segment) {
      segment_start = out.size();
      in_segment = true;
    }
    append_utf8(out, cp);
    last = cls;
  };

  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      cp = static_cast<unsigned char>(text[i++]);
      if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {  // the common case, no table
        emit(cp, CharClass::word);
        continue;
      }
    } else {
      bool bad = false;
      cp = decode(text, i, bad);
      if (bad) result.invalid_utf8 = true;
    }
    const detail::CharFate fate = detail::char_fate(cp, zh);
    switch (fate.cls) {
      case CharClass::drop:
        continue;
      case CharClass::separator:
        end_segment();
        gap = true;
        continue;
      default:
        break;
    }
    if (fate.many.empty()) {
      emit(fate.cp, fate.cls);
    } else {
      for (std::size_t k = 0; k < fate.many.size();) {
        bool ignored = false;
        const char32_t m = decode(fate.many, k, ignored);
        emit(m, detail::normalized_class(m) == CharClass::cjk ? CharClass::cjk : fate.cls);
      }
    }
  }
  end_segment();
  return result;
}

}  // namespace patter

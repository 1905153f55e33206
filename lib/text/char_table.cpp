#include "text/char_table.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include <memory>
#include <string>
#include <vector>

namespace patter::detail {
namespace {

// Packed entry: bits 0-20 the code point (or an index into `many`), bits
// 21-22 the class, bit 23 "several code points".
constexpr std::uint32_t kCpMask = 0x1FFFFF;
constexpr int kClassShift = 21;
constexpr std::uint32_t kMany = 1u << 23;

CharClass classify(UChar32 c) {
  switch (u_charType(c)) {
    case U_SPACE_SEPARATOR: case U_LINE_SEPARATOR: case U_PARAGRAPH_SEPARATOR:
    case U_DASH_PUNCTUATION: case U_START_PUNCTUATION: case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION: case U_OTHER_PUNCTUATION: case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION: case U_MATH_SYMBOL: case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL: case U_OTHER_SYMBOL: case U_CONTROL_CHAR:
      return CharClass::separator;
    case U_FORMAT_CHAR:
      return CharClass::drop;
    default:
      break;
  }
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(c, &status);
  if (U_SUCCESS(status) && (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA ||
                            script == USCRIPT_HANGUL))
    return CharClass::cjk;
  return CharClass::word;
}

std::uint32_t pack(char32_t cp, CharClass cls) {
  return static_cast<std::uint32_t>(cp) | (static_cast<std::uint32_t>(cls) << kClassShift);
}

struct Tables {
  std::vector<std::uint32_t> base;  // NFKC case fold
  std::vector<std::uint32_t> zh;    // then Traditional to Simplified
  std::vector<std::string> many;    // several code points, as UTF-8

  Tables() : base(0x10000), zh(0x10000) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    for (UChar32 c = 0; c < 0x10000; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) {
        base[c] = pack(0xFFFD, CharClass::word);
        continue;
      }
      const CharClass own = classify(c);
      if (own == CharClass::separator || own == CharClass::drop || !nfkc_cf) {
        base[c] = pack(static_cast<char32_t>(c), own);
        continue;
      }
      status = U_ZERO_ERROR;
      const icu::UnicodeString folded = nfkc_cf->normalize(icu::UnicodeString(c), status);
      base[c] = entry_for(folded, static_cast<char32_t>(c), own, U_SUCCESS(status));
    }
    zh = base;
    traditional_to_simplified();
  }

  std::uint32_t entry_for(const icu::UnicodeString& s, char32_t original, CharClass own, bool ok) {
    if (!ok) return pack(original, own);
    if (s.isEmpty()) return pack(0, CharClass::drop);
    if (s.countChar32() == 1) {
      const UChar32 m = s.char32At(0);
      return pack(static_cast<char32_t>(m), classify(m));
    }
    std::string utf8;
    s.toUTF8String(utf8);
    many.push_back(std::move(utf8));
    // The class of the first character decides spacing; "ﬁ" is a word.
    return static_cast<std::uint32_t>(many.size() - 1) | (static_cast<std::uint32_t>(classify(s.char32At(0)))
                                                           << kClassShift) |
           kMany;
  }

  // One transliteration of every Han character, one per line: much faster
  // than a call per character, and the same result since lines do not
  // interact.
  void traditional_to_simplified() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t2s(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !t2s) return;
    icu::UnicodeString all;
    std::vector<UChar32> order;
    for (UChar32 c = 0x2E80; c < 0x10000; ++c) {
      const std::uint32_t e = base[c];
      if (e & kMany) continue;
      if (static_cast<CharClass>((e >> kClassShift) & 3) != CharClass::cjk) continue;
      order.push_back(c);
      all.append(static_cast<UChar32>(e & kCpMask));
      all.append(static_cast<UChar>(u'\n'));
    }
    t2s->transliterate(all);
    std::int32_t at = 0;
    for (UChar32 c : order) {
      const std::int32_t nl = all.indexOf(static_cast<UChar>(u'\n'), at);
      if (nl < 0) break;
      const icu::UnicodeString one = all.tempSubStringBetween(at, nl);
      if (one.countChar32() == 1) zh[c] = pack(static_cast<char32_t>(one.char32At(0)), CharClass::cjk);
      at = nl + 1;
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

CharFate char_fate(char32_t c, bool zh) noexcept {
  if (c >= 0x10000) {
    // Outside the table (emoji, rare ideographs): classify, keep as is.
    return {c, classify(static_cast<UChar32>(c)), {}};
  }
  const Tables& t = tables();
  const std::uint32_t e = (zh ? t.zh : t.base)[c];
  const auto cls = static_cast<CharClass>((e >> kClassShift) & 3);
  if (e & kMany) return {0, cls, t.many[e & kCpMask]};
  return {static_cast<char32_t>(e & kCpMask), cls, {}};
}

const std::uint32_t* fate_table(bool zh) noexcept { return (zh ? tables().zh : tables().base).data(); }

CharClass normalized_class(char32_t c) noexcept {
  if (c < 0x80) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return alnum ? CharClass::word : CharClass::separator;
  }
  if (c >= 0x10000) return classify(static_cast<UChar32>(c));
  return static_cast<CharClass>((tables().base[c] >> kClassShift) & 3);
}

}  // namespace patter::detail

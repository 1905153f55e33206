#include "text/char_icu.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uversion.h>

#include <memory>

namespace patter::detail {
namespace {

std::uint32_t pack(char32_t cp, CharClass cls) {
  return static_cast<std::uint32_t>(cp) | (static_cast<std::uint32_t>(cls) << kFateClassShift);
}

CharClass class_of(std::uint32_t entry) {
  return static_cast<CharClass>((entry >> kFateClassShift) & 3);
}

/// The entry for what `original` folds to: one code point, nothing (drop),
/// or several (appended to `many`).
std::uint32_t entry_for(const icu::UnicodeString& s, char32_t original, CharClass own, bool ok,
                        std::vector<std::string>& many) {
  if (!ok) return pack(original, own);
  if (s.isEmpty()) return pack(0, CharClass::drop);
  if (s.countChar32() == 1) {
    const UChar32 m = s.char32At(0);
    return pack(static_cast<char32_t>(m), icu_class(static_cast<char32_t>(m)));
  }
  std::string utf8;
  s.toUTF8String(utf8);
  many.push_back(std::move(utf8));
  // The class of the first character decides spacing; "ﬁ" is a word.
  return static_cast<std::uint32_t>(many.size() - 1) |
         (static_cast<std::uint32_t>(icu_class(static_cast<char32_t>(s.char32At(0))))
          << kFateClassShift) |
         kFateMany;
}

std::vector<std::uint32_t> nfkc_casefold(std::vector<std::string>& many) {
  std::vector<std::uint32_t> base(0x10000);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  for (UChar32 c = 0; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) {
      base[c] = pack(0xFFFD, CharClass::word);
      continue;
    }
    const CharClass own = icu_class(static_cast<char32_t>(c));
    if (own == CharClass::separator || own == CharClass::drop || !nfkc_cf) {
      base[c] = pack(static_cast<char32_t>(c), own);
      continue;
    }
    status = U_ZERO_ERROR;
    const icu::UnicodeString folded = nfkc_cf->normalize(icu::UnicodeString(c), status);
    base[c] = entry_for(folded, static_cast<char32_t>(c), own, U_SUCCESS(status), many);
  }
  return base;
}

// One transliteration of every Han character, one per line: much faster
// than a call per character, and the same result since lines do not
// interact.
void traditional_to_simplified(const std::vector<std::uint32_t>& base,
                               std::vector<std::uint32_t>& zh) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t2s(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t2s) return;
  icu::UnicodeString all;
  std::vector<UChar32> order;
  for (UChar32 c = 0x2E80; c < 0x10000; ++c) {
    const std::uint32_t e = base[c];
    if ((e & kFateMany) || class_of(e) != CharClass::cjk) continue;
    order.push_back(c);
    all.append(static_cast<UChar32>(e & kFateCpMask));
    all.append(static_cast<UChar>(u'\n'));
  }
  t2s->transliterate(all);
  std::int32_t at = 0;
  for (UChar32 c : order) {
    const std::int32_t nl = all.indexOf(static_cast<UChar>(u'\n'), at);
    if (nl < 0) break;
    const icu::UnicodeString one = all.tempSubStringBetween(at, nl);
    if (one.countChar32() == 1)
      zh[c] = pack(static_cast<char32_t>(one.char32At(0)), CharClass::cjk);
    at = nl + 1;
  }
}

}  // namespace

CharClass icu_class(char32_t c) noexcept {
  const auto u = static_cast<UChar32>(c);
  switch (u_charType(u)) {
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
    case U_CONTROL_CHAR: return CharClass::separator;
    case U_FORMAT_CHAR: return CharClass::drop;
    default: break;
  }
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(u, &status);
  if (U_SUCCESS(status) && (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
                            script == USCRIPT_KATAKANA || script == USCRIPT_HANGUL))
    return CharClass::cjk;
  return CharClass::word;
}

IcuFates icu_fates() {
  IcuFates f;
  f.base = nfkc_casefold(f.many);
  f.zh = f.base;
  traditional_to_simplified(f.base, f.zh);
  return f;
}

std::string icu_version() {
  return U_ICU_VERSION;
}

}  // namespace patter::detail

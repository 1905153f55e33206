// Content words of a script's lines and what a trainee said
// (training_words.hpp). ICU finds the words: its dictionary splits Chinese,
// where no spaces do.
#include "training_words.hpp"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <iterator>
#include <memory>

#include "text/utf8.hpp"

namespace patter::training_detail {
namespace {

// Words of a sales line that carry no point of their own: greetings,
// pronouns, politeness, linking words.
constexpr std::string_view kCommonZh[] = {
    "我们", "你们", "您好",     "你好", "请问", "可以",   "我是",   "这个",   "那个", "这边",
    "那边", "就是", "一下",     "一个", "没有", "什么",   "怎么",   "现在",   "还是", "已经",
    "因为", "所以", "如果",     "但是", "然后", "的话",   "这样",   "那么",   "这里", "是的",
    "好的", "对的", "一些",     "知道", "觉得", "需要",   "有没有", "是不是", "先生", "女士",
    "谢谢", "感谢", "不好意思", "打扰", "您的", "我们的", "咱们",   "他们",   "它们", "自己",
    "时候", "一点", "其实",     "还有", "以及", "或者"};
constexpr std::string_view kCommonEn[] = {
    "the",   "and",   "you",    "your",  "for",    "with",   "this",    "that",  "are",    "was",
    "were",  "our",   "have",   "has",   "can",    "will",   "would",   "could", "should", "about",
    "from",  "just",  "what",   "when",  "how",    "it's",   "i'm",     "we're", "you're", "they",
    "there", "their", "them",   "then",  "than",   "into",   "also",    "very",  "really", "here",
    "some",  "any",   "all",    "not",   "but",    "yes",    "okay",    "well",  "let",    "let's",
    "get",   "got",   "please", "thank", "thanks", "sorry",  "great",   "hello", "who",    "which",
    "does",  "did",   "don't",  "i'll",  "we'll",  "that's", "there's", "is",    "am",     "may"};

bool common(std::string_view w) {
  return std::find(std::begin(kCommonZh), std::end(kCommonZh), w) != std::end(kCommonZh) ||
         std::find(std::begin(kCommonEn), std::end(kCommonEn), w) != std::end(kCommonEn);
}

icu::BreakIterator& words_iterator() {
  // The dictionary for Chinese is loaded once per thread, not per line.
  thread_local std::unique_ptr<icu::BreakIterator> it = [] {
    UErrorCode e = U_ZERO_ERROR;
    return std::unique_ptr<icu::BreakIterator>(
        icu::BreakIterator::createWordInstance(icu::Locale("zh"), e));
  }();
  return *it;
}

bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

std::size_t shared_start(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

}  // namespace

std::vector<std::string> content_words(const Normalizer& norm, std::string_view text) {
  std::vector<std::string> out;
  const std::string n = norm.normalize(text);  // clause marks too become separators below
  icu::BreakIterator* it = &words_iterator();
  if (n.empty() || !it) return out;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(n);
  it->setText(u);
  std::int32_t from = it->first();
  for (std::int32_t to = it->next(); to != icu::BreakIterator::DONE; from = to, to = it->next()) {
    const std::int32_t status = it->getRuleStatus();
    if (status < UBRK_WORD_NUMBER) continue;  // spaces, punctuation, the clause mark
    std::string w;
    u.tempSubStringBetween(from, to).toUTF8String(w);
    const std::size_t chars = detail::count_code_points(w);
    const bool keep = status < UBRK_WORD_LETTER ? true
                      : status < UBRK_WORD_KANA ? chars >= 3
                                                : chars >= 2;
    if (!keep || common(w) || std::find(out.begin(), out.end(), w) != out.end()) continue;
    out.push_back(std::move(w));
  }
  return out;
}

Said::Said(const Normalizer& norm, std::string_view text) {
  norm.normalize(text, text_, Clauses::join);
  std::size_t i = 0;
  while (i < text_.size()) {
    while (i < text_.size() && text_[i] == ' ') ++i;
    std::size_t j = i;
    while (j < text_.size() && text_[j] != ' ') ++j;
    if (j > i) words_.emplace_back(text_.data() + i, j - i);
    i = j;
  }
}

bool Said::has_word(std::string_view word) const {
  if (word.empty()) return false;
  if (static_cast<unsigned char>(word[0]) >= 0x80) return has_phrase(word);
  for (std::string_view w : words_) {
    if (w == word) return true;
    const std::size_t shared = shared_start(w, word);
    if (shared >= 4 && (shared == w.size() || shared == word.size())) return true;
  }
  return false;
}

std::size_t Said::find(std::string_view phrase) const {
  if (phrase.empty()) return std::string::npos;
  for (std::size_t at = text_.find(phrase); at != std::string::npos;
       at = text_.find(phrase, at + 1)) {
    // Letters and digits end a phrase only where a word ends: "no risk" is
    // not in "no risky".
    const bool starts = at == 0 || !ascii_alnum(text_[at - 1]) || !ascii_alnum(phrase.front());
    const std::size_t end = at + phrase.size();
    const bool ends =
        end == text_.size() || !ascii_alnum(text_[end]) || !ascii_alnum(phrase.back());
    if (starts && ends) return at;
  }
  return std::string::npos;
}

std::string valid_utf8(std::string_view text) {
  if (detail::find_invalid_utf8(text) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size();) detail::append_utf8(out, detail::decode_utf8(text, i));
  return out;
}

}  // namespace patter::training_detail

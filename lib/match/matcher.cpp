#include <fmt/format.h>
#include <unicode/regex.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>

#include "match/matcher_access.hpp"
#include "match/matcher_impl.hpp"
#include "match/negation.hpp"
#include "match/pattern_filter.hpp"
#include "match/pattern_text.hpp"
#include "match/similarity.hpp"
#include "text/char_table.hpp"
#include "text/numbers.hpp"
#include "text/utf8.hpp"

namespace patter {

detail::MatchScratch& MatcherAccess::scratch(Understanding& u) {
  if (!u.scratch_.ptr) u.scratch_.ptr = std::make_shared<detail::MatchScratch>();
  return *u.scratch_.ptr;
}

namespace detail {

// An Understanding's working space. It lives with the Understanding, which
// belongs to one caller at a time, so nothing here needs a lock.
struct MatchScratch {
  std::vector<PhraseHit> hits;
  std::vector<std::uint32_t> order;
  SimilarityIndex::Scratch similarity;
  // One regex matcher per pattern (ICU matchers are not thread-safe), made
  // the first time this Understanding meets the matcher `owner`.
  std::string pattern_text;            // what patterns read, when it differs from the original
  std::vector<std::uint32_t> offsets;  // its bytes' places in the original
  const Matcher::Impl* owner = nullptr;
  std::vector<std::unique_ptr<icu::RegexMatcher>> matchers;
  UText text = UTEXT_INITIALIZER;
  ~MatchScratch() { utext_close(&text); }
};

}  // namespace detail

namespace {

using Impl = Matcher::Impl;
using detail::CharClass;

constexpr char kMark = Normalizer::kClauseMark;

char32_t cp_before(std::string_view s, std::size_t at) {
  return detail::code_point_before(s, at);
}

char32_t cp_at(std::string_view s, std::size_t at) {
  return detail::decode_valid_utf8(reinterpret_cast<const unsigned char*>(s.data()), at);
}

bool is_word_char(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
  return detail::normalized_class(c) == CharClass::word;
}

// The character that ends at `q` (q > 0, on a boundary): where it starts,
// and its UTF-8 bytes (at most four), the first lowest, to compare it as
// one number.
struct CharBefore {
  std::uint32_t start, bytes;
};
[[gnu::always_inline]] inline CharBefore char_before(std::string_view t, std::uint32_t q) {
  const auto* u = reinterpret_cast<const unsigned char*>(t.data());
  if (q >= 3 && (u[q - 3] & 0xF0) == 0xE0)  // most Chinese characters
    return {q - 3, u[q - 3] | (std::uint32_t{u[q - 2]} << 8) | (std::uint32_t{u[q - 1]} << 16)};
  std::uint32_t b = q;
  do {
    --b;
  } while (b > 0 && (u[b] & 0xC0) == 0x80);
  std::uint32_t bytes = 0;
  for (std::uint32_t i = b; i < q; ++i) bytes |= std::uint32_t{u[i]} << (8 * (i - b));
  return {b, bytes};
}

// "是不是", "要不要", "有没有": a 不 or 没 at `at` between two copies of one
// Chinese character makes a question, not a negation; but after the same
// 不 ("不对不对", "不行不行") the words are a refusal said twice. Byte
// compares only: 不 is E4 B8 8D, 没 is E6 B2 A1, and the characters around
// are three bytes.
inline bool a_not_a(std::string_view t, std::size_t at) noexcept {
  const auto* u = reinterpret_cast<const unsigned char*>(t.data());
  if (at < 3 || at + 6 > t.size()) return false;
  const bool neg = (u[at] == 0xE4 && u[at + 1] == 0xB8 && u[at + 2] == 0x8D) ||
                   (u[at] == 0xE6 && u[at + 1] == 0xB2 && u[at + 2] == 0xA1);
  const bool repeated =
      at >= 6 && u[at - 6] == u[at] && u[at - 5] == u[at + 1] && u[at - 4] == u[at + 2];
  return neg && !repeated && (u[at - 3] & 0xF0) == 0xE0 && u[at - 3] == u[at + 3] &&
         u[at - 2] == u[at + 4] && u[at - 1] == u[at + 5];
}

enum class CueEffect : std::uint8_t { none, negates, cancelled };
using Cue = CueEffect;

// What a cue found at [cb, ce) does: nothing when it belongs to a word that
// denies nothing (不错, "not bad"), cancels when it is the second half of a
// double negation (the last 不 of 不是不可以), else negates.
Cue judge_cue(std::string_view t, std::uint32_t cb, std::uint32_t ce, bool words) {
  if (detail::not_a_negation(t, cb, ce, words)) return Cue::none;
  return detail::may_end_frame(t, cb, words) && detail::frame_ending_at(t, cb, words) >= 0
             ? Cue::cancelled
             : Cue::negates;
}

// Is there a cue shortly before [begin, ...), within the clause and not
// before `floor` (the end of the last phrase taken: a cue inside or before
// a phrase already understood negates nothing after it)? Returns its span.
Cue find_cue(const Impl& m, std::string_view t, std::uint32_t begin, std::uint32_t floor,
             bool words, std::uint32_t& cb, std::uint32_t& ce) {
  const std::uint32_t window = m.options.negation_window;
  auto ends_at = [&](const Impl::Cue& cue, std::uint32_t q) {
    return cue.text.size() <= q && q - cue.text.size() >= floor &&
           t.compare(q - cue.text.size(), cue.text.size(), cue.text) == 0;
  };
  if (!words) {
    // Positions where a cue could end: the phrase start, then up to `window`
    // characters back, never across a space or a clause (no cue ends with one).
    std::uint32_t q = begin;
    for (std::uint32_t gap = 0; gap <= window && q > floor; ++gap) {
      if (t[q - 1] == ' ' || t[q - 1] == kMark) return Cue::none;
      const CharBefore last = char_before(t, q);
      // Most characters end no cue: check that first, without comparing strings.
      if (m.may_end_zh_cue(last.bytes)) {
        for (const auto& cue : m.zh_cues) {
          if (cue.last == last.bytes && ends_at(cue, q) && !a_not_a(t, q - cue.text.size())) {
            const auto b = static_cast<std::uint32_t>(q - cue.text.size());
            const Cue what = judge_cue(t, b, q, false);
            if (what == Cue::none) break;  // 不错, 别人...: look further back
            cb = b;
            ce = q;
            return what;
          }
        }
      }
      q = last.start;
    }
    return Cue::none;
  }
  // Words: the cue (one or two words) ends at most `window` words before.
  std::uint32_t q = begin;
  for (std::uint32_t gap = 0; gap <= window; ++gap) {
    if (q == 0 || t[q - 1] != ' ') return Cue::none;
    --q;  // the space
    for (const auto& cue : m.en_cues) {
      if (!ends_at(cue, q)) continue;
      const std::size_t at = q - cue.text.size();
      if (at == 0 || t[at - 1] == ' ' || t[at - 1] == kMark) {
        const Cue what = judge_cue(t, static_cast<std::uint32_t>(at), q, true);
        if (what == Cue::none) break;
        cb = static_cast<std::uint32_t>(at);
        ce = q;
        return what;
      }
    }
    while (q > 0 && t[q - 1] != ' ' && t[q - 1] != kMark) --q;  // to the start of that word
    if (q < floor) return Cue::none;
  }
  return Cue::none;
}

// In a reply where no phrase or pattern spoke, a clause that is one of the
// examples word for word counts for the example's intent: the 对 of
// "对，我在抖音上填过", the "sure" of "sure, whatever". Only then: beside
// a phrase, a bare example clause ("sorry" in "not my thing, sorry") is
// politeness, not a second intent. Whole replies are left to the
// similarity fallback, which finds these too.
[[gnu::noinline]] void match_clause_examples(const Impl& m, std::string_view t,
                                             std::vector<IntentMatch>& out) {
  std::size_t b = 0;
  while (b < t.size()) {
    std::size_t e = t.find(kMark, b);
    if (e == std::string_view::npos) e = t.size();
    std::size_t cb = b, ce = e;
    while (cb < ce && t[cb] == ' ') ++cb;
    while (ce > cb && t[ce - 1] == ' ') --ce;
    b = e + 1;
    if (ce == cb || ce - cb > m.clause_example_bytes) continue;  // most clauses: too long
    const std::string_view clause = t.substr(cb, ce - cb);
    const auto it = std::lower_bound(
        m.clause_examples.begin(), m.clause_examples.end(), clause,
        [](const Impl::ClauseExample& x, std::string_view c) { return x.text < c; });
    if (it == m.clause_examples.end() || it->text != clause) continue;
    IntentMatch im;
    im.intent = it->intent;
    im.source = MatchSource::example;
    im.confidence = 1;
    im.rule = it->index;
    im.begin = static_cast<std::uint32_t>(cb);
    im.end = static_cast<std::uint32_t>(ce);
    out.push_back(im);
  }
}

void run_patterns(const Impl& m, Understanding& out) {
  // Patterns read the customer's own words (case and symbols kept), so a
  // capture is what was said; full-width forms and Traditional characters
  // are made plain first, at the same places.
  const std::string_view said = MatcherAccess::original(out);
  // Most utterances lack the characters a pattern needs: then ICU never
  // runs, and the patterns' copy of the text is not even made.
  detail::CharBits chars;
  detail::pattern_chars(said, m.zh, chars);
  bool any = false;
  for (const auto& p : m.patterns) any = any || detail::may_match(chars, p.required_bits);
  if (!any) return;
  detail::MatchScratch* scratch = &MatcherAccess::scratch(out);
  const std::string_view text =
      detail::pattern_text(said, m.zh, scratch->pattern_text, scratch->offsets);
  auto place = [&](std::int64_t at) {
    return scratch->offsets.empty() ? static_cast<std::uint32_t>(at)
                                    : scratch->offsets[static_cast<std::size_t>(at)];
  };
  if (scratch->owner != &m) {
    scratch->owner = &m;
    scratch->matchers.clear();
    for (const auto& p : m.patterns) {
      UErrorCode st = U_ZERO_ERROR;
      std::unique_ptr<icu::RegexMatcher> rm(p.regex->matcher(st));
      if (U_FAILURE(st)) rm.reset();
      if (rm) {
        rm->setTimeLimit(m.options.pattern_time_limit, st);
        rm->setStackLimit(64 * 1024, st);
      }
      scratch->matchers.push_back(std::move(rm));
    }
  }
  UErrorCode st = U_ZERO_ERROR;
  utext_openUTF8(&scratch->text, text.data(), static_cast<std::int64_t>(text.size()), &st);
  if (U_FAILURE(st)) return;
  for (std::size_t i = 0; i < m.patterns.size(); ++i) {
    icu::RegexMatcher* rm = scratch->matchers[i].get();
    if (!rm || !detail::may_match(chars, m.patterns[i].required_bits) ||
        !detail::may_match(text, m.patterns[i].required))
      continue;
    st = U_ZERO_ERROR;
    rm->reset(&scratch->text);
    if (!rm->find(0, st) || U_FAILURE(st)) continue;  // no match, or over the time limit
    const Impl::Pattern& p = m.patterns[i];
    IntentMatch im;
    im.intent = p.intent;
    im.source = MatchSource::pattern;
    im.confidence = 1;
    im.rule = p.rule;
    const std::int64_t mb = rm->start64(st), me = rm->end64(st);
    if (U_FAILURE(st)) continue;
    im.begin = place(mb);
    im.end = place(me);
    MatcherAccess::intents(out).push_back(im);
    for (const auto& g : p.groups) {
      st = U_ZERO_ERROR;
      const std::int64_t b = rm->start64(g.group, st), e = rm->end64(g.group, st);
      if (U_FAILURE(st) || b < 0) continue;
      Capture c;
      c.variable = g.variable;
      c.begin = place(b);
      c.end = place(e);
      if (g.numeric) {
        if (auto n = detail::parse_number(
                text.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b)))) {
          c.numeric = true;
          c.number = *n;
        }
      }
      MatcherAccess::captures(out).push_back(c);
    }
  }
}

// Judges one reply's phrase hits: word boundaries, A-not-A questions and
// negation. A plain struct of references whose members the compiler sees
// whole, so the hot path keeps direct calls and allocates nothing new.
struct PhraseJudge {
  const Impl& m;
  std::string_view t;
  std::vector<IntentMatch>& taken;
  std::vector<SuppressedMatch>& suppressed;

  IntentMatch make(const detail::PhraseHit& h) const {
    IntentMatch im;
    im.intent = m.phrases[h.phrase].intent;
    im.source = MatchSource::phrase;
    im.confidence = 1;
    im.begin = h.begin;
    im.end = h.end;
    im.rule = m.phrases[h.phrase].rule;
    return im;
  }
  void drop(const detail::PhraseHit& h, Suppression why) const {
    suppressed.push_back({make(h), why});
  }

  // Word boundaries for phrases that start or end with a Latin letter.
  bool on_boundaries(const detail::PhraseHit& h) const {
    const Impl::Phrase& ph = m.phrases[h.phrase];
    return !((ph.word_start && h.begin > 0 && is_word_char(cp_before(t, h.begin))) ||
             (ph.word_end && h.end < t.size() && is_word_char(cp_at(t, h.end))));
  }

  // A hit that touches an A-not-A question (是不是, 要不要, 有没有) counts
  // only when it holds all of it: "是不是机器人" is a phrase about robots,
  // but the 是 and the 不是 of "是不是真的" are no answer. Only a 不 or 没
  // inside the hit or one character around it can make such a question.
  // The 不 is then in the hit, or just before or just after it; the
  // question spans [p - 3, p + 6).
  bool breaks(const detail::PhraseHit& h, std::size_t p) const {
    if (!a_not_a(t, p)) return false;
    const std::size_t qb = p - 3, qe = p + 6;
    return h.begin < qe && h.end > qb && !(h.begin <= qb && h.end >= qe);
  }
  bool in_question(const detail::PhraseHit& h) const {
    if (h.begin >= 3 && breaks(h, h.begin - 3)) return true;
    if (breaks(h, h.end)) return true;
    const std::uint8_t neg = m.phrases[h.phrase].neg;
    return neg != 0xFF && breaks(h, h.begin + neg);
  }

  // "也不是不行", "not that I'm not interested": a negative phrase after
  // the outer half of a double negation means its intent's positive.
  CueEffect frame_before(const detail::PhraseHit& h, std::uint32_t floor, IntentMatch& im,
                         std::uint32_t& cb, std::uint32_t& ce) const {
    const Impl::Phrase& ph = m.phrases[h.phrase];
    if (!ph.negative || !detail::may_end_frame(t, h.begin, ph.word_start)) return CueEffect::none;
    const long fb = detail::frame_ending_at(t, h.begin, ph.word_start);
    if (fb < 0 || static_cast<std::uint32_t>(fb) < floor) return CueEffect::none;
    cb = static_cast<std::uint32_t>(fb);
    ce = ph.word_start ? h.begin - 1 : h.begin;
    im.double_negation = true;
    return CueEffect::negates;
  }

  // Negation, for a hit that no other covers; true if it counts.
  // `floor`: where the last phrase taken ends (a cue before it is spent).
  bool take(const detail::PhraseHit& h, std::uint32_t floor) const {
    IntentMatch im = make(h);
    const Impl::Phrase& ph = m.phrases[h.phrase];
    if (in_question(h)) {
      suppressed.push_back({im, Suppression::question});
      return false;
    }
    if (ph.frame && detail::inside_double_negation(t, h.begin, h.end)) {
      suppressed.push_back({im, Suppression::double_negation});
      return false;
    }
    std::uint32_t cb = 0, ce = 0;
    CueEffect cue = frame_before(h, floor, im, cb, ce);
    if (cue == CueEffect::none) cue = find_cue(m, t, h.begin, floor, ph.word_start, cb, ce);
    if (cue == CueEffect::cancelled) {
      im.double_negation = true;
      im.cue_begin = cb;
      im.cue_end = ce;
    } else if (cue == CueEffect::negates && m.intents[im.intent].kind == IntentKind::opt_out) {
      // "别再骚扰", "不要再打", "don't call": before an opt-out a cue is the
      // customer's own imperative, never a negation of the wish. Dropping it
      // would keep selling to someone who asked not to be called.
    } else if (cue == CueEffect::negates) {
      im.cue_begin = cb;
      im.cue_end = ce;
      im.negated = true;
      IntentId target = m.intents[im.intent].opposite;
      if (target == kNone && im.double_negation) target = m.intents[im.intent].positive;
      if (target == kNone) {
        suppressed.push_back({im, Suppression::negated});
        return false;
      }
      im.original = im.intent;
      im.intent = target;
    }
    taken.push_back(im);
    return true;
  }
};

// Leftmost-longest: earliest start first, then the longest. Hits come in
// order of their start; an insertion sort settles the rest.
inline void order_leftmost_longest(const std::vector<detail::PhraseHit>& hits,
                                   std::vector<std::uint32_t>& order) {
  auto first = [&](std::uint32_t a, std::uint32_t b) {
    if (hits[a].begin != hits[b].begin) return hits[a].begin < hits[b].begin;
    if (hits[a].end != hits[b].end) return hits[a].end > hits[b].end;
    return hits[a].phrase < hits[b].phrase;
  };
  for (std::size_t i = 1; i < order.size(); ++i) {
    const std::uint32_t hit = order[i];
    std::size_t j = i;
    for (; j > 0 && first(hit, order[j - 1]); --j) order[j] = order[j - 1];
    order[j] = hit;
  }
}

// Takes the hits in `order`: one that overlaps a hit already taken loses,
// unless it is the very same words.
inline void take_in_order(const PhraseJudge& judge, const std::vector<detail::PhraseHit>& hits,
                          const std::vector<std::uint32_t>& order) {
  // `floor_then`: the floor the last phrase taken was judged with, for the
  // same words of another intent.
  std::uint32_t taken_begin = 0, taken_end = 0, floor = 0, floor_then = 0;
  bool any = false;
  for (std::uint32_t i : order) {
    const auto& h = hits[i];
    const bool same = any && h.begin == taken_begin && h.end == taken_end;
    if (any && h.begin < taken_end && !same) {
      judge.drop(h, Suppression::overlapped);
      continue;
    }
    if (!judge.take(h, same ? floor_then : floor)) continue;
    if (!same) floor_then = floor;
    any = true;
    taken_begin = h.begin;
    taken_end = h.end;
    // A phrase that is nothing but a cue (不是, 没有) still negates what follows.
    if (!judge.m.phrases[h.phrase].cue) floor = h.end;
  }
}

// Every phrase, everywhere; then word boundaries, order and negation.
inline void match_phrases(const PhraseJudge& judge, detail::MatchScratch& scratch) {
  auto& hits = scratch.hits;
  auto& order = scratch.order;
  hits.clear();
  order.clear();
  judge.m.automaton.scan(judge.t, hits);
  if (hits.size() == 1) {
    // Most often one phrase is found: nothing to order or overlap.
    if (judge.on_boundaries(hits[0]))
      judge.take(hits[0], 0);
    else
      judge.drop(hits[0], Suppression::word_boundary);
    return;
  }
  for (std::uint32_t i = 0; i < hits.size(); ++i) {
    if (judge.on_boundaries(hits[i]))
      order.push_back(i);
    else
      judge.drop(hits[i], Suppression::word_boundary);
  }
  order_leftmost_longest(hits, order);
  take_in_order(judge, hits, order);
}

// The examples, when nothing else spoke: the nearest, if near enough.
void match_similar(const Impl& m, std::string_view t, detail::MatchScratch& scratch,
                   std::vector<IntentMatch>& intents_out,
                   std::vector<SuppressedMatch>& suppressed) {
  const auto& index = *static_cast<const detail::SimilarityIndex*>(m.similarity.get());
  if (auto r = index.nearest(t, scratch.similarity)) {
    IntentMatch im;
    im.intent = r->intent;
    im.source = MatchSource::example;
    im.confidence = r->score;
    im.rule = r->index;
    im.begin = 0;
    im.end = static_cast<std::uint32_t>(t.size());
    if (r->score >= m.options.similarity_threshold)
      intents_out.push_back(im);
    else
      suppressed.push_back({im, Suppression::below_threshold});
  }
}

// Best first: the intent's kind (opt_out > human > question > refusal >
// answer), its priority, then the longest span, then the earliest. An
// insertion sort: a handful of intents, stable, and unlike
// std::stable_sort it never allocates.
inline void sort_by_precedence(const Impl& m, std::vector<IntentMatch>& intents_out) {
  auto before = [&](const IntentMatch& a, const IntentMatch& b) {
    const std::uint64_t ra = m.intents[a.intent].rank, rb = m.intents[b.intent].rank;
    if (ra != rb) return ra < rb;
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    return a.begin < b.begin;
  };
  for (std::size_t i = 1; i < intents_out.size(); ++i) {
    for (std::size_t j = i; j > 0 && before(intents_out[j], intents_out[j - 1]); --j)
      std::swap(intents_out[j], intents_out[j - 1]);
  }
}

}  // namespace

void Impl::match(Understanding& out) const {
  const std::string_view t = MatcherAccess::text(out);
  auto& intents_out = MatcherAccess::intents(out);
  auto& suppressed = MatcherAccess::suppressed(out);
  detail::MatchScratch& scratch = MatcherAccess::scratch(out);

  // 1. Phrases.
  match_phrases(PhraseJudge{*this, t, intents_out, suppressed}, scratch);

  // 2. Patterns.
  if (!patterns.empty()) run_patterns(*this, out);

  // 3. When nothing spoke, a clause that is an example word for word.
  if (intents_out.empty() && !clause_examples.empty() && t.find(kMark) != std::string_view::npos)
    match_clause_examples(*this, t, intents_out);

  // 4. The examples, when nothing else spoke.
  if (intents_out.empty() && similarity && !t.empty())
    match_similar(*this, t, scratch, intents_out, suppressed);

  sort_by_precedence(*this, intents_out);
}

// ---- Matcher ---------------------------------------------------------------

Matcher::Matcher() : impl_(std::make_unique<Impl>()) {}
Matcher::Matcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

const Normalizer& Matcher::normalizer() const noexcept {
  return impl_->normalizer;
}
const MatcherOptions& Matcher::options() const noexcept {
  return impl_->options;
}

void Matcher::understand(std::string_view utterance, Understanding& out) const {
  out.clear();
  std::string_view said = utterance;
  if (said.size() > Normalizer::kMaxBytes) {  // cut where the normaliser cuts: on a character
    std::size_t cut = Normalizer::kMaxBytes;
    while (cut > 0 && (static_cast<unsigned char>(said[cut]) & 0xC0) == 0x80) --cut;
    said = said.substr(0, cut);
  }
  MatcherAccess::original(out).assign(said);
  MatcherAccess::flags(out) = impl_->normalizer.normalize(utterance, MatcherAccess::text(out));
  // Captures and the words a session keeps come from the original: never
  // bytes that are not UTF-8 (the robot would say them back).
  if (MatcherAccess::flags(out).invalid_utf8)
    detail::assign_valid_utf8(MatcherAccess::original(out), said);
  MatcherAccess::length(out) = MatcherAccess::flags(out).length;
  impl_->match(out);
}

void Matcher::from_host(IntentId intent, float confidence, Understanding& out) const {
  if (intent >= impl_->intents.size()) {
    out.clear();
    return;
  }
  MatcherAccess::from_host(out, intent, confidence);
}

std::string_view to_string(MatchSource s) noexcept {
  switch (s) {
    case MatchSource::none: return "none";
    case MatchSource::phrase: return "phrase";
    case MatchSource::pattern: return "pattern";
    case MatchSource::example: return "example";
    case MatchSource::host: return "host";
  }
  return "none";
}

std::string_view to_string(IntentKind k) noexcept {
  switch (k) {
    case IntentKind::opt_out: return "opt_out";
    case IntentKind::human: return "human";
    case IntentKind::question: return "question";
    case IntentKind::refusal: return "refusal";
    case IntentKind::answer: return "answer";
  }
  return "answer";
}

std::string_view to_string(Suppression s) noexcept {
  switch (s) {
    case Suppression::overlapped: return "overlapped by a longer or earlier phrase";
    case Suppression::word_boundary: return "inside a longer word";
    case Suppression::negated: return "negated, and the intent has no opposite";
    case Suppression::below_threshold: return "similarity below the threshold";
    case Suppression::question: return "part of a question (是不是, 要不要...), neither yes nor no";
    case Suppression::double_negation:
      return "the outer half of a double negation (不是 of 不是不行)";
  }
  return "";
}

// ---- building ----------------------------------------------------------------

namespace detail {

// Kept whole although over 80 lines (phrases, patterns with their capture
// groups, examples, negation cues): split into helpers in this file, GCC's
// inline-unit-growth limit for the file is reached before std::string::assign
// is inlined into Matcher::understand, a call more on every turn; marking
// the helpers cold instead slows building by about 15%. Moving the
// building to a file of its own would allow the split.
std::shared_ptr<icu::RegexPattern> compile_pattern(std::string_view pattern, UParseError& where,
                                                   UErrorCode& status) {
  const std::uint32_t flags = needs_case_folding(pattern) ? UREGEX_CASE_INSENSITIVE : 0;
  std::shared_ptr<icu::RegexPattern> re(
      icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(icu::StringPiece(
                                     pattern.data(), static_cast<std::int32_t>(pattern.size()))),
                                 flags, where, status));
  if (U_FAILURE(status)) re.reset();
  return re;
}

Matcher build_matcher(const MatcherInput& input,
                      std::vector<std::vector<std::string>>* normalized_phrases) {
  auto impl = std::make_unique<Impl>();
  impl->normalizer = Normalizer(input.normalize);
  impl->options = input.options;

  std::vector<std::string> all;
  std::string norm;
  for (IntentId i = 0; i < input.intents.size(); ++i) {
    const MatcherInput::Intent& in = input.intents[i];
    impl->intents.push_back(
        {in.priority, in.opposite, kNone, in.kind, Impl::rank_of(in.kind, in.priority)});
    if (normalized_phrases) normalized_phrases->emplace_back();
    for (std::uint32_t r = 0; r < in.phrases.size(); ++r) {
      // A phrase is one run of words: a comma in it does not end a clause.
      impl->normalizer.normalize(in.phrases[r], norm, Clauses::join);
      if (normalized_phrases) normalized_phrases->back().push_back(norm);
      Impl::Phrase ph{i, r, false, false};
      if (!norm.empty()) {
        ph.negative = detail::begins_negative(norm);
        ph.frame = detail::may_be_frame(norm);
        ph.cue = detail::is_negation_cue(norm);
        ph.word_start = is_word_char(cp_at(norm, 0));
        ph.word_end = is_word_char(cp_before(norm, norm.size()));
        const std::size_t neg = std::min(norm.find("不"), norm.find("没"));
        if (neg < 0xFF) ph.neg = static_cast<std::uint8_t>(neg);
      }
      impl->phrases.push_back(ph);
      all.push_back(norm);
    }
    for (std::uint32_t r = 0; r < in.patterns.size(); ++r) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError pe{};
      const std::shared_ptr<icu::RegexPattern> re =
          r < in.compiled.size() ? in.compiled[r]
                                 : detail::compile_pattern(in.patterns[r], pe, status);
      if (U_FAILURE(status) || !re) continue;  // compile() already reported it
      Impl::Pattern p{i, r, re, {}, detail::required_choices(in.patterns[r]), {}};
      p.required_bits = detail::required_bits(p.required);
      const std::string& src = in.patterns[r];
      for (std::size_t at = src.find("(?<"); at != std::string::npos;
           at = src.find("(?<", at + 3)) {
        const std::size_t end = src.find('>', at + 3);
        if (end == std::string::npos) break;
        const std::string name = src.substr(at + 3, end - at - 3);
        const auto& vars = input.variables;
        const auto var =
            std::find_if(vars.begin(), vars.end(),
                         [&](const MatcherInput::Variable& v) { return v.name == name; });
        if (var == vars.end()) continue;
        status = U_ZERO_ERROR;
        const std::int32_t g = re->groupNumberFromName(icu::UnicodeString::fromUTF8(name), status);
        if (U_FAILURE(status)) continue;
        p.groups.push_back({g, static_cast<VariableId>(var - vars.begin()), var->numeric});
      }
      impl->patterns.push_back(std::move(p));
    }
  }
  impl->automaton.build(all);
  for (IntentId i = 0; i < impl->intents.size(); ++i) {
    const IntentId o = impl->intents[i].opposite;
    if (o != kNone && impl->intents[o].positive == kNone) impl->intents[o].positive = i;
  }
  impl->zh = input.normalize.locale.rfind("zh", 0) == 0;

  std::vector<detail::SimilarityIndex::Example> examples;
  for (IntentId i = 0; i < input.intents.size(); ++i) {
    const MatcherInput::Intent& in = input.intents[i];
    for (std::uint32_t r = 0; r < in.examples.size(); ++r) {
      impl->normalizer.normalize(in.examples[r], norm);
      if (!norm.empty()) examples.push_back({i, r, norm});
      if (!norm.empty() && norm.size() <= Impl::kClauseExampleBytes &&
          norm.find(kMark) == std::string::npos) {
        impl->clause_example_bytes = std::max(impl->clause_example_bytes, norm.size());
        impl->clause_examples.push_back({norm, i, r});
      }
    }
  }
  // By text, and for the same text the first intent declared.
  std::stable_sort(
      impl->clause_examples.begin(), impl->clause_examples.end(),
      [](const Impl::ClauseExample& a, const Impl::ClauseExample& b) { return a.text < b.text; });
  if (!examples.empty()) {
    auto index = std::make_shared<detail::SimilarityIndex>();
    index->build(examples);
    impl->similarity = std::move(index);
  }

  auto cue = [](std::string text) {
    const auto e = static_cast<std::uint32_t>(text.size());
    const std::uint32_t last = char_before(text, e).bytes;
    return Impl::Cue{std::move(text), last};
  };
  for (const std::string_view c : detail::zh_negation_cues())
    impl->zh_cues.push_back(cue(std::string(c)));
  // English cues everywhere: zh scripts hear English words too ("not ok").
  for (const std::string_view c : detail::en_negation_cues())
    impl->en_cues.push_back(cue(std::string(c)));
  for (const auto& c : impl->zh_cues) {
    const std::uint32_t bit = Impl::cue_last_bit(c.last);
    impl->zh_cue_last[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
  // Longest first: "没有" is found before "没".
  auto longest_first = [](const Impl::Cue& a, const Impl::Cue& b) {
    return a.text.size() > b.text.size();
  };
  std::stable_sort(impl->zh_cues.begin(), impl->zh_cues.end(), longest_first);
  std::stable_sort(impl->en_cues.begin(), impl->en_cues.end(), longest_first);
  return Matcher(std::move(impl));
}

void MatcherTesting::match_normalized(const Matcher& m, std::string_view normalized,
                                      Understanding& out) {
  out.clear();
  MatcherAccess::text(out).assign(normalized);
  if (!m.impl_->patterns.empty())
    MatcherAccess::original(out).assign(normalized);  // what patterns read
  m.impl_->match(out);  // length() is left 0: the normaliser counts it
}

const Matcher::Impl& MatcherTesting::impl(const Matcher& m) {
  return *m.impl_;
}

}  // namespace detail
}  // namespace patter

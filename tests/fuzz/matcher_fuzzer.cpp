// Fuzzes normalisation and intent matching: any bytes, as what a customer
// said, against the compiled matchers of the bundled scripts.
//
// Input: one byte picks the matcher (a bundled script's, or a bare
// Normalizer per locale), the rest is the utterance.
//
// The promise (patter/normalizer.hpp, patter/matcher.hpp): any bytes are
// understood without a crash; the normalised text is UTF-8 of the stated
// length, no longer than the input allows; every span, capture and intent
// points inside the text and the script; an Understanding reused across
// utterances gives the same answer as a fresh one.
#include "fuzz_support.hpp"

namespace {

using namespace patter;
using patter::fuzz::valid_utf8;

// Characters, as NormalizeResult::length counts them: clause marks are
// boundaries, not characters.
std::uint32_t code_points(std::string_view s) {
  std::uint32_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 && c != Normalizer::kClauseMark;
  return n;
}

// Same results, field by field (the scratch space aside).
bool same(const Understanding& a, const Understanding& b) {
  if (a.normalized() != b.normalized() || a.length() != b.length() ||
      a.invalid_utf8() != b.invalid_utf8() || a.truncated() != b.truncated() ||
      a.intents().size() != b.intents().size() || a.suppressed().size() != b.suppressed().size() ||
      a.captures().size() != b.captures().size())
    return false;
  for (std::size_t i = 0; i < a.intents().size(); ++i) {
    const IntentMatch &x = a.intents()[i], &y = b.intents()[i];
    if (x.intent != y.intent || x.source != y.source || x.begin != y.begin || x.end != y.end ||
        x.rule != y.rule || x.negated != y.negated || x.confidence != y.confidence)
      return false;
  }
  for (std::size_t i = 0; i < a.captures().size(); ++i)
    if (a.capture_text(a.captures()[i]) != b.capture_text(b.captures()[i])) return false;
  return true;
}

void check_normalized(std::string_view in, std::string_view out, const NormalizeResult& r) {
  PATTER_FUZZ_CHECK(valid_utf8(out), "normalised text is not UTF-8");
  PATTER_FUZZ_CHECK(r.length == code_points(out), "the length is not the code points of the text");
  PATTER_FUZZ_CHECK(r.truncated == (in.size() > Normalizer::kMaxBytes),
                    "truncated says the wrong thing");
  PATTER_FUZZ_CHECK(out.empty() || (out.front() != ' ' && out.back() != ' '),
                    "separators left at an end");
  PATTER_FUZZ_CHECK(out.find("  ") == std::string_view::npos, "two separators in a row");
  const char mark[] = {Normalizer::kClauseMark, Normalizer::kClauseMark, 0};
  PATTER_FUZZ_CHECK(out.find(mark) == std::string_view::npos, "two clause marks in a row");
  PATTER_FUZZ_CHECK(out.empty() || (out.front() != Normalizer::kClauseMark &&
                                    out.back() != Normalizer::kClauseMark),
                    "a clause mark at an end");
  if (!r.invalid_utf8 && !r.truncated)
    PATTER_FUZZ_CHECK(valid_utf8(in), "bad UTF-8 was not reported");
}

void check_understanding(const Script& script, std::string_view utterance, const Understanding& u) {
  const std::string_view text = u.normalized();
  NormalizeResult flags;
  flags.invalid_utf8 = u.invalid_utf8();
  flags.truncated = u.truncated();
  flags.length = u.length();
  check_normalized(utterance, text, flags);
  PATTER_FUZZ_CHECK(u.matched() == !u.intents().empty(), "matched() disagrees with intents()");
  for (const IntentMatch& m : u.intents()) {
    PATTER_FUZZ_CHECK(m.intent < script.intents().size(), "an intent that is not the script's");
    PATTER_FUZZ_CHECK(m.source != MatchSource::none && m.source != MatchSource::host,
                      "a match from nowhere");
    PATTER_FUZZ_CHECK(m.confidence >= 0 && m.confidence <= 1, "a confidence outside 0..1");
    if (m.source == MatchSource::example) continue;  // examples span the whole reply
    // Phrases are found in the normalised text, patterns in the customer's own.
    const std::size_t within = m.source == MatchSource::pattern ? u.original().size() : text.size();
    PATTER_FUZZ_CHECK(m.begin <= m.end && m.end <= within, "a span outside the text");
    if (m.negated) {
      PATTER_FUZZ_CHECK(m.cue_begin <= m.cue_end && m.cue_end <= m.begin,
                        "a negation cue after its phrase");
      PATTER_FUZZ_CHECK(m.original < script.intents().size(),
                        "a flipped match without its own intent");
    }
  }
  for (const SuppressedMatch& s : u.suppressed())
    PATTER_FUZZ_CHECK(s.match.intent < script.intents().size(),
                      "a suppressed intent not the script's");
  for (const Capture& c : u.captures()) {
    PATTER_FUZZ_CHECK(c.variable < script.variables().size(), "a capture into no variable");
    PATTER_FUZZ_CHECK(c.begin <= c.end && c.end <= u.original().size(),
                      "a capture outside the text");
    PATTER_FUZZ_CHECK(valid_utf8(u.capture_text(c)), "a capture cuts a character");
  }
  PATTER_FUZZ_CHECK(valid_utf8(u.explain(script)), "the explanation is not UTF-8");
}

const std::vector<Normalizer>& normalizers() {
  static const std::vector<Normalizer> all = [] {
    std::vector<Normalizer> v;
    v.emplace_back(NormalizeOptions{.locale = "zh-CN", .fillers = {"嗯", "啊", "呃", "那个"}});
    v.emplace_back(NormalizeOptions{.locale = "en-US", .fillers = {"um", "uh", "you know"}});
    return v;
  }();
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fuzz::bundled_scripts();
  (void)normalizers();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzInput in(data, size);
  const auto& scripts = fuzz::bundled_scripts();
  const std::size_t pick = in.byte() % (scripts.size() + normalizers().size());
  const std::string_view utterance = in.rest();

  if (pick >= scripts.size()) {
    const Normalizer& n = normalizers()[pick - scripts.size()];
    std::string out;
    const NormalizeResult r = n.normalize(utterance, out);
    check_normalized(utterance, out, r);
    PATTER_FUZZ_CHECK(n.normalize(utterance) == out, "the two normalize() disagree");
    return 0;
  }

  const Script& script = *scripts[pick];
  const Matcher& matcher = script.matcher();
  // One Understanding reused for the whole run, as a host would keep one
  // per thread, and a fresh one: both must give the same answer.
  static Understanding reused;
  Understanding fresh;
  matcher.understand(utterance, reused);
  matcher.understand(utterance, fresh);
  check_understanding(script, utterance, fresh);
  PATTER_FUZZ_CHECK(same(reused, fresh), "a reused Understanding answers differently");

  // The host's NLU, into the same scratch space.
  if (!script.intents().empty()) {
    const IntentId id = static_cast<IntentId>(utterance.size() % script.intents().size());
    matcher.from_host(id, 0.5f, reused);
    PATTER_FUZZ_CHECK(reused.matched() && reused.best().intent == id, "the host's intent was lost");
    PATTER_FUZZ_CHECK(reused.best().source == MatchSource::host,
                      "the host's intent has another source");
  }
  return 0;
}

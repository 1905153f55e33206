// Asking the host: a reply the matcher did not understand goes to the
// host's classifier, and its answer (or none, or none in time) decides;
// the host's own intents come in as an Understanding.

#include "runtime/session_engine.hpp"

namespace patter {

/// The matcher understood nothing: ask the host, and wait for its answer
/// until the node's `understand_ms` have passed.
void SessionEngine::ask(const Node& node, const Understanding& u, std::string_view said) {
  s.st_.set(detail::kAsking, true);
  edit_extras([&](Extras& x) {
    x.ask_deadline = now + node.understand_ms;
    x.ask_length = static_cast<std::uint16_t>(std::min<std::uint32_t>(u.length(), 0xFFFF));
  });
  t.decision_ = Decision::understand;
  // The words as recognised (their normalised form when not UTF-8), cut
  // where the matcher stopped reading.
  const std::string_view words =
      u.invalid_utf8() ? u.normalized() : detail::utf8_head(said, Normalizer::kMaxBytes);
  const std::string_view text = put_line(nullptr, words);
  Action& a = push(ActionType::understand, s.st_.node);
  a.text = text;
  a.timeout_ms = node.understand_ms;
  t.candidates_ = node.candidates;
  if (s.st_.transcript) {
    const std::vector<TranscriptEntry>& lines = s.st_.transcript->lines;
    const std::size_t n = std::min(lines.size(), kUnderstandContext);
    t.context_ = std::span<const TranscriptEntry>(lines.data() + (lines.size() - n), n);
  }
}

/// No answer that helps, or none in time: on as if the host had not been
/// asked (the node's `any` routes, else no_match).
void SessionEngine::unanswered(Turn::Note why) {
  s.st_.set(detail::kAsking, false);
  t.note_ = why;
  const Node& node = sc.nodes()[s.st_.node];
  SessionEnv env(s);
  const std::uint32_t variant = variant_at(node);
  const std::vector<Route>& routes = node.routes_for(variant);
  for (std::uint32_t r = 0; r < routes.size(); ++r)
    if (routes[r].any && routes[r].guard.test(env)) return take(routes, variant, r);
  no_match(extras().ask_length, node);
}

void SessionEngine::from_host_list(const Event& e, Understanding& u, float min) {
  u.clear();
  std::vector<IntentMatch>& in = MatcherAccess::intents(u);
  auto add = [&](IntentId id, float c) __attribute__((always_inline)) {
    IntentMatch m;
    m.intent = id;
    m.source = MatchSource::host;
    m.confidence = std::isfinite(c) ? std::clamp(c, 0.0f, 1.0f) : 0.0f;
    if (m.confidence < min) {
      MatcherAccess::suppressed(u).push_back({m, Suppression::below_threshold});
      return;
    }
    in.push_back(m);
    // Insertion: at most kMaxHostIntents, and equal confidences keep the host's order.
    for (std::size_t i = in.size() - 1; i > 0 && in[i - 1].confidence < in[i].confidence; --i)
      std::swap(in[i - 1], in[i]);
  };
  if (e.ranked)
    for (const HostIntent& h : e.candidates) add(h.intent, h.confidence);
  else
    add(e.intent, e.confidence);
  if (in.empty() && !u.suppressed().empty()) t.note_ = Turn::Note::below_confidence;
}

}  // namespace patter

// Simulated customers from a PersonaSet (patter/tooling/campaign.hpp).
#include "patter/tooling/campaign.hpp"
#include "text/utf8.hpp"

namespace patter {

using Kind = PersonaChoice::Kind;

// What a default customer answers at a node: its routes; a node whose
// routes are all in its A/B variants, the first such variant's (customers
// react alike to every variant).
static const std::vector<Route>& routes_to_answer(const Node& node) {
  if (!node.routes.empty()) return node.routes;
  for (const Variant& v : node.variants)
    if (v.own_routes) return v.routes;
  return node.routes;
}

CustomerModel::CustomerModel(const Script& script, const PersonaSet& personas) : set_(&personas) {
  double total = 0, running = 0;
  for (const Persona& p : personas.personas) total += p.share;
  for (const Persona& p : personas.personas) cumulative_.push_back((running += p.share) / total);
  // Each listening node, when a persona says nothing about it: its routes
  // equally, and a little silence and hanging up.
  defaults_.resize(script.nodes().size());
  for (NodeId n = 0; n < script.nodes().size(); ++n) {
    std::vector<PersonaChoice>& c = defaults_[n];
    for (const Route& r : routes_to_answer(script.node(n))) {
      std::vector<PersonaChoice> route;
      for (IntentId i : r.intents)
        if (i < personas.utterances.size() && !personas.utterances[i].empty())
          route.push_back({Kind::intent, i, 0, 1});
      for (char k : r.keys) route.push_back({Kind::key, kNone, k, 1});
      if (r.any && !personas.unclear.empty()) route.push_back({Kind::unclear, kNone, 0, 1});
      for (PersonaChoice& x : route) x.weight = 1.0 / static_cast<double>(route.size());
      c.insert(c.end(), route.begin(), route.end());
    }
    double sum = 0;
    for (const PersonaChoice& x : c) sum += x.weight;
    if (sum == 0) sum = 1;
    c.push_back({Kind::silence, kNone, 0, sum * 0.06});
    c.push_back({Kind::hangup, kNone, 0, sum * 0.04});
  }
}

const Persona& CustomerModel::persona(double u) const {
  for (std::size_t i = 0; i < cumulative_.size(); ++i)
    if (u < cumulative_[i]) return set_->personas[i];
  return set_->personas.back();
}

const std::vector<PersonaChoice>& CustomerModel::choices(const Persona& p, NodeId node) const {
  if (node < p.nodes.size() && !p.nodes[node].empty()) return p.nodes[node];
  if (!p.fallback.empty()) return p.fallback;
  return defaults_[node < defaults_.size() ? node : 0];
}

PersonaChoice CustomerModel::pick(const std::vector<PersonaChoice>& choices, double u) {
  double total = 0;
  for (const PersonaChoice& c : choices) total += c.weight;
  u *= total;
  for (const PersonaChoice& c : choices) {
    if (u < c.weight) return c;
    u -= c.weight;
  }
  return choices.back();
}

const std::vector<std::string>* CustomerModel::words_for(PersonaChoice& c) const {
  if (c.kind == Kind::intent &&
      (c.intent >= set_->utterances.size() || set_->utterances[c.intent].empty()))
    c.kind = Kind::unclear;  // nothing to say for it: mumble
  if (c.kind == Kind::unclear && set_->unclear.empty()) c.kind = Kind::silence;
  if (c.kind == Kind::intent) return &set_->utterances[c.intent];
  if (c.kind == Kind::unclear) return &set_->unclear;
  return nullptr;
}

std::uint64_t CustomerModel::speaking_ms(std::string_view text, std::uint32_t wide_ms,
                                         std::uint32_t narrow_ms) {
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t c = detail::decode_utf8(text, i);
    ms += c >= 0x2E80 ? wide_ms : narrow_ms;
  }
  return ms;
}

}  // namespace patter

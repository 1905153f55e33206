#include "customers.hpp"

#include <algorithm>

namespace webdesk {

using Kind = patter::PersonaChoice::Kind;

Customers::Customers(const patter::Script& script, patter::PersonaSet personas, std::uint64_t seed)
    : set_(std::move(personas)), rng_(seed) {
  double total = 0;
  for (const patter::Persona& p : set_.personas) total += p.share;
  double run = 0;
  for (const patter::Persona& p : set_.personas) cumulative_.push_back((run += p.share) / total);
  defaults_.resize(script.nodes().size());
  for (patter::NodeId n = 0; n < script.nodes().size(); ++n) {
    std::vector<patter::PersonaChoice>& c = defaults_[n];
    for (const patter::Route& r : script.node(n).routes) {
      std::vector<patter::PersonaChoice> route;
      for (patter::IntentId i : r.intents)
        if (i < set_.utterances.size() && !set_.utterances[i].empty())
          route.push_back({Kind::intent, i, 0, 1});
      for (char k : r.keys) route.push_back({Kind::key, patter::kNone, k, 1});
      if (r.any) route.push_back({Kind::unclear, patter::kNone, 0, 1});
      for (patter::PersonaChoice& x : route) x.weight = 1.0 / static_cast<double>(route.size());
      c.insert(c.end(), route.begin(), route.end());
    }
    double sum = 0;
    for (const patter::PersonaChoice& x : c) sum += x.weight;
    if (sum == 0) sum = 1;
    c.push_back({Kind::silence, patter::kNone, 0, sum * 0.06});
    c.push_back({Kind::hangup, patter::kNone, 0, sum * 0.04});
  }
  if (set_.unclear.empty()) set_.unclear.push_back("hmm");
}

double Customers::uniform() {
  return rng_.uniform();
}

std::uint64_t Customers::between(std::uint64_t min, std::uint64_t max) {
  return rng_.between(min, max);
}

const patter::Persona& Customers::pick_persona() {
  const double u = uniform();
  for (std::size_t i = 0; i < cumulative_.size(); ++i)
    if (u < cumulative_[i]) return set_.personas[i];
  return set_.personas.back();
}

Pickup Customers::pickup(const patter::Persona& p) {
  const double u = uniform();
  return u < p.answer ? Pickup::answer : u < p.answer + p.voicemail ? Pickup::voicemail : Pickup::ring_out;
}

std::uint64_t Customers::ring_ms(const patter::Persona& p, Pickup pickup) {
  return pickup == Pickup::ring_out ? 30000 : between(p.ring_ms.min, p.ring_ms.max);
}

std::vector<std::pair<std::string, std::string>> Customers::variables() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, values] : set_.variables)
    if (!values.empty()) out.emplace_back(name, values[between(0, values.size() - 1)]);
  return out;
}

const std::vector<patter::PersonaChoice>& Customers::choices(const patter::Persona& p, patter::NodeId node) const {
  if (node < p.nodes.size() && !p.nodes[node].empty()) return p.nodes[node];
  if (!p.fallback.empty()) return p.fallback;
  return defaults_.at(node < defaults_.size() ? node : 0);
}

Reply Customers::reply(const patter::Persona& p, patter::NodeId node, std::uint32_t listen_ms) {
  const std::vector<patter::PersonaChoice>& c = choices(p, node);
  double total = 0;
  for (const patter::PersonaChoice& x : c) total += x.weight;
  double u = uniform() * total;
  patter::PersonaChoice pick = c.back();
  for (const patter::PersonaChoice& x : c) {
    if (u < x.weight) {
      pick = x;
      break;
    }
    u -= x.weight;
  }
  Reply r;
  r.kind = pick.kind;
  r.key = pick.key;
  r.after_ms = between(p.think_ms.min, p.think_ms.max);
  switch (pick.kind) {
    case Kind::silence: r.after_ms = listen_ms; break;
    case Kind::intent: {
      const auto& pool = set_.utterances.at(pick.intent);
      if (pool.empty()) {
        r.kind = Kind::silence;
        r.after_ms = listen_ms;
        break;
      }
      r.words = pool[between(0, pool.size() - 1)];
      r.after_ms += speaking_ms(r.words);
      break;
    }
    case Kind::unclear:
      r.words = set_.unclear[between(0, set_.unclear.size() - 1)];
      r.after_ms += speaking_ms(r.words);
      break;
    default: break;
  }
  return r;
}

std::uint64_t Customers::patience_ms(const patter::Persona& p) {
  return between(p.patience_ms.min, p.patience_ms.max);
}

bool Customers::buys(const patter::Persona& p) { return uniform() < p.buys; }

std::uint64_t Customers::speaking_ms(std::string_view text) {
  constexpr std::uint64_t kWide = 220, kNarrow = 65;
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    char32_t c = b;
    std::size_t len = 1;
    if (b >= 0xF0) {
      len = 4;
      c = 0x10000;  // beyond the BMP: wide enough
    } else if (b >= 0xE0 && i + 2 < text.size()) {
      len = 3;
      c = static_cast<char32_t>(((b & 0x0F) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3F) << 6) |
                                (static_cast<unsigned char>(text[i + 2]) & 0x3F));
    } else if (b >= 0xC0) {
      len = 2;
    }
    ms += c >= 0x2E80 ? kWide : kNarrow;
    i += len;
  }
  return ms;
}

}  // namespace webdesk

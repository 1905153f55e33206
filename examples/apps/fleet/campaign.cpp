// Loading the campaign every process shares (campaign.hpp).
#include "campaign.hpp"

namespace fleet {

std::optional<Campaign> Campaign::load(const std::string& script_path,
                                       const std::string& personas_path, std::uint64_t seed,
                                       std::string& error) {
  patter::LoadResult loaded = patter::load_file(script_path);
  if (!loaded.ok()) {
    error = "cannot load the script " + script_path + ":";
    for (const patter::Diagnostic& d : loaded.diagnostics)
      if (d.severity == patter::Severity::error) error += "\n  " + patter::format(d);
    error += "\n(check it with `patter validate " + script_path + "`)";
    return std::nullopt;
  }
  patter::PersonaLoad personas = patter::load_personas_file(personas_path, *loaded.script);
  if (!personas.ok()) {
    error = "cannot load the personas " + personas_path + " for " + script_path + ":";
    for (const patter::Diagnostic& d : personas.diagnostics) error += "\n  " + patter::format(d);
    return std::nullopt;
  }
  Campaign c;
  c.script = std::move(loaded.script);
  c.personas = std::move(*personas.personas);
  c.seed = seed;
  if (c.personas.personas.empty()) {
    error = personas_path + ": no personas; add at least one under `personas:`";
    return std::nullopt;
  }
  c.prepare();
  return c;
}

void Campaign::prepare() {
  double total = 0, running = 0;
  for (const patter::Persona& p : personas.personas) total += p.share;
  for (const patter::Persona& p : personas.personas)
    cumulative_.push_back((running += p.share) / total);

  using Kind = patter::PersonaChoice::Kind;
  defaults_.resize(script->nodes().size());
  for (patter::NodeId n = 0; n < script->nodes().size(); ++n) {
    std::vector<patter::PersonaChoice>& c = defaults_[n];
    for (const patter::Route& r : script->node(n).routes) {
      std::vector<patter::PersonaChoice> route;
      for (patter::IntentId i : r.intents)
        if (i < personas.utterances.size() && !personas.utterances[i].empty())
          route.push_back({Kind::intent, i, 0, 1});
      for (char k : r.keys) route.push_back({Kind::key, patter::kNone, k, 1});
      if (r.any && !personas.unclear.empty()) route.push_back({Kind::unclear, patter::kNone, 0, 1});
      for (patter::PersonaChoice& x : route) x.weight = 1.0 / static_cast<double>(route.size());
      c.insert(c.end(), route.begin(), route.end());
    }
    double sum = 0;
    for (const patter::PersonaChoice& x : c) sum += x.weight;
    if (sum == 0) sum = 1;
    c.push_back({Kind::silence, patter::kNone, 0, sum * 0.06});
    c.push_back({Kind::hangup, patter::kNone, 0, sum * 0.04});
  }
}

const patter::Persona& Campaign::persona(double u) const {
  for (std::size_t i = 0; i < cumulative_.size(); ++i)
    if (u < cumulative_[i]) return personas.personas[i];
  return personas.personas.back();
}

const std::vector<patter::PersonaChoice>& Campaign::choices(const patter::Persona& p,
                                                            patter::NodeId node) const {
  if (node < p.nodes.size() && !p.nodes[node].empty()) return p.nodes[node];
  if (!p.fallback.empty()) return p.fallback;
  return defaults_[node < defaults_.size() ? node : 0];
}

std::uint64_t Campaign::speaking_ms(std::string_view text) {
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : b & (0x7F >> len);
    for (std::size_t k = 1; k < len && i + k < text.size(); ++k)
      c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    ms += c >= 0x2E80 ? 220 : 65;
    i += len;
  }
  return ms;
}

}  // namespace fleet

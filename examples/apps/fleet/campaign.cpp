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
  if (personas.personas->personas.empty()) {
    error = personas_path + ": no personas; add at least one under `personas:`";
    return std::nullopt;
  }
  Campaign c;
  c.script = std::move(loaded.script);
  c.personas = std::make_shared<const patter::PersonaSet>(std::move(*personas.personas));
  c.customers = std::make_shared<const patter::CustomerModel>(*c.script, *c.personas);
  c.seed = seed;
  return c;
}

}  // namespace fleet

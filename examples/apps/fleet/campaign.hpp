// campaign.hpp — what every process of the fleet loads the same way: the
// script, its customer personas and the campaign's seed.
//
// The dialer, the workers, the desk and the in-process reference each build
// one from the same files and the same seed; the workers check that they
// agree with the dialer by the script's fingerprint, carried by each call's
// first event and stored beside every snapshot.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <patter/patter.hpp>

namespace fleet {

struct Campaign {
  std::shared_ptr<const patter::Script> script;
  patter::PersonaSet personas;
  std::uint64_t seed = 1;

  /// Load the script and its personas; on failure `error` says what and where.
  static std::optional<Campaign> load(const std::string& script_path,
                                      const std::string& personas_path, std::uint64_t seed,
                                      std::string& error);

  /// The persona for a uniform draw in [0, 1), by share.
  const patter::Persona& persona(double u) const;
  /// What `p` may do when the robot listens at `node`: the persona's own
  /// choices there, its fallback, or each route of the node equally with a
  /// little silence and hanging up.
  const std::vector<patter::PersonaChoice>& choices(const patter::Persona& p,
                                                    patter::NodeId node) const;
  /// How long a line takes to say: 220 ms per wide (CJK) character, 65 ms per other.
  static std::uint64_t speaking_ms(std::string_view text);

 private:
  void prepare();
  std::vector<double> cumulative_;
  std::vector<std::vector<patter::PersonaChoice>> defaults_;
};

}  // namespace fleet

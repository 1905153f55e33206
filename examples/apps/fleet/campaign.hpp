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

#include <patter/tooling.hpp>

namespace fleet {

struct Campaign {
  std::shared_ptr<const patter::Script> script;
  std::shared_ptr<const patter::PersonaSet> personas;
  /// Who answers, what they say and how long they take: the same customers
  /// as `patter simulate`'s, drawn from each call's own streams (rng.hpp).
  std::shared_ptr<const patter::CustomerModel> customers;
  std::uint64_t seed = 1;

  /// Load the script and its personas; on failure `error` says what and where.
  static std::optional<Campaign> load(const std::string& script_path,
                                      const std::string& personas_path, std::uint64_t seed,
                                      std::string& error);
};

}  // namespace fleet

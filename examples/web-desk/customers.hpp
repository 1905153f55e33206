// Simulated customers for the web desk: who picks up, what they say at each
// node, how long they think and talk. Drawn from a PersonaSet
// (patter/simulation.hpp), so the page shows the same customers as
// `patter simulate`, on a clock people can watch.
#pragma once

#include <patter/random.hpp>
#include <patter/simulation.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace webdesk {

enum class Pickup : std::uint8_t { answer, voicemail, ring_out };

/// What the customer does next, and after how long.
struct Reply {
  patter::PersonaChoice::Kind kind = patter::PersonaChoice::Kind::silence;
  std::string words;  ///< intent and unclear replies
  char key = 0;       ///< key replies
  std::uint64_t after_ms = 0;  ///< from the end of the line they answer
};

class Customers {
 public:
  Customers(const patter::Script& script, patter::PersonaSet personas, std::uint64_t seed);

  const patter::Persona& pick_persona();
  Pickup pickup(const patter::Persona& p);
  std::uint64_t ring_ms(const patter::Persona& p, Pickup pickup);
  /// CRM fields for a new call: a value for each of the personas' variables.
  std::vector<std::pair<std::string, std::string>> variables();
  /// The customer's reply at `node`, `listen_ms` being how long the robot waits.
  Reply reply(const patter::Persona& p, patter::NodeId node, std::uint32_t listen_ms);
  std::uint64_t patience_ms(const patter::Persona& p);
  bool buys(const patter::Persona& p);
  std::uint64_t between(std::uint64_t min, std::uint64_t max);

  /// How long saying `text` takes: per wide (CJK) character, per other one.
  static std::uint64_t speaking_ms(std::string_view text);

 private:
  const std::vector<patter::PersonaChoice>& choices(const patter::Persona& p, patter::NodeId node) const;
  double uniform();

  patter::PersonaSet set_;
  std::vector<double> cumulative_;
  /// Per node, when a persona says nothing of it: each route alike, and a
  /// little silence and hanging up.
  std::vector<std::vector<patter::PersonaChoice>> defaults_;
  patter::Random rng_;
};

}  // namespace webdesk

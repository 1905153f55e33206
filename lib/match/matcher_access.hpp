// The Understanding's insides, for the matcher and the runtime that fill it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "patter/matcher.hpp"

namespace patter {

namespace detail {
struct MatchScratch;
}

struct MatcherAccess {
  static std::string& text(Understanding& u) { return u.normalized_; }
  static std::string& original(Understanding& u) { return u.original_; }
  static NormalizeResult& flags(Understanding& u) { return u.flags_; }
  static std::uint32_t& length(Understanding& u) { return u.length_; }
  static std::vector<IntentMatch>& intents(Understanding& u) { return u.intents_; }
  static std::vector<SuppressedMatch>& suppressed(Understanding& u) { return u.suppressed_; }
  static std::vector<Capture>& captures(Understanding& u) { return u.captures_; }
  /// The working space, made on first use (lib/match/matcher.cpp).
  static detail::MatchScratch& scratch(Understanding& u);

  /// `u` becomes exactly one intent the host's own NLU found, with its
  /// confidence clamped to [0, 1]; `intent` must be the script's. Inlined:
  /// it is most of what a host-intent turn does to understand.
  [[gnu::always_inline]] static void from_host(Understanding& u, IntentId intent,
                                               float confidence) {
    u.clear();
    IntentMatch im;
    im.intent = intent;
    im.source = MatchSource::host;
    im.confidence = std::clamp(confidence, 0.0f, 1.0f);
    u.intents_.push_back(im);
  }
};

}  // namespace patter

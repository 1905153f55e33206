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

// from_host() writes every field of an IntentMatch: a new field goes there too.
static_assert(sizeof(IntentMatch) == 40);

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
  /// confidence clamped to [0, 1]; `intent` must be the script's. Inlined,
  /// and written field by field over the last turn's first intent: it is
  /// most of what a host-intent turn does to understand, and both a call
  /// to vector::push_back and a whole IntentMatch built on the stack and
  /// copied (its narrow stores read back wide, which the CPU cannot
  /// forward) cost as much as the rest of it.
  [[gnu::always_inline]] static void from_host(Understanding& u, IntentId intent,
                                               float confidence) {
    std::vector<IntentMatch>& in = u.intents_;
    if (in.empty()) [[unlikely]] {
      u.clear();
      in.emplace_back();
    } else {
      in.erase(in.begin() + 1, in.end());
      u.suppressed_.clear();
      u.captures_.clear();
      u.normalized_.clear();
      u.original_.clear();
      u.flags_ = {};
      u.length_ = 0;
    }
    IntentMatch& m = in.front();
    m.intent = intent;
    m.source = MatchSource::host;
    m.confidence = std::clamp(confidence, 0.0f, 1.0f);
    m.begin = m.end = m.rule = 0;
    m.cue_begin = m.cue_end = 0;
    m.negated = m.double_negation = false;
    m.original = IntentMatch{}.original;
  }
};

}  // namespace patter

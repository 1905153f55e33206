// The call's life as a table: which events each phase takes.
//
// Session::check reads it first; only then is what the event carries
// checked (an intent the script has, a valid key, a node to hand the call
// back at, a question the host was asked). The table is drawn in
// patter/session.hpp, and tests/call_life_test.cpp keeps the drawing true.
#pragma once

#include <cstddef>

#include "patter/session.hpp"

namespace patter::detail {

inline constexpr std::size_t kCallPhases = static_cast<std::size_t>(Phase::ended) + 1;
inline constexpr std::size_t kCallEvents = static_cast<std::size_t>(EventType::agent_said) + 1;

namespace life {
inline constexpr Status ok = Status::ok, not_answered = Status::not_answered,
                        answered = Status::already_answered, wrong = Status::wrong_phase,
                        ended = Status::call_ended;
}  // namespace life

/// [event][phase]: Status::ok, or the error the event gets in that phase.
inline constexpr Status kCallLife[kCallEvents][kCallPhases] = {
    // dialing          robot           waiting         human           ended
    {life::ok, life::answered, life::answered, life::answered, life::ended},  // answered
    {life::not_answered, life::ok, life::ok, life::ok, life::ended},          // utterance
    {life::not_answered, life::ok, life::ok, life::ok, life::ended},          // intent
    {life::not_answered, life::ok, life::wrong, life::wrong, life::ended},    // no_input
    {life::not_answered, life::ok, life::wrong, life::wrong, life::ended},    // dtmf
    {life::ok, life::ok, life::ok, life::ok, life::ended},                    // customer_hangup
    {life::ok, life::ok, life::wrong, life::wrong, life::ended},              // voicemail
    {life::not_answered, life::ok, life::ok, life::wrong, life::ended},       // agent_joined
    {life::not_answered, life::wrong, life::ok, life::ok, life::ended},       // agent_left
    {life::not_answered, life::ok, life::ok, life::ok, life::ended},          // timer
    {life::not_answered, life::ok, life::ok, life::ok, life::ended},          // not_understood
    {life::ok, life::ok, life::ok, life::ok, life::ended},                    // data
    {life::not_answered, life::wrong, life::wrong, life::ok, life::ended},    // agent_said
};

constexpr Status call_life(EventType e, Phase p) noexcept {
  return kCallLife[static_cast<std::size_t>(e)][static_cast<std::size_t>(p)];
}

}  // namespace patter::detail

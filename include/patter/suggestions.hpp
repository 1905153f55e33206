// patter/suggestions.hpp — the script's best lines for the person on a call,
// ranked, each with why.
//
//   // The customer just asked "那学费多少钱？" while a person has the call.
//   for (const patter::RankedSuggestion& s : patter::suggestions(call, "那学费多少钱？"))
//     screen.add(s.text, s.why, s.score);
//   // 学费要看学校和专业，一般一年几千块……  answers ask_price (global handler 6)        1
//   // 您提升学历主要是为了什么呢？……        what the robot would say: global handler 6  0.67
//   // 那您大概想什么时候开始？……            route 0 of ask_goal: goal_exam → ask_time   0.6
//
// Three kinds, in this order:
//   1. answers: the lines of the global handlers for the intents heard in
//      the customer's last words (understood by the script's matcher, as
//      the session would), questions first; what the robot itself would say
//      to those words (Session::preview) when it is something else;
//   2. next lines: the lines of the nodes the listening node's routes lead
//      to, the routes whose intents were heard first;
//   3. the goal path: the lines on the way from the listening node to a
//      node that hands an interested customer to a person (or, in a script
//      without one, that completes the call), by the routes that raise the
//      interest score where it can.
// The same text is suggested once, under its best reason. Lines are
// rendered with the call's variables, in the phrasing the robot would use
// next. Pure: the session is not changed, nothing is kept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patter/desk.hpp"
#include "patter/session.hpp"

namespace patter {

enum class SuggestionKind : std::uint8_t {
  answer,  ///< a global handler's answer to what the customer asked
  reply,   ///< what the robot would say to the last words (Session::preview)
  next,    ///< the line of a node one of the listening node's routes leads to
  goal,    ///< a line on the way to the script's goal
};
std::string_view to_string(SuggestionKind k) noexcept;

struct RankedSuggestion {
  std::string text;     ///< the rendered line
  NodeId node = kNone;  ///< the node it belongs to (kNone for a handler's answer)
  SuggestionKind kind = SuggestionKind::answer;
  IntentId intent = kNone;      ///< answer: the intent answered; next: the route's first intent
  std::uint32_t index = kNone;  ///< answer: the global handler; next: the route
  double score = 0;             ///< 0..1, higher first
  std::string why;              ///< for the person: "answers ask_price (global handler 7)"

  /// As the desk's plain Suggestion.
  Suggestion suggestion() const { return {text, node, why, score}; }
};

struct SuggestOptions {
  std::size_t max = 6;  ///< suggestions returned at most
};

/// Ranked lines for the person on `call`, for the customer's last words
/// `heard` (empty: the last customer words of the transcript, if kept).
std::vector<RankedSuggestion> suggestions(const Session& call, std::string_view heard = {},
                                          SuggestOptions options = {});

}  // namespace patter

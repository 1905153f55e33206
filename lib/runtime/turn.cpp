// Turn::explain: why a step did what it did, in words.
#include <fmt/format.h>

#include "patter/session.hpp"

namespace patter {

namespace {

std::string_view name_of(const Script& s, NodeId n) {
  return n < s.nodes().size() ? std::string_view(s.nodes()[n].name) : std::string_view("(none)");
}

std::string intent_list(const Script& s, const std::vector<IntentId>& ids) {
  std::string out;
  for (IntentId i : ids) {
    if (!out.empty()) out += ", ";
    out += s.intent(i).name;
  }
  return out;
}

// One action, as a line of the explanation (without its newline).
std::string action_line(const Action& a, std::size_t candidates) {
  switch (a.type) {
    case ActionType::say:
      return fmt::format("say \"{}\"{}", a.text, a.barge_in ? "" : " (no barge-in)");
    case ActionType::listen: return fmt::format("listen {} ms", a.timeout_ms);
    case ActionType::stop_line: return "stop the line";
    case ActionType::tag: return fmt::format("tag {}", a.text);
    case ActionType::hangup: return fmt::format("hang up: {}", to_string(a.hangup));
    case ActionType::escalate:
      return fmt::format("escalate: {} ({} priority, score {})", to_string(a.escalation),
                         to_string(a.priority), a.score);
    case ActionType::end: return "end";
    case ActionType::resume_line:
      return fmt::format("say the line on from {} ms: \"{}\"", a.offset_ms, a.text);
    case ActionType::understand:
      return fmt::format("ask the host to understand \"{}\" among {} intents within {} ms", a.text,
                         candidates, a.timeout_ms);
    case ActionType::fetch:
      return fmt::format("fetch `{}` (id {}) within {} ms", a.text, a.fetch, a.timeout_ms);
  }
  return {};
}

// Why a route was taken: its intents or keys, and its guard.
std::string route_reason(const Script& script, const Route& r) {
  std::string why = r.any ? std::string("any reply") : "intent " + intent_list(script, r.intents);
  if (!r.keys.empty()) why += fmt::format(" or key {}", r.keys);
  if (!r.guard.empty()) why += fmt::format(", and `{}` holds", r.guard.source());
  return why;
}

}  // namespace

/// Why the decision was taken, where the decision alone does not say.
void Turn::explain_note(const Script& script, std::string& out) const {
  const float min = from_ < script.nodes().size() ? script.nodes()[from_].min_confidence
                                                  : script.settings().min_confidence;
  switch (note_) {
    case Note::none: return;
    case Note::backchannel_answer:
      out += fmt::format(
          "a backchannel after a question: taken as `{}` (settings.backchannel_intent)\n",
          script.intent(script.settings().backchannel_intent).name);
      return;
    case Note::below_confidence:
      out += fmt::format(
          "every intent of the host is below min_confidence {:.2f}: not understood\n", min);
      return;
    case Note::host_none:
      out += "the host understood none of the intents (not_understood)\n";
      return;
    case Note::host_late:
      out += "the host's answer came at or after the deadline: not understood\n";
      return;
    case Note::host_timeout:
      out += "no answer from the host by the deadline: not understood\n";
      return;
    case Note::ask_dropped:
      out += "the customer spoke again: the question to the host is dropped\n";
      return;
  }
}

/// The host's data, and where it led.
void Turn::explain_fetch(const Script& script, std::string& out) const {
  if (decision_ == Decision::data) {
    out += "the host set variables\n";
    return;
  }
  const std::string_view at = name_of(script, from_);
  if (from_ >= script.nodes().size() || script.node(from_).fetch >= script.fetches().size()) return;
  const Fetch& f = script.fetches()[script.node(from_).fetch];
  switch (decision_) {
    case Decision::fetched: {
      const FetchRoute& r = f.routes[index_];
      out += fmt::format(
          "the host's data for `{}` at `{}`: route {} ({}) -> `{}`\n", f.name, at, index_ + 1,
          r.guard.empty() ? std::string("always") : fmt::format("`{}` holds", r.guard.source()),
          name_of(script, r.target));
      return;
    }
    case Decision::fetch_timeout:
      out += fmt::format("no data for `{}` by the deadline at `{}`: timeout -> `{}`\n", f.name, at,
                         name_of(script, f.timeout));
      return;
    default:
      out += fmt::format(
          "the host could not fetch `{}`, or no `on` entry holds, at `{}`: "
          "failed -> `{}`\n",
          f.name, at, name_of(script, f.failed));
      return;
  }
}

/// What was decided, and where.
void Turn::explain_decision(const Script& script, std::string& out) const {
  auto line = [&](std::string_view s) {
    out += s;
    out += '\n';
  };
  const std::string_view at = name_of(script, from_);
  switch (decision_) {
    case Decision::none: line(status_ == Status::ignored ? "nothing to do" : "no decision"); break;
    case Decision::start:
      line(fmt::format("call answered: start at `{}`", name_of(script, script.start())));
      break;
    case Decision::route: {
      const Node& node = script.node(from_);
      const Route& r = node.routes_for(variant_)[index_];
      const bool own = variant_ < node.variants.size() && node.variants[variant_].own_routes;
      line(fmt::format("route {} of `{}`{} ({}) -> `{}`", index_ + 1, at,
                       own ? fmt::format(" variant `{}`", node.variants[variant_].name) : "",
                       route_reason(script, r), name_of(script, r.target)));
      break;
    }
    case Decision::global:
    case Decision::opt_out: {
      const GlobalHandler& g = script.globals()[index_];
      line(fmt::format("{}global handler {} (intent {}) at `{}`",
                       decision_ == Decision::opt_out ? "opt-out wins: " : "", index_ + 1,
                       intent_list(script, g.intents), at));
      break;
    }
    case Decision::no_match:
      line(fmt::format("no route or handler of `{}` matches: no_match", at));
      break;
    case Decision::long_reply:
      line(fmt::format(
          "no route or handler of `{}` matches, and the reply is long ({} characters): long_reply",
          at, understanding_.length()));
      break;
    case Decision::no_input: line(fmt::format("silence at `{}`: no_input", at)); break;
    case Decision::limit: line(fmt::format("limit reached: {}", to_string(limit_))); break;
    case Decision::score:
      line(fmt::format("the interest score reached escalate_score: go to `{}`",
                       name_of(script, script.limits().escalate_node)));
      break;
    case Decision::barge_in: line("the customer interrupted the line"); break;
    case Decision::not_now: {
      const Node* node = from_ < script.nodes().size() ? &script.node(from_) : nullptr;
      if (node && node->interrupt == Interrupt::only)
        line(
            fmt::format("not taken as a reply: the line at `{}` may be cut only by {}, and this "
                        "reply is none of them",
                        at, intent_list(script, node->interrupt_intents)));
      else
        line("not taken as a reply: only fillers, or the line may not be interrupted");
      break;
    }
    case Decision::human: line("a person has the call: heard, not acted on"); break;
    case Decision::hand_back: line("handed back to the robot"); break;
    case Decision::ended: line("the call ended"); break;
    case Decision::hold: line("still waiting for a person: a hold line"); break;
    case Decision::no_person:
      line(fmt::format("nobody took the call within {} s", script.hold().timeout_s));
      break;
    case Decision::backchannel:
      line("a backchannel while the robot talks: no interruption, the line goes on");
      break;
    case Decision::fetched:
    case Decision::fetch_timeout:
    case Decision::fetch_failed:
    case Decision::data: explain_fetch(script, out); break;
    case Decision::understand:
      line(fmt::format("nothing understood at `{}`: the host is asked (`understand` at this node)",
                       at));
      break;
  }
}

std::string Turn::explain(const Script& script) const {
  std::string out;
  auto line = [&](std::string_view s) {
    out += s;
    out += '\n';
  };
  if (is_error(status_)) {
    line(fmt::format("error {}: {}", to_string(status_), describe(status_)));
    return out;
  }
  if (!understanding_.normalized().empty() || understanding_.matched()) {
    out += understanding_.explain(script);
    if (!out.empty() && out.back() != '\n') out += '\n';
  }
  explain_decision(script, out);
  explain_note(script, out);
  if (path_used_ != 0) {
    std::string p = "entered:";
    for (NodeId n : path()) fmt::format_to(std::back_inserter(p), " `{}`", name_of(script, n));
    line(p);
  }
  for (const Action& a : actions()) line(action_line(a, candidates_.size()));
  return out;
}

}  // namespace patter

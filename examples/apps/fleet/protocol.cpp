// The fleet's messages as stream fields (protocol.hpp).
#include "protocol.hpp"

#include <charconv>
#include <system_error>

namespace fleet {
namespace {

using patter::ActionType;
using patter::EventType;
using patter::Phase;
using patter::Status;

std::string num(std::uint64_t v) {
  return std::to_string(v);
}

std::string num(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back the same
  return std::string(buf, r.ptr);
}

std::optional<double> parse_double(std::string_view s) {
  double v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// An enum from the name patter gives it (`to_string`), by trying each value.
template <class E>
std::optional<E> by_name(std::string_view s, E last) {
  for (int i = 0; i <= static_cast<int>(last); ++i)
    if (patter::to_string(static_cast<E>(i)) == s) return static_cast<E>(i);
  return std::nullopt;
}

// Length-prefixed items: "<bytes>:<item>", so an item may hold anything.
void put(std::string& out, std::string_view item) {
  out += std::to_string(item.size());
  out += ':';
  out += item;
}

bool take(std::string_view& in, std::string_view& item) {
  const std::size_t colon = in.find(':');
  if (colon == std::string_view::npos) return false;
  const auto n = parse_uint(in.substr(0, colon));
  if (!n || *n > in.size() - colon - 1) return false;
  item = in.substr(colon + 1, *n);
  in.remove_prefix(colon + 1 + *n);
  return true;
}

// Reads named fields of one entry, remembering the first thing missing or wrong.
class Reader {
 public:
  Reader(const FieldsView& f, std::string& error) : f_(f), error_(error) {}

  std::string_view text(std::string_view name, bool required = true) {
    const auto v = field(f_, name);
    if (!v && required) fail(name, "missing");
    return v.value_or(std::string_view());
  }
  std::uint64_t number(std::string_view name) {
    const auto v = parse_uint(text(name));
    if (!v) fail(name, "not a whole number");
    return v.value_or(0);
  }
  double real(std::string_view name) {
    const auto v = parse_double(text(name));
    if (!v) fail(name, "not a number");
    return v.value_or(0);
  }
  template <class E>
  E named(std::string_view name, E last) {
    const auto v = by_name(text(name), last);
    if (!v) fail(name, "not a known name");
    return v.value_or(E{});
  }
  bool ok() const { return error_.empty(); }
  void fail(std::string_view name, std::string_view what) {
    if (error_.empty()) error_ = "field `" + std::string(name) + "` " + std::string(what);
  }

 private:
  const FieldsView& f_;
  std::string& error_;
};

}  // namespace

std::optional<std::uint64_t> parse_uint(std::string_view s) {
  std::uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<std::string_view> field(const FieldsView& f, std::string_view name) {
  for (const auto& [k, v] : f)
    if (k == name) return v;
  return std::nullopt;
}

patter::Event LineEvent::event() const {
  switch (type) {
    case EventType::answered: return patter::Event::answered(at_ms);
    case EventType::utterance: return patter::Event::utterance(text, at_ms);
    case EventType::no_input: return patter::Event::no_input(at_ms);
    case EventType::dtmf: return patter::Event::dtmf(key, at_ms);
    case EventType::customer_hangup: return patter::Event::customer_hangup(at_ms);
    case EventType::voicemail: return patter::Event::voicemail(at_ms);
    case EventType::agent_joined: return patter::Event::agent_joined(at_ms);
    case EventType::agent_left: return patter::Event::agent_left(at_ms, patter::kNone, reason);
    case EventType::timer: return patter::Event::timer(at_ms);
    case EventType::intent:
    case EventType::not_understood:
    case EventType::data:
    case EventType::agent_said:
      break;  // the dialer sends words, never intents, host data or a person's
  }
  patter::Event e = patter::Event::timer(at_ms);
  e.type = type;  // the session refuses it with a status, as it should
  return e;
}

Fields encode(const LineEvent& e) {
  Fields f{{"call", num(e.call)},
           {"seq", num(std::uint64_t{e.seq})},
           {"type", std::string(patter::to_string(e.type))},
           {"at", num(e.at_ms)}};
  if (e.type == EventType::utterance) f.emplace_back("text", e.text);
  if (e.type == EventType::dtmf) f.emplace_back("key", std::string(1, e.key));
  if (e.type == EventType::agent_left)
    f.emplace_back("reason", std::string(patter::to_string(e.reason)));
  if (!e.script.empty()) f.emplace_back("script", e.script);
  if (!e.variables.empty()) {
    std::string vars;
    for (const auto& [name, value] : e.variables) {
      put(vars, name);
      put(vars, value);
    }
    f.emplace_back("vars", std::move(vars));
  }
  return f;
}

std::optional<LineEvent> decode_event(const FieldsView& f, std::string& error) {
  Reader r(f, error);
  LineEvent e;
  e.call = r.number("call");
  e.seq = static_cast<std::uint32_t>(r.number("seq"));
  e.type = r.named("type", EventType::timer);
  e.at_ms = r.number("at");
  e.text = std::string(r.text("text", e.type == EventType::utterance));
  if (e.type == EventType::dtmf) {
    const std::string_view k = r.text("key");
    if (k.size() != 1) r.fail("key", "not one character");
    e.key = k.empty() ? '\0' : k[0];
  }
  if (e.type == EventType::agent_left) {
    const auto reason = patter::parse_hangup_reason(r.text("reason"));
    if (!reason) r.fail("reason", "not a hang-up reason");
    e.reason = reason.value_or(patter::HangupReason::agent_ended);
  }
  e.script = std::string(r.text("script", false));
  std::string_view vars = r.text("vars", false);
  while (!vars.empty()) {
    std::string_view name, value;
    if (!take(vars, name) || !take(vars, value)) {
      r.fail("vars", "malformed");
      break;
    }
    e.variables.emplace_back(name, value);
  }
  if (e.seq == 0) r.fail("seq", "is 0 (turns count from 1)");
  if (!r.ok()) return std::nullopt;
  return e;
}

std::string pack_actions(const std::vector<ReportedAction>& actions) {
  std::string out;
  for (const ReportedAction& a : actions) {
    put(out, patter::to_string(a.type));
    put(out, a.node == patter::kNone ? std::string("-") : num(std::uint64_t{a.node}));
    put(out, a.text);
    put(out, num(std::uint64_t{a.timeout_ms}));
    put(out, patter::to_string(a.hangup));
    put(out, patter::to_string(a.escalation));
    put(out, patter::to_string(a.priority));
    put(out, num(a.score));
  }
  return out;
}

std::optional<std::vector<ReportedAction>> unpack_actions(std::string_view in) {
  std::vector<ReportedAction> out;
  while (!in.empty()) {
    std::string_view item[8];
    for (std::string_view& i : item)
      if (!take(in, i)) return std::nullopt;
    ReportedAction a;
    const auto type = by_name(item[0], ActionType::end);
    const auto node =
        item[1] == "-" ? std::optional<std::uint64_t>(patter::kNone) : parse_uint(item[1]);
    const auto timeout = parse_uint(item[3]);
    const auto hangup = patter::parse_hangup_reason(item[4]);
    const auto escalation = patter::parse_escalation_reason(item[5]);
    const auto priority = patter::parse_priority(item[6]);
    const auto score = parse_double(item[7]);
    if (!type || !node || !timeout || !hangup || !escalation || !priority || !score)
      return std::nullopt;
    a.type = *type;
    a.node = static_cast<patter::NodeId>(*node);
    a.text = std::string(item[2]);
    a.timeout_ms = static_cast<std::uint32_t>(*timeout);
    a.hangup = *hangup;
    a.escalation = *escalation;
    a.priority = *priority;
    a.score = *score;
    out.push_back(std::move(a));
  }
  return out;
}

Fields encode(const TurnReport& r) {
  return {{"call", num(r.call)},
          {"seq", num(std::uint64_t{r.seq})},
          {"status", std::string(patter::to_string(r.status))},
          {"phase", std::string(patter::to_string(r.phase))},
          {"awaiting", r.awaiting ? "1" : "0"},
          {"ended", r.ended ? "1" : "0"},
          {"deadline", num(r.deadline_ms)},
          {"worker", r.worker},
          {"actions", pack_actions(r.actions)}};
}

std::optional<TurnReport> decode_report(const FieldsView& f, std::string& error) {
  Reader r(f, error);
  TurnReport t;
  t.call = r.number("call");
  t.seq = static_cast<std::uint32_t>(r.number("seq"));
  t.status = r.named("status", Status::unknown_event);
  t.phase = r.named("phase", Phase::ended);
  t.awaiting = r.text("awaiting") == "1";
  t.ended = r.text("ended") == "1";
  t.deadline_ms = r.number("deadline");
  t.worker = std::string(r.text("worker"));
  auto actions = unpack_actions(r.text("actions"));
  if (!actions) r.fail("actions", "malformed");
  if (!r.ok()) return std::nullopt;
  t.actions = std::move(*actions);
  return t;
}

Fields encode(const EscalationNote& n) {
  return {{"call", num(n.call)},
          {"seq", num(std::uint64_t{n.seq})},
          {"reason", std::string(patter::to_string(n.reason))},
          {"priority", std::string(patter::to_string(n.priority))},
          {"score", num(n.score)},
          {"at", num(n.at_ms)}};
}

std::optional<EscalationNote> decode_escalation(const FieldsView& f, std::string& error) {
  Reader r(f, error);
  EscalationNote n;
  n.call = r.number("call");
  n.seq = static_cast<std::uint32_t>(r.number("seq"));
  const auto reason = patter::parse_escalation_reason(r.text("reason"));
  const auto priority = patter::parse_priority(r.text("priority"));
  if (!reason) r.fail("reason", "not an escalation reason");
  if (!priority) r.fail("priority", "not a priority");
  n.score = r.real("score");
  n.at_ms = r.number("at");
  if (!r.ok()) return std::nullopt;
  n.reason = *reason;
  n.priority = *priority;
  return n;
}

Fields encode(const PersonPlan& p) {
  return {{"call", num(p.call)},
          {"seq", num(std::uint64_t{p.seq})},
          {"agent", p.agent},
          {"pickup", num(p.pickup_ms)},
          {"talk", num(p.talk_ms)}};
}

std::optional<PersonPlan> decode_plan(const FieldsView& f, std::string& error) {
  Reader r(f, error);
  PersonPlan p;
  p.call = r.number("call");
  p.seq = static_cast<std::uint32_t>(r.number("seq"));
  p.agent = std::string(r.text("agent"));
  p.pickup_ms = r.number("pickup");
  p.talk_ms = r.number("talk");
  if (!r.ok()) return std::nullopt;
  return p;
}

Keys::Keys(const std::string& p)
    : prefix(p),
      campaign(p + ":campaign"),
      actions(p + ":actions"),
      results(p + ":results"),
      escalations(p + ":escalations"),
      plans(p + ":plans"),
      done(p + ":done"),
      dead(p + ":dead"),
      desk_taken(p + ":desk:taken") {}

std::string Keys::call(CallId id) const {
  return prefix + ":call:" + std::to_string(id);
}

std::string Keys::events(std::string_view fingerprint) const {
  return prefix + ":events:" + std::string(fingerprint);
}

}  // namespace fleet

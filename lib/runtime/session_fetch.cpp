// Host data: a fetch node asks the host for data (a policy, an order,
// availability) and waits until its deadline; the host's `data` event
// answers it, and the node routes on what came back. A `data` event outside
// a fetch sets the variables the script lets the host set.

#include "runtime/session_engine.hpp"

namespace patter {

namespace {

/// Longest text value a `data` event may set, in bytes (as Session::start).
constexpr std::size_t kMaxDataBytes = std::size_t{1} << 20;

bool fits(Variable::Type type, std::string_view v) noexcept {
  switch (type) {
    case Variable::Type::text:
      return v.size() <= kMaxDataBytes && detail::find_invalid_utf8(v) == std::string_view::npos;
    case Variable::Type::number: return detail::parse_number(v).has_value();
    case Variable::Type::boolean: return SessionEngine::parse_bool(v).has_value();
    case Variable::Type::time: return detail::parse_time_value(v).has_value();
  }
  return false;
}

void set_value(Session& s, VariableId id, Variable::Type type, std::string_view v) {
  switch (type) {
    case Variable::Type::text: SessionAccess::set_text(s, id, v); break;
    case Variable::Type::number: SessionAccess::set_number(s, id, *detail::parse_number(v)); break;
    case Variable::Type::boolean:
      SessionAccess::set_number(s, id, *SessionEngine::parse_bool(v) ? 1 : 0);
      break;
    case Variable::Type::time:
      SessionAccess::set_time(s, id, *detail::parse_time_value(v), v);
      break;
  }
}

}  // namespace

/// Everything a data event carries is checked before anything is set, so a
/// refused one changes nothing.
Status Session::check_data(const Event& e) const noexcept {
  if (e.fetch != 0) {
    const Extras x = SessionAccess::extras(st_, SessionLayout(*script_));
    if (!st_.has(detail::kFetching) || st_.phase != Phase::robot || e.fetch != x.fetch_id)
      return Status::not_fetching;
    if (e.at_ms >= x.ask_deadline) return Status::late_data;
    if (e.failed) return Status::ok;
  } else if (e.failed) {
    return Status::not_fetching;
  }
  for (const auto& [name, value] : e.values) {
    const auto id = script_->find_variable(name);
    if (!id) return Status::unknown_variable;
    const Variable& v = script_->variables()[*id];
    if (e.fetch == 0 && !v.host_settable) return Status::not_settable;
    if (!fits(v.type, value)) return Status::bad_value;
  }
  return Status::ok;
}

void SessionEngine::start_fetch(NodeId n) {
  const Fetch& f = sc.fetches()[sc.nodes()[n].fetch];
  s.st_.phase = Phase::robot;
  s.st_.set(detail::kFetching);
  edit_extras([&](Extras& x) {
    x.fetch_id = static_cast<std::uint16_t>(x.fetch_id == 0xFFFF ? 1 : x.fetch_id + 1);
    x.ask_deadline = now + f.timeout_ms;
  });
  // The arguments render into the Turn's text; a view made before the text
  // grows moves with it.
  if (t.fetch_args_.size() < f.with.size()) t.fetch_args_.resize(f.with.size());
  for (std::size_t i = 0; i < f.with.size(); ++i) {
    const char* base = t.text_.data();
    const std::string_view value = put_line(&f.with[i].second);
    if (t.text_.data() != base)
      for (std::size_t j = 0; j < i; ++j) {
        std::string_view& old = t.fetch_args_[j].second;
        old = std::string_view(t.text_.data() + (old.data() - base), old.size());
      }
    t.fetch_args_[i] = {f.with[i].first, value};
  }
  t.fetch_args_used_ = static_cast<std::uint32_t>(f.with.size());
  Action& a = push(ActionType::fetch, n);
  a.text = f.name;
  a.timeout_ms = f.timeout_ms;
  a.fetch = extras().fetch_id;
}

void SessionEngine::data(const Event& e) {
  if (e.fetch == 0) {  // checked: host-settable variables
    for (const auto& [name, value] : e.values) {
      const VariableId id = *sc.find_variable(name);
      set_value(s, id, sc.variables()[id].type, value);
    }
    t.decision_ = Decision::data;
    return;
  }
  // Checked: the answer to the fetch that waits, in time.
  s.st_.set(detail::kFetching, false);
  const Fetch& f = sc.fetches()[sc.nodes()[s.st_.node].fetch];
  if (!e.failed) {
    for (const auto& [name, value] : e.values) {
      const VariableId id = *sc.find_variable(name);
      set_value(s, id, sc.variables()[id].type, value);
    }
    SessionEnv env(s);
    for (std::uint32_t r = 0; r < f.routes.size(); ++r) {
      if (!f.routes[r].guard.test(env)) continue;
      t.decision_ = Decision::fetched;
      t.index_ = r;
      enter(f.routes[r].target);
      return;
    }
  }
  // The host could not fetch it, or what came back leads nowhere.
  t.decision_ = Decision::fetch_failed;
  t.index_ = static_cast<std::uint32_t>(f.routes.size());
  enter(f.failed);
}

void SessionEngine::fetch_timed_out() {
  s.st_.set(detail::kFetching, false);
  t.decision_ = Decision::fetch_timeout;
  enter(sc.fetches()[sc.nodes()[s.st_.node].fetch].timeout);
}

bool SessionEngine::while_fetching(const Event& e) {
  Understanding& u = t.understanding_;
  switch (e.type) {
    case EventType::utterance: sc.matcher().understand(e.text, u); break;
    case EventType::intent: from_host(e, u); break;
    case EventType::dtmf:
    case EventType::no_input: break;
    default: return false;
  }
  // Stop calling me wins even now; anything else waits for the data.
  if (auto g = opt_out_handler(u)) {
    s.st_.set(detail::kFetching, false);
    reply(u, 0, g, e.type == EventType::utterance ? ReplyFrom::words : ReplyFrom::host, e.text);
    return true;
  }
  if (e.type == EventType::utterance && s.st_.transcript)
    s.record(TranscriptEntry::Who::customer, now, s.st_.node, u.matched() ? u.best().intent : kNone,
             u.invalid_utf8() ? std::string_view(u.normalized()) : e.text);  // as in Session::step
  t.decision_ = Decision::not_now;
  t.status_ = Status::ignored;
  return true;
}

}  // namespace patter

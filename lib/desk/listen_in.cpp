// Listen-in (patter/desk.hpp): what a call's subscribers see of each turn
// and of the people who join it.
#include "desk_impl.hpp"

#include "text/utf8.hpp"

namespace patter {

void Desk::Impl::publish(DeskCall& c, ListenEvent e) {
  e.call = c.id;
  for (auto& s : c.subs) s->push(e);
}

void Desk::Impl::publish_turn(DeskCall& c, const Event* event, const Turn& t, std::uint64_t at) {
  if (c.subs.empty()) return;
  const Script& script = c.session.script();
  if (event) {
    ListenEvent e;
    e.at_ms = at;
    e.node = t.from();
    switch (event->type) {
      case EventType::utterance:
        e.type = ListenEventType::customer_said;
        e.text = t.understanding().invalid_utf8()
                     ? std::string(t.understanding().normalized())
                     : std::string(detail::utf8_head(event->text, kListenTextMax));
        if (t.understanding().matched()) e.intent = t.understanding().best().intent;
        publish(c, std::move(e));
        break;
      case EventType::intent:
        e.type = ListenEventType::customer_said;
        e.text = script.intent(event->intent).name;
        e.intent = event->intent;
        publish(c, std::move(e));
        break;
      case EventType::dtmf:
        e.type = ListenEventType::key;
        e.text.assign(1, event->key);
        publish(c, std::move(e));
        break;
      case EventType::no_input:
        e.type = ListenEventType::silence;
        publish(c, std::move(e));
        break;
      default: break;
    }
  }
  for (const Action& a : t.actions()) {
    ListenEvent e;
    e.at_ms = at;
    e.node = a.node;
    if (a.type == ActionType::say) {
      e.type = ListenEventType::robot_said;
      e.text = std::string(a.text);
    } else if (a.type == ActionType::escalate) {
      e.type = ListenEventType::escalated;
      e.text = std::string(to_string(a.escalation));
    } else if (a.type == ActionType::end) {
      e.type = ListenEventType::ended;
      e.text = std::string(to_string(c.session.outcome()));
    } else {
      continue;
    }
    publish(c, std::move(e));
  }
}

std::shared_ptr<Subscription> Desk::listen(CallId id) {
  return listen(id, impl_->opt.listen_buffer);
}

std::shared_ptr<Subscription> Desk::listen(CallId id, std::size_t buffer) {
  std::shared_ptr<DeskCall> c = impl_->find(id);
  if (!c) return nullptr;
  auto sub = std::make_shared<Subscription>(buffer);
  std::lock_guard lock(c->m);
  c->subs.push_back(sub);
  return sub;
}

}  // namespace patter

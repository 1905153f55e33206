// Telling the observer what a step did, its exceptions kept in the Turn.

#include "runtime/session_engine.hpp"

namespace patter {

void Session::notify(Turn& t) {
  auto guarded = [&](auto&& hook) {
    try {
      hook();
    } catch (const std::exception& ex) {
      if (!t.hook_error_) {
        t.hook_error_ = std::current_exception();
        t.hook_message_ = ex.what();
      }
    } catch (...) {
      if (!t.hook_error_) {
        t.hook_error_ = std::current_exception();
        t.hook_message_ = "an observer threw a non-standard exception";
      }
    }
  };
  Observer& o = *observer_;
  for (NodeId n : t.path()) guarded([&] { o.node_entered(*this, n); });
  for (const Action& a : t.actions()) {
    switch (a.type) {
      case ActionType::say: guarded([&] { o.said(*this, a); }); break;
      case ActionType::tag: guarded([&] { o.tagged(*this, a.text); }); break;
      case ActionType::escalate: guarded([&] { o.escalated(*this, a); }); break;
      case ActionType::end: guarded([&] { o.call_ended(*this, result()); }); break;
      default: break;
    }
  }
  guarded([&] { o.turn(*this, t); });
}

}  // namespace patter

// The Desk: people supervising robot calls, from Python. The desk is
// thread-safe; its long calls run without the GIL, and the host callbacks
// take it back.
#include <unordered_map>

#include "common.hpp"
#include "desk_common.hpp"

namespace patter::python {
namespace {

// An exception a Python callback raised inside a desk call on this thread;
// raised again once the desk call has returned.
thread_local std::exception_ptr pending_callback_error;

/// Python's patter.Subscription: a read-only view of one live call.
struct PySubscription {
  std::shared_ptr<Subscription> sub;
  ScriptRef script;
  CallId call = 0;

  py::list poll(std::optional<std::size_t> max) {
    std::vector<ListenEvent> events;
    sub->poll(events, max ? *max : SIZE_MAX);
    py::list out;
    py::object cls = pylayer("ListenEvent");
    for (const ListenEvent& e : events) {
      py::dict kw;
      kw["call"] = e.call;
      kw["type"] = to_py(to_string(e.type));
      kw["at_ms"] = e.at_ms;
      kw["text"] = e.text;
      kw["agent"] = py_str_or_none(e.agent);
      kw["node"] = node_name(**script, e.node);
      kw["intent"] = intent_name(**script, e.intent);
      out.append(cls(**kw));
    }
    return out;
  }
};

class PyDesk {
 public:
  PyDesk(bool auto_assign, std::size_t listen_buffer, std::uint32_t on_time_ms,
         py::object on_call_ended, py::object on_assigned)
      : on_ended_(std::move(on_call_ended)), on_assigned_(std::move(on_assigned)) {
    DeskOptions o;
    o.auto_assign = auto_assign;
    o.listen_buffer = listen_buffer;
    o.on_time_ms = on_time_ms;
    o.on_call_ended = [this](CallId id, const CallResult& r) {
      py::gil_scoped_acquire gil;
      auto it = scripts_.find(id);
      if (it == scripts_.end()) return;
      ScriptRef script = it->second;
      scripts_.erase(it);
      if (on_ended_.is_none()) return;
      try {
        on_ended_(id, call_result(**script, r));
      } catch (py::error_already_set&) {
        if (!pending_callback_error) pending_callback_error = std::current_exception();
      }
    };
    o.on_assigned = [this](std::string_view agent, CallId id) {
      if (on_assigned_.is_none()) return;
      py::gil_scoped_acquire gil;
      try {
        on_assigned_(to_py(agent), id);
      } catch (py::error_already_set&) {
        if (!pending_callback_error) pending_callback_error = std::current_exception();
      }
    };
    desk_ = std::make_unique<Desk>(std::move(o));
  }

  void add_agent(const std::string& id, std::uint32_t capacity, std::vector<std::string> skills,
                 bool trainee, bool auto_answer, bool supervisor) {
    AgentOptions o = agent_options(capacity, std::move(skills), trainee, auto_answer, supervisor);
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->add_agent(id, std::move(o));
    }
    if (st != DeskStatus::ok) raise_desk_error(st);
  }

  void remove_agent(const std::string& id) {
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->remove_agent(id);
    }
    if (st != DeskStatus::ok) raise_desk_error(st);
  }

  py::object open_call(ScriptRef script, const py::object& variables,
                       std::optional<std::string> agent, std::uint32_t transcript) {
    if (!script) throw py::type_error("open_call() needs a Script");
    std::vector<std::string> owned;
    std::vector<VariableValue> values = variables_arg(**script, variables, owned);
    SessionOptions so;
    so.transcript = transcript;
    std::optional<Desk::Opened> opened;
    {
      py::gil_scoped_release nogil;
      opened = desk_->open_call(script->ptr, std::span<const VariableValue>(values),
                                agent ? *agent : std::string(), so);
    }
    if (opened->code() == DeskStatus::bad_script) {
      // The same check again, alone, names the start error as Session.start does.
      Started st = Session::start(script->ptr, std::span<const VariableValue>(values), so);
      raise_error("StartError",
                  py::make_tuple(opened->message(),
                                 to_py(to_string(st ? StartError::bad_value : st.code()))));
    }
    if (!*opened) raise_desk_error(opened->code());
    scripts_[(*opened)->id] = std::move(script);
    return opened_call(**opened);
  }

  py::object step(CallId call, const PyEvent& e) {
    ScriptRef script = script_of(call);
    Event ev = e.resolve(**script);
    auto turn = std::make_shared<Turn>();
    std::string assigned;
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->step(call, ev, *turn, &assigned);
    }
    PyTurn t{turn, script, std::nullopt, std::nullopt};
    if (!assigned.empty()) t.assigned = assigned;
    return finish_op(st, std::move(t));
  }

  py::object grab(const std::string& agent, CallId call, std::uint64_t at) {
    if (is_remote_call(call))
      return remote_op(call, agent, [&](Turn& t) { return desk_->grab(agent, call, at, t); });
    ScriptRef script = script_of(call);
    auto turn = std::make_shared<Turn>();
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->grab(agent, call, at, *turn);
    }
    return finish_op(st, PyTurn{turn, script, std::nullopt, call});
  }

  py::object take_next(const std::string& agent, std::uint64_t at) {
    auto turn = std::make_shared<Turn>();
    CallId call = 0;
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->take_next(agent, at, *turn, &call);
    }
    if (st == DeskStatus::ok && is_remote_call(call)) {  // the host bridges them in
      rethrow_pending(py::none());
      return routing(Routing{DeskStatus::ok, {{call, agent}}, false});
    }
    ScriptRef script;
    if (auto it = scripts_.find(call); it != scripts_.end()) script = it->second;
    if (!script) {
      rethrow_pending(py::none());
      if (st == DeskStatus::ok) raise_desk_error(DeskStatus::unknown_call);
      raise_desk_error(st);
    }
    return finish_op(st, PyTurn{turn, script, std::nullopt, call});
  }

  py::object hand_back(const std::string& agent, CallId call, const py::object& node,
                       std::uint64_t at) {
    if (is_remote_call(call))
      return remote_op(call, {}, [&](Turn& t) {
        return desk_->hand_back(agent, call, kNone, at, t);  // the node is the host's session's
      });
    ScriptRef script = script_of(call);
    NodeId id = node_arg(**script, node);
    auto turn = std::make_shared<Turn>();
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->hand_back(agent, call, id, at, *turn);
    }
    return finish_op(st, PyTurn{turn, script, std::nullopt, call});
  }

  py::object finish(const std::string& agent, CallId call, std::uint64_t at,
                    const std::string& reason) {
    if (is_remote_call(call))
      return remote_op(call, {}, [&](Turn& t) { return desk_->finish(agent, call, at, t); });
    ScriptRef script = script_of(call);
    HangupReason r = hangup_arg(reason);
    auto turn = std::make_shared<Turn>();
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->finish(agent, call, at, *turn, r);
    }
    return finish_op(st, PyTurn{turn, script, std::nullopt, call});
  }

  py::object assist(CallId call) const {
    auto it = scripts_.find(call);
    if (it == scripts_.end()) return py::none();
    const Script& s = **it->second;
    std::optional<Assist> a;
    {
      py::gil_scoped_release nogil;
      a = desk_->assist(call);
    }
    if (!a) return py::none();
    py::list intents, lines;
    for (IntentId i : a->intents) intents.append(intent_name(s, i));
    for (const Suggestion& sg : a->lines) {
      py::dict kw;
      kw["text"] = sg.text;
      kw["node"] = node_name(s, sg.node);
      lines.append(pylayer("Suggestion")(**kw));
    }
    py::dict kw;
    kw["heard"] = a->heard;
    kw["intents"] = intents;
    kw["lines"] = lines;
    kw["decision"] = to_py(to_string(a->decision));
    kw["grade"] = a->grade;
    kw["score"] = a->score;
    return pylayer("Assist")(**kw);
  }

  // ---- supervisors and the people on a call ----------------------------------

  void whisper(const std::string& supervisor, CallId call, const py::object& text,
               std::uint64_t at) {
    const std::string words = text_arg(text);
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->whisper(supervisor, call, words, at);
    }
    if (st != DeskStatus::ok) raise_desk_error(st);
  }

  py::object barge(const std::string& supervisor, CallId call, std::uint64_t at) {
    return supervised(call, [&](Turn& t) { return desk_->barge(supervisor, call, at, t); });
  }

  py::object take_over(const std::string& supervisor, CallId call, std::uint64_t at) {
    return supervised(call, [&](Turn& t) { return desk_->take_over(supervisor, call, at, t); });
  }

  py::object reassign(const std::string& supervisor, CallId call, const std::string& to,
                      std::uint64_t at) {
    return supervised(call, [&](Turn& t) { return desk_->reassign(supervisor, call, to, at, t); });
  }

  py::object say(const std::string& person, CallId call, const py::object& text, std::uint64_t at) {
    const std::string words = text_arg(text);
    return supervised(call, [&](Turn& t) { return desk_->say(person, call, words, at, t); });
  }

  void leave(const std::string& supervisor, CallId call, std::uint64_t at) {
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->leave(supervisor, call, at);
    }
    rethrow_pending(py::none());
    if (st != DeskStatus::ok) raise_desk_error(st);
  }

  void note(const std::string& author, CallId call, const py::object& text, std::uint64_t at) {
    const std::string words = text_arg(text);
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->note(author, call, words, at);
    }
    if (st != DeskStatus::ok) raise_desk_error(st);
  }

  py::list notes(CallId call) const {
    std::vector<CoachingNote> v;
    {
      py::gil_scoped_release nogil;
      v = desk_->notes(call);
    }
    return notes_list(v);
  }

  py::object summary(CallId call, std::uint64_t now) const {
    std::optional<HandoffSummary> s;
    {
      py::gil_scoped_release nogil;
      s = desk_->summary(call, now);
    }
    if (!s) return py::none();
    return py::module_::import("json").attr("loads")(s->to_json());
  }

  std::vector<CallId> due(std::uint64_t now) const {
    py::gil_scoped_release nogil;
    return desk_->due(now);
  }

  PySubscription listen(CallId call, std::optional<std::size_t> buffer) {
    ScriptRef script = script_of(call);
    std::shared_ptr<Subscription> sub;
    {
      py::gil_scoped_release nogil;
      sub = buffer ? desk_->listen(call, *buffer) : desk_->listen(call);
    }
    if (!sub) raise_desk_error(DeskStatus::unknown_call);
    return PySubscription{std::move(sub), std::move(script), call};
  }

  py::object call_info(CallId id) const {
    auto it = scripts_.find(id);
    std::optional<Desk::CallInfo> info;
    {
      py::gil_scoped_release nogil;
      info = desk_->call(id);
    }
    if (!info || (!info->remote && it == scripts_.end())) return py::none();
    py::dict kw;
    kw["id"] = info->id;
    kw["supervisor"] = info->supervisor;
    kw["with_agent"] = py_str_or_none(info->with);
    kw["phase"] = to_py(to_string(info->phase));
    kw["node"] = info->remote ? py::object(py::none()) : node_name(**it->second, info->node);
    kw["score"] = info->score;
    kw["queued"] = info->queued;
    kw["escalated_at_ms"] = info->escalated_at_ms;
    kw["barged"] = py_str_or_none(info->barged);
    kw["notes"] = notes_list(info->notes);
    kw["remote"] = info->remote;
    return pylayer("CallInfo")(**kw);
  }

  py::object session(CallId id) const {
    auto it = scripts_.find(id);
    if (it == scripts_.end()) return py::none();
    std::optional<Session> s;
    {
      py::gil_scoped_release nogil;
      s = desk_->session(id);
    }
    if (!s) return py::none();
    return session_copy(*s, it->second);
  }

  std::vector<CallId> queue() const {
    py::gil_scoped_release nogil;
    return desk_->queue();
  }
  std::size_t live_calls() const { return desk_->live_calls(); }

  py::object counters() const { return desk_counters(desk_->counters()); }

  py::object stats(const std::string& agent) const {
    auto s = desk_->stats(agent);
    return s ? agent_stats(*s) : py::none();
  }
  py::list all_stats() const {
    py::list out;
    for (const AgentStats& s : desk_->all_stats()) out.append(agent_stats(s));
    return out;
  }
  py::object trainee_assessment(const std::string& trainee) const {
    auto a = desk_->assessment(trainee);
    return a ? assessment(*a) : py::none();
  }

  std::unique_ptr<Desk> desk_;
  py::object on_ended_, on_assigned_;

  // ---- remote calls: their sessions are the host's; answers are Routings --

  py::object open_remote(CallId call, std::optional<std::string> agent) {
    std::optional<Desk::Opened> opened;
    {
      py::gil_scoped_release nogil;
      opened = desk_->open_remote(call, agent ? *agent : std::string());
    }
    rethrow_pending(py::none());
    if (!*opened) raise_desk_error(opened->code());
    return opened_call(**opened);
  }
  py::object escalated(CallId call, const std::string& priority, double score, std::uint64_t at) {
    const Priority p = priority_arg(priority);
    return remote_routing([&] { return desk_->escalated(call, p, score, at); });
  }
  py::object gave_up(CallId call, std::uint64_t at) {
    return remote_routing([&] { return desk_->gave_up(call, at); });
  }
  py::object ended(CallId call, const std::string& outcome, std::uint64_t at) {
    const Outcome o = outcome_arg(outcome);
    return remote_routing([&] { return desk_->ended(call, o, at); });
  }
  void script_escalated(CallId call, std::uint64_t at) {
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = desk_->script_escalated(call, at);
    }
    rethrow_pending(py::none());
    if (st != DeskStatus::ok) raise_desk_error(st);
  }

 private:
  template <class Op>
  py::object remote_routing(Op op) {
    const Routing r = without_gil(op);
    rethrow_pending(py::none());  // on_assigned, for people given calls meanwhile
    return routing(r);
  }

  /// grab, hand_back, finish on a remote call: a Routing with the person to
  /// bridge in (`agent`), or none (the person freed takes the next call
  /// through on_assigned).
  template <class Op>
  py::object remote_op(CallId call, const std::string& agent, Op op) {
    Turn scratch;
    const DeskStatus st = without_gil([&] { return op(scratch); });
    rethrow_pending(py::none());
    if (st != DeskStatus::ok) raise_desk_error(st);
    Routing r;
    if (!agent.empty()) r.assigned.push_back({call, agent});
    return routing(r);
  }

  ScriptRef script_of(CallId call) const {
    auto it = scripts_.find(call);
    if (it == scripts_.end())  // no session here: a remote call's is the host's
      raise_desk_error(is_remote_call(call) && desk_->call(call) ? DeskStatus::remote_call
                                                                 : DeskStatus::unknown_call);
    return it->second;
  }

  static void rethrow_pending(const py::object& turn) {
    if (!pending_callback_error) return;
    std::exception_ptr e = std::exchange(pending_callback_error, nullptr);
    reraise_hook_error(e, turn);
  }

  // A supervisor's or a person's operation that answers with a turn.
  template <class Op>
  py::object supervised(CallId call, Op op) {
    ScriptRef script = script_of(call);
    auto turn = std::make_shared<Turn>();
    DeskStatus st;
    {
      py::gil_scoped_release nogil;
      st = op(*turn);
    }
    return finish_op(st, PyTurn{turn, script, std::nullopt, call});
  }

  static py::list notes_list(const std::vector<CoachingNote>& v) {
    py::list out;
    py::object cls = pylayer("CoachingNote");
    for (const CoachingNote& n : v) {
      py::dict kw;
      kw["author"] = n.author;
      kw["text"] = n.text;
      kw["at_ms"] = n.at_ms;
      out.append(cls(**kw));
    }
    return out;
  }

  py::object finish_op(DeskStatus st, PyTurn t) {
    py::object out = py::cast(std::move(t));
    rethrow_pending(out);
    if (st == DeskStatus::session_error)
      raise_event_error(out.cast<const PyTurn&>().turn->status(), out);
    if (st != DeskStatus::ok) raise_desk_error(st);
    return out;
  }

  // Which script each live call runs, for names in what comes back. Read
  // and written with the GIL held.
  std::unordered_map<CallId, ScriptRef> scripts_;
};

}  // namespace

void init_desk(py::module_& m) {
  // Remote calls' ids: the host's id with the top bit set (patter/desk.hpp).
  m.def(
      "remote_call",
      [](std::uint64_t host_id) {
        if (is_remote_call(host_id))
          throw py::value_error("a host's call id must be below 2**63, not " +
                                std::to_string(host_id));
        return remote_call(host_id);
      },
      py::arg("host_id"));
  m.def(
      "host_call_id", [](CallId call) { return host_call_id(call); }, py::arg("call"));
  m.def(
      "is_remote_call", [](CallId call) { return is_remote_call(call); }, py::arg("call"));
  py::class_<PySubscription>(m, "Subscription",
                             "A read-only, never-blocking view of one live call.")
      .def("poll", &PySubscription::poll, py::arg("max") = py::none())
      .def_property_readonly("call", [](const PySubscription& s) { return s.call; })
      .def_property_readonly("dropped", [](const PySubscription& s) { return s.sub->dropped(); })
      .def_property_readonly("closed", [](const PySubscription& s) { return s.sub->closed(); })
      .def("close", [](PySubscription& s) { s.sub->close(); })
      .def("__repr__", [](const PySubscription& s) {
        return "<Subscription call " + std::to_string(s.call) +
               (s.sub->closed() ? " closed>" : ">");
      });

  py::class_<PyDesk>(m, "Desk",
                     "People and robots together: supervise, grab, hand back, listen in, train.")
      .def(py::init<bool, std::size_t, std::uint32_t, py::object, py::object>(), py::kw_only(),
           py::arg("auto_assign") = true, py::arg("listen_buffer") = DeskOptions{}.listen_buffer,
           py::arg("on_time_ms") = DeskOptions{}.on_time_ms, py::arg("on_call_ended") = py::none(),
           py::arg("on_assigned") = py::none())
      .def("add_agent", &PyDesk::add_agent, py::arg("id"), py::kw_only(), py::arg("capacity") = 3,
           py::arg("skills") = std::vector<std::string>{}, py::arg("trainee") = false,
           py::arg("auto_answer") = AgentOptions{}.auto_answer, py::arg("supervisor") = false)
      .def("remove_agent", &PyDesk::remove_agent, py::arg("id"))
      .def_property_readonly("agents", [](const PyDesk& d) { return d.desk_->agents(); })
      .def("open_call", &PyDesk::open_call, py::arg("script"), py::arg("variables") = py::none(),
           py::kw_only(), py::arg("agent") = py::none(), py::arg("transcript") = 0)
      .def("step", &PyDesk::step, py::arg("call"), py::arg("event"))
      .def("open_remote", &PyDesk::open_remote, py::arg("call"), py::arg("agent") = py::none())
      .def("escalated", &PyDesk::escalated, py::arg("call"), py::arg("priority") = "normal",
           py::arg("score") = 0.0, py::arg("at") = 0)
      .def("gave_up", &PyDesk::gave_up, py::arg("call"), py::arg("at"))
      .def("ended", &PyDesk::ended, py::arg("call"), py::arg("outcome"), py::arg("at"))
      .def("script_escalated", &PyDesk::script_escalated, py::arg("call"), py::arg("at"))
      .def("grab", &PyDesk::grab, py::arg("agent"), py::arg("call"), py::arg("at"))
      .def("take_next", &PyDesk::take_next, py::arg("agent"), py::arg("at"))
      .def("hand_back", &PyDesk::hand_back, py::arg("agent"), py::arg("call"), py::arg("node"),
           py::arg("at"))
      .def("finish", &PyDesk::finish, py::arg("agent"), py::arg("call"), py::arg("at"),
           py::arg("reason") = "agent_ended")
      .def("assist", &PyDesk::assist, py::arg("call"))
      .def("summary", &PyDesk::summary, py::arg("call"), py::arg("now") = 0)
      .def("whisper", &PyDesk::whisper, py::arg("supervisor"), py::arg("call"), py::arg("text"),
           py::arg("at"))
      .def("barge", &PyDesk::barge, py::arg("supervisor"), py::arg("call"), py::arg("at"))
      .def("take_over", &PyDesk::take_over, py::arg("supervisor"), py::arg("call"), py::arg("at"))
      .def("leave", &PyDesk::leave, py::arg("supervisor"), py::arg("call"), py::arg("at"))
      .def("note", &PyDesk::note, py::arg("author"), py::arg("call"), py::arg("text"),
           py::arg("at"))
      .def("notes", &PyDesk::notes, py::arg("call"))
      .def("reassign", &PyDesk::reassign, py::arg("supervisor"), py::arg("call"), py::arg("to"),
           py::arg("at"))
      .def("say", &PyDesk::say, py::arg("person"), py::arg("call"), py::arg("text"), py::arg("at"))
      .def("due", &PyDesk::due, py::arg("now"))
      .def("listen", &PyDesk::listen, py::arg("call"), py::arg("buffer") = py::none())
      .def("call", &PyDesk::call_info, py::arg("id"))
      .def("session", &PyDesk::session, py::arg("id"))
      .def_property_readonly("queue", &PyDesk::queue)
      .def_property_readonly("live_calls", &PyDesk::live_calls)
      .def_property_readonly("counters", &PyDesk::counters)
      .def("stats", &PyDesk::stats, py::arg("agent"))
      .def("all_stats", &PyDesk::all_stats)
      .def("assessment", &PyDesk::trainee_assessment, py::arg("trainee"))
      .def("__repr__", [](const PyDesk& d) {
        return "<Desk " + std::to_string(d.desk_->agents().size()) + " agents, " +
               std::to_string(d.desk_->live_calls()) + " live calls>";
      });
  init_desk_router(m);
}

}  // namespace patter::python

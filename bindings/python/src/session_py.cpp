// Events, actions, turns, observers and the Session.
#include <cstdio>

#include "common.hpp"

namespace patter::python {

namespace {
py::object transcript_entry(const Script& s, const TranscriptEntry& e);
}

Event PyEvent::resolve(const Script& s) const {
  Event e = event;
  e.text = text;
  e.speaker = speaker;
  if (e.type == EventType::intent && !e.ranked) e.intent = intent_arg(s, intent);
  if (e.ranked) {
    resolved.clear();
    for (const auto& [name, confidence] : nbest)
      resolved.push_back({intent_arg(s, name), confidence});
    e.candidates = resolved;
  }
  if (e.type == EventType::agent_left && !node.is_none()) e.node = node_arg(s, node);
  if (e.type == EventType::data) {
    value_views.clear();
    for (const auto& [name, value] : values) value_views.emplace_back(name, value);
    e.values = value_views;
  }
  return e;
}

PyAction copy_action(const Script& s, const Action& a) {
  PyAction p;
  p.type = a.type;
  if (a.node < s.nodes().size()) p.node = s.node(a.node).name;
  p.text = a.text;
  p.recording = a.recording;
  p.barge_in = a.barge_in;
  p.no_barge_ms = a.no_barge_ms;
  p.timeout_ms = a.timeout_ms;
  p.hangup = a.hangup;
  p.escalation = a.escalation;
  p.priority = a.priority;
  p.score = a.score;
  p.offset_ms = a.offset_ms;
  return p;
}

PyAction copy_action(const Script& s, const Action& a, const Turn& t) {
  PyAction p = copy_action(s, a);
  if (a.type == ActionType::understand) {
    for (IntentId i : t.candidates()) p.intents.push_back(s.intent(i).name);
    py::list lines;
    for (const TranscriptEntry& e : t.context()) lines.append(transcript_entry(s, e));
    p.transcript = lines;
  }
  if (a.type == ActionType::fetch) {
    p.fetch = a.fetch;
    py::dict args;
    for (const auto& [name, value] : t.fetch_arguments()) args[to_py(name)] = to_py(value);
    p.arguments = args;
  }
  return p;
}

namespace {

std::string quote(std::string_view s) {
  return py::repr(to_py(s)).cast<std::string>();
}

std::string fmt_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string action_repr(const PyAction& a) {
  switch (a.type) {
    case ActionType::say: {
      std::string r = "Say(" + quote(a.text);
      if (!a.recording.empty()) r += ", recording=" + quote(a.recording);
      if (!a.barge_in) r += ", barge_in=False";
      if (a.no_barge_ms) r += ", no_barge_ms=" + std::to_string(a.no_barge_ms);
      return r + ")";
    }
    case ActionType::listen: return "Listen(" + std::to_string(a.timeout_ms) + " ms)";
    case ActionType::stop_line: return "StopLine()";
    case ActionType::tag: return "Tag(" + quote(a.text) + ")";
    case ActionType::hangup: return "Hangup(" + std::string(to_string(a.hangup)) + ")";
    case ActionType::escalate:
      return "Escalate(" + std::string(to_string(a.escalation)) +
             ", priority=" + std::string(to_string(a.priority)) + ", score=" + fmt_number(a.score) +
             ")";
    case ActionType::end: return "End()";
    case ActionType::resume_line:
      return "ResumeLine(" + quote(a.text) + ", offset_ms=" + std::to_string(a.offset_ms) + ")";
    case ActionType::understand: {
      std::string r = "Understand(" + quote(a.text) + ", intents=[";
      for (std::size_t i = 0; i < a.intents.size(); ++i) r += (i ? ", " : "") + quote(a.intents[i]);
      return r + "], timeout_ms=" + std::to_string(a.timeout_ms) + ")";
    }
    case ActionType::fetch:
      return "Fetch(" + quote(a.text) + ", id=" + std::to_string(a.fetch) +
             ", arguments=" + py::repr(a.arguments).cast<std::string>() +
             ", timeout_ms=" + std::to_string(a.timeout_ms) + ")";
  }
  return "Action()";
}

py::object transcript_entry(const Script& s, const TranscriptEntry& e) {
  py::dict kw;
  kw["who"] = to_py(to_string(e.who));
  kw["at_ms"] = e.at_ms;
  kw["node"] = node_name(s, e.node);
  kw["intent"] = intent_name(s, e.intent);
  kw["text"] = to_py(e.text);
  kw["speaker"] = e.speaker.empty() ? py::object(py::none()) : py::object(to_py(e.speaker));
  return pylayer("TranscriptEntry")(**kw);
}

py::list transcript_list(const Script& s, const std::vector<TranscriptEntry>& t) {
  py::list out;
  for (const TranscriptEntry& e : t) out.append(transcript_entry(s, e));
  return out;
}

class PySession;

/// Calls the Python observer's hooks. Only the hooks the observer's class
/// overrides are looked up, once, when it is set.
struct ObserverAdapter final : Observer {
  PySession* owner = nullptr;
  py::object observer, on_node, on_said, on_tagged, on_escalated, on_turn, on_ended;

  ObserverAdapter(PySession* o, py::object obs);
  py::object self() const;
  void node_entered(const Session&, NodeId n) override;
  void said(const Session&, const Action& a) override;
  void tagged(const Session&, std::string_view tag) override;
  void escalated(const Session&, const Action& a) override;
  void turn(const Session&, const Turn&) override;
  void call_ended(const Session&, const CallResult& r) override;
};

/// Python's patter.Session.
class PySession {
 public:
  PySession(Session s, ScriptRef script) : s_(std::move(s)), script_(std::move(script)) {
    s_.set_observer(nullptr);
  }

  static std::unique_ptr<PySession> start(ScriptRef script, const py::object& variables,
                                          std::uint32_t transcript, const py::object& observer,
                                          const std::string& variant_key) {
    if (!script) throw py::type_error("start() needs a Script");
    std::vector<std::string> owned;
    std::vector<VariableValue> values = variables_arg(**script, variables, owned);
    SessionOptions opts;
    opts.transcript = transcript;
    opts.variant_key = variant_key;
    Started st = Session::start(script->ptr, std::span<const VariableValue>(values), opts);
    if (!st) raise_error("StartError", py::make_tuple(st.message(), to_py(to_string(st.code()))));
    auto out = std::make_unique<PySession>(std::move(*st), std::move(script));
    out->set_observer(observer);
    return out;
  }

  static std::unique_ptr<PySession> restore(ScriptRef script, const py::bytes& data) {
    if (!script) throw py::type_error("restore() needs a Script");
    std::string_view bytes = data;
    Restored r = Session::restore(script->ptr, bytes);
    if (!r) raise_error("RestoreError", py::make_tuple(to_py(to_string(r.code())), r.message()));
    return std::make_unique<PySession>(std::move(*r), std::move(script));
  }

  py::object step(const PyEvent& e) {
    Event ev = e.resolve(**script_);
    std::shared_ptr<Turn> t = take_turn();
    current_ = t;
    Status st = s_.step(ev, *t);
    current_.reset();
    py::object out = py::cast(PyTurn{std::move(t), script_, std::nullopt, std::nullopt});
    const Turn& done = *out.cast<PyTurn&>().turn;
    if (done.hook_error()) reraise_hook_error(done.hook_error(), out);
    if (is_error(st)) raise_event_error(st, out);
    return out;
  }

  py::object preview(const PyEvent& e) const {
    Event ev = e.resolve(**script_);
    auto t = std::make_shared<Turn>();
    Status st = s_.preview(ev, *t);
    py::object out = py::cast(PyTurn{std::move(t), script_, std::nullopt, std::nullopt});
    if (is_error(st)) raise_event_error(st, out);
    return out;
  }

  void set_observer(const py::object& obs) {
    s_.set_observer(nullptr);
    adapter_.reset();
    observer_ = obs;
    if (obs.is_none()) return;
    adapter_ = std::make_unique<ObserverAdapter>(this, obs);
    s_.set_observer(adapter_.get());
  }

  std::unique_ptr<PySession> copy() const {
    auto out = std::make_unique<PySession>(s_, script_);
    out->set_observer(observer_);
    return out;
  }

  Session s_;
  ScriptRef script_;
  py::object observer_ = py::none();
  std::shared_ptr<Turn> current_;  // the Turn being filled, for the `turn` hook

 private:
  // A Turn Python no longer holds is reused (warm: no allocation); one it
  // holds is left alone, so its actions stay valid.
  std::shared_ptr<Turn> take_turn() {
    for (const auto& t : pool_)
      if (t.use_count() == 1) return t;
    auto t = std::make_shared<Turn>();
    if (pool_.size() < 4) pool_.push_back(t);
    return t;
  }
  std::vector<std::shared_ptr<Turn>> pool_;
  std::unique_ptr<ObserverAdapter> adapter_;
};

ObserverAdapter::ObserverAdapter(PySession* o, py::object obs)
    : owner(o), observer(std::move(obs)) {
  py::object base = pylayer("Observer");
  py::object cls = py::type::of(observer);
  const bool derived = py::isinstance(observer, base);
  auto hook = [&](const char* name) -> py::object {
    if (!py::hasattr(observer, name)) return py::object();
    if (derived && cls.attr(name).is(base.attr(name))) return py::object();  // the base's no-op
    return observer.attr(name);
  };
  on_node = hook("node_entered");
  on_said = hook("said");
  on_tagged = hook("tagged");
  on_escalated = hook("escalated");
  on_turn = hook("turn");
  on_ended = hook("call_ended");
}

py::object ObserverAdapter::self() const {
  return py::cast(owner, py::return_value_policy::reference);
}

void ObserverAdapter::node_entered(const Session& s, NodeId n) {
  if (!on_node) return;
  py::gil_scoped_acquire gil;
  on_node(self(), node_name(s.script(), n));
}
void ObserverAdapter::said(const Session& s, const Action& a) {
  if (!on_said) return;
  py::gil_scoped_acquire gil;
  on_said(self(), copy_action(s.script(), a));
}
void ObserverAdapter::tagged(const Session&, std::string_view tag) {
  if (!on_tagged) return;
  py::gil_scoped_acquire gil;
  on_tagged(self(), to_py(tag));
}
void ObserverAdapter::escalated(const Session& s, const Action& a) {
  if (!on_escalated) return;
  py::gil_scoped_acquire gil;
  on_escalated(self(), copy_action(s.script(), a));
}
void ObserverAdapter::turn(const Session&, const Turn&) {
  if (!on_turn || !owner->current_) return;
  py::gil_scoped_acquire gil;
  on_turn(self(), PyTurn{owner->current_, owner->script_, std::nullopt, std::nullopt});
}
void ObserverAdapter::call_ended(const Session& s, const CallResult& r) {
  if (!on_ended) return;
  py::gil_scoped_acquire gil;
  on_ended(self(), call_result(s.script(), r));
}

}  // namespace

namespace {

// None for a variable: unset when it has a default, else a StartError.
bool none_means_default(const Script& script, const std::string& name) {
  for (const Variable& v : script.variables()) {
    if (v.name != name) continue;
    if (v.default_value) return true;
    raise_error(
        "StartError",
        py::make_tuple("variable `" + name + "` is None" +
                       (v.required ? " but the script requires it" : " and has no default") +
                       ": pass its value; None stands for \"use the default\" only "
                       "for a variable that has one"));
  }
  return false;  // not the script's: start() says so, with a suggestion
}

}  // namespace

std::vector<VariableValue> variables_arg(const Script& script, const py::object& variables,
                                         std::vector<std::string>& owned) {
  owned.clear();
  if (!variables.is_none()) {
    py::dict vars = py::dict(variables);
    owned.reserve(vars.size() * 2);
    for (auto item : vars) {
      std::string name = py::str(item.first).cast<std::string>();
      py::handle v = item.second;
      if (v.is_none() && none_means_default(script, name)) continue;
      owned.push_back(std::move(name));
      if (v.is_none())
        owned.emplace_back();
      else if (py::isinstance<py::bool_>(v))
        owned.push_back(v.cast<bool>() ? "true" : "false");
      else if (py::isinstance<py::str>(v) || PyBytes_Check(v.ptr()))
        owned.push_back(text_arg(v));
      else
        owned.push_back(py::str(v).cast<std::string>());
    }
  }
  std::vector<VariableValue> values;
  values.reserve(owned.size() / 2);
  for (std::size_t i = 0; i + 1 < owned.size(); i += 2) values.emplace_back(owned[i], owned[i + 1]);
  return values;
}

py::object session_copy(const Session& s, ScriptRef script) {
  return py::cast(std::make_unique<PySession>(s, std::move(script)));
}

namespace {

PyEvent make_event(Event e) {
  PyEvent p;
  p.event = e;
  return p;
}

Event during_arg(const Event& e, std::optional<std::uint32_t> during, bool paused) {
  if (paused && !during) throw py::value_error("paused=True needs during=<ms into the line>");
  if (!during) return e;
  Event out = e.during(*during);
  return paused ? out.paused() : out;
}

void check_intent_ref(py::handle intent) {
  if (!py::isinstance<py::str>(intent) && !py::isinstance<py::int_>(intent))
    throw py::type_error("an intent is given by its name (str) or index (int)");
}

std::string event_repr(const PyEvent& p) {
  const Event& e = p.event;
  std::string r = std::string(to_string(e.type)) + "(";
  switch (e.type) {
    case EventType::utterance: r += quote(p.text) + ", "; break;
    case EventType::agent_said: r += quote(p.text) + ", " + quote(p.speaker) + ", "; break;
    case EventType::intent:
      if (e.ranked) {
        r += "[";
        for (std::size_t i = 0; i < p.nbest.size(); ++i)
          r += (i ? ", " : "") + py::repr(p.nbest[i].first).cast<std::string>() + ": " +
               fmt_number(p.nbest[i].second);
        r += "], ";
      } else {
        r += py::repr(p.intent).cast<std::string>() + ", " + fmt_number(e.confidence) + ", ";
      }
      break;
    case EventType::dtmf: r += quote(std::string_view(&e.key, 1)) + ", "; break;
    default: break;
  }
  r += "at=" + std::to_string(e.at_ms);
  if (e.type == EventType::agent_left) {
    if (!p.node.is_none())
      r += ", node=" + py::repr(p.node).cast<std::string>();
    else
      r += ", reason=" + std::string(to_string(e.reason));
  }
  if (e.during_line) r += ", during=" + std::to_string(e.line_elapsed_ms);
  if (e.line_paused) r += ", paused=True";
  return r + ")";
}

}  // namespace

py::object call_result(const Script& s, const CallResult& r) {
  py::dict kw;
  kw["script"] = s.id();
  kw["version"] = s.version();
  kw["fingerprint"] = s.fingerprint();
  kw["outcome"] = to_py(to_string(r.outcome));
  kw["hangup"] = to_py(to_string(r.hangup));
  kw["escalated"] = r.escalated;
  kw["escalation"] =
      r.escalated ? py::object(to_py(to_string(r.escalation))) : py::object(py::none());
  kw["grade"] = r.grade;
  kw["tags"] = r.tags;
  kw["score"] = r.score;
  py::list path;
  for (NodeId n : r.path) path.append(node_name(s, n));
  kw["path"] = path;
  kw["turns"] = r.turns;
  kw["silences"] = r.silences;
  kw["no_matches"] = r.no_matches;
  kw["duration_ms"] = r.duration_ms;
  kw["transcript"] = transcript_list(s, r.transcript);
  py::dict variants;
  for (const VariantSeen& v : r.variants) variants[to_py(v.experiment)] = to_py(v.variant);
  kw["variants"] = variants;
  py::dict vars, times;
  for (const CallResult::Variable& v : r.variables) {
    if (v.id >= s.variables().size()) continue;
    const patter::Variable& decl = s.variables()[v.id];
    py::str name = to_py(decl.name);
    if (decl.type == patter::Variable::Type::number)
      vars[name] = py::float_(std::strtod(v.value.c_str(), nullptr));
    else if (decl.type == patter::Variable::Type::boolean)
      vars[name] = py::bool_(v.value == "true");
    else
      vars[name] = to_py(v.value);
    if (v.has_time) times[name] = py::int_(v.time_ms);
  }
  kw["variables"] = vars;
  kw["times"] = times;
  return pylayer("CallResult")(**kw);
}

void init_session(py::module_& m) {
  py::class_<PyEvent>(
      m, "Event",
      "Something that happened on the call; make one with the helpers (say, silence...).")
      .def_property_readonly("type",
                             [](const PyEvent& e) { return to_py(to_string(e.event.type)); })
      .def_property_readonly("at", [](const PyEvent& e) { return e.event.at_ms; })
      .def_property_readonly(
          "text",
          [](const PyEvent& e) -> py::object {
            if (e.event.type != EventType::utterance && e.event.type != EventType::agent_said)
              return py::none();
            return py::reinterpret_steal<py::object>(PyUnicode_DecodeUTF8(
                e.text.data(), static_cast<Py_ssize_t>(e.text.size()), "surrogateescape"));
          })
      .def_property_readonly(
          "speaker",
          [](const PyEvent& e) -> py::object {
            if (e.event.type != EventType::agent_said) return py::none();
            return py::reinterpret_steal<py::object>(PyUnicode_DecodeUTF8(
                e.speaker.data(), static_cast<Py_ssize_t>(e.speaker.size()), "surrogateescape"));
          })
      .def_property_readonly("intent", [](const PyEvent& e) { return e.intent; })
      .def_property_readonly("confidence", [](const PyEvent& e) { return e.event.confidence; })
      .def_property_readonly("key",
                             [](const PyEvent& e) -> py::object {
                               if (e.event.type != EventType::dtmf) return py::none();
                               return to_py(std::string_view(&e.event.key, 1));
                             })
      .def_property_readonly("node", [](const PyEvent& e) { return e.node; })
      .def_property_readonly("reason",
                             [](const PyEvent& e) -> py::object {
                               if (e.event.type != EventType::agent_left || !e.node.is_none())
                                 return py::none();
                               return to_py(to_string(e.event.reason));
                             })
      .def_property_readonly("during",
                             [](const PyEvent& e) -> py::object {
                               if (!e.event.during_line) return py::none();
                               return py::int_(e.event.line_elapsed_ms);
                             })
      .def_property_readonly("paused", [](const PyEvent& e) { return e.event.line_paused; })
      .def_property_readonly("candidates",
                             [](const PyEvent& e) -> py::object {
                               if (!e.event.ranked) return py::none();
                               py::list out;
                               for (const auto& [name, confidence] : e.nbest)
                                 out.append(py::make_tuple(name, confidence));
                               return out;
                             })
      .def("__repr__", &event_repr);

  m.def(
      "answered", [](std::uint64_t at) { return make_event(Event::answered(at)); }, py::arg("at"));
  m.def(
      "say",
      [](const py::object& text, std::uint64_t at, std::optional<std::uint32_t> during,
         bool paused) {
        PyEvent p = make_event(Event::utterance({}, at));
        p.text = text_arg(text);
        p.event = during_arg(p.event, during, paused);
        return p;
      },
      py::arg("text"), py::arg("at"), py::arg("during") = py::none(), py::kw_only(),
      py::arg("paused") = false);
  m.def(
      "intent",
      [](const py::object& intent, float confidence, std::uint64_t at,
         std::optional<std::uint32_t> during, bool paused) {
        check_intent_ref(intent);
        PyEvent p = make_event(Event::intent_of(kNone, confidence, at));
        p.intent = intent;
        p.event = during_arg(p.event, during, paused);
        return p;
      },
      py::arg("intent"), py::arg("confidence"), py::arg("at"), py::arg("during") = py::none(),
      py::kw_only(), py::arg("paused") = false);
  m.def(
      "intents",
      [](const py::object& candidates, std::uint64_t at, std::optional<std::uint32_t> during) {
        PyEvent p = make_event(Event::intents({}, at));
        py::iterable items = py::isinstance<py::dict>(candidates)
                                 ? py::iterable(py::dict(candidates).attr("items")())
                                 : py::iterable(candidates);
        for (py::handle item : items) {
          py::tuple pair = py::tuple(py::reinterpret_borrow<py::object>(item));
          if (pair.size() != 2) throw py::value_error("each candidate is (intent, confidence)");
          check_intent_ref(pair[0]);
          p.nbest.emplace_back(py::reinterpret_borrow<py::object>(pair[0]), pair[1].cast<float>());
        }
        if (during) p.event = p.event.during(*during);
        return p;
      },
      py::arg("candidates"), py::arg("at"), py::arg("during") = py::none());
  m.def(
      "not_understood", [](std::uint64_t at) { return make_event(Event::not_understood(at)); },
      py::arg("at"));
  m.def(
      "silence", [](std::uint64_t at) { return make_event(Event::no_input(at)); }, py::arg("at"));
  m.def(
      "key",
      [](const std::string& k, std::uint64_t at) {
        if (k.size() != 1) throw py::value_error("a key is one character: 0-9, * or #");
        return make_event(Event::dtmf(k[0], at));
      },
      py::arg("key"), py::arg("at"));
  m.def(
      "hangup", [](std::uint64_t at) { return make_event(Event::customer_hangup(at)); },
      py::arg("at"));
  m.def(
      "voicemail", [](std::uint64_t at) { return make_event(Event::voicemail(at)); },
      py::arg("at"));
  m.def(
      "agent_joined", [](std::uint64_t at) { return make_event(Event::agent_joined(at)); },
      py::arg("at"));
  m.def(
      "agent_left",
      [](std::uint64_t at, const py::object& node, std::optional<std::string> reason) {
        if (!node.is_none() && reason)
          throw py::value_error("agent_left takes a node (hand back) or a reason (end), not both");
        if (!node.is_none() && !py::isinstance<py::str>(node) && !py::isinstance<py::int_>(node))
          throw py::type_error("a node is given by its name (str) or index (int)");
        PyEvent p = make_event(
            Event::agent_left(at, kNone, reason ? hangup_arg(*reason) : HangupReason::agent_ended));
        p.node = node;
        return p;
      },
      py::arg("at"), py::arg("node") = py::none(), py::arg("reason") = py::none());
  m.def(
      "agent_said",
      [](const py::object& text, const py::object& speaker, std::uint64_t at) {
        PyEvent p = make_event(Event::agent_said({}, {}, at));
        p.text = text_arg(text);
        p.speaker = text_arg(speaker);
        return p;
      },
      py::arg("text"), py::arg("speaker"), py::arg("at"));
  m.def(
      "timer", [](std::uint64_t at) { return make_event(Event::timer(at)); }, py::arg("at"));
  m.def(
      "data",
      [](const py::dict& values, std::uint64_t at, std::uint32_t fetch, bool failed) {
        PyEvent p =
            make_event(failed ? Event::fetch_failed(fetch, at) : Event::data(fetch, {}, at));
        for (const auto& [k, v] : values) {
          // True and False as the session reads them; numbers and text as written.
          std::string text = py::isinstance<py::bool_>(v) ? (v.cast<bool>() ? "true" : "false")
                                                          : py::str(v).cast<std::string>();
          p.values.emplace_back(py::str(k).cast<std::string>(), std::move(text));
        }
        return p;
      },
      py::arg("values"), py::arg("at"), py::kw_only(), py::arg("fetch") = 0,
      py::arg("failed") = false);

  py::class_<PyAction>(
      m, "Action",
      "What the host should do: say, listen, stop_line, resume_line, understand, tag, hangup, "
      "escalate, end.")
      .def_property_readonly("type", [](const PyAction& a) { return to_py(to_string(a.type)); })
      .def_readonly("node", &PyAction::node)
      .def_readonly("text", &PyAction::text)
      .def_readonly("recording", &PyAction::recording)
      .def_readonly("barge_in", &PyAction::barge_in)
      .def_readonly("no_barge_ms", &PyAction::no_barge_ms)
      .def_readonly("timeout_ms", &PyAction::timeout_ms)
      .def_property_readonly("reason",
                             [](const PyAction& a) -> py::object {
                               if (a.type == ActionType::hangup) return to_py(to_string(a.hangup));
                               if (a.type == ActionType::escalate)
                                 return to_py(to_string(a.escalation));
                               return py::none();
                             })
      .def_property_readonly("priority",
                             [](const PyAction& a) -> py::object {
                               if (a.type != ActionType::escalate) return py::none();
                               return to_py(to_string(a.priority));
                             })
      .def_readonly("score", &PyAction::score)
      .def_readonly("offset_ms", &PyAction::offset_ms)
      .def_readonly("intents", &PyAction::intents)
      .def_readonly("transcript", &PyAction::transcript)
      .def_readonly("fetch", &PyAction::fetch)
      .def_readonly("arguments", &PyAction::arguments)
      .def("__repr__", &action_repr)
      .def("__eq__",
           [](const PyAction& a, const py::object& o) {
             if (!py::isinstance<PyAction>(o)) return false;
             return action_repr(a) == action_repr(o.cast<const PyAction&>()) &&
                    a.node == o.cast<const PyAction&>().node;
           })
      .def("__hash__", [](const PyAction& a) { return py::hash(py::str(action_repr(a))); });

  py::class_<PyTurn>(m, "Turn", "What one step did: status, actions, the decision and why.")
      .def_property_readonly("status",
                             [](const PyTurn& t) { return to_py(to_string(t.turn->status())); })
      .def_property_readonly("ok", [](const PyTurn& t) { return t.turn->ok(); })
      .def_property_readonly("actions",
                             [](const PyTurn& t) {
                               py::list out;
                               for (const Action& a : t.turn->actions())
                                 out.append(copy_action(**t.script, a, *t.turn));
                               return out;
                             })
      .def_property_readonly("said",
                             [](const PyTurn& t) {
                               py::list out;
                               for (const Action& a : t.turn->actions())
                                 if (a.type == ActionType::say) out.append(to_py(a.text));
                               return out;
                             })
      .def_property_readonly("path",
                             [](const PyTurn& t) {
                               py::list out;
                               for (NodeId n : t.turn->path()) out.append(node_name(**t.script, n));
                               return out;
                             })
      .def_property_readonly("decision",
                             [](const PyTurn& t) { return to_py(to_string(t.turn->decision())); })
      .def_property_readonly("index", [](const PyTurn& t) { return t.turn->index(); })
      .def_property_readonly("from_node",
                             [](const PyTurn& t) { return node_name(**t.script, t.turn->from()); })
      .def_property_readonly("limit",
                             [](const PyTurn& t) -> py::object {
                               if (t.turn->decision() != Decision::limit) return py::none();
                               return to_py(to_string(t.turn->limit()));
                             })
      .def_property_readonly("intent",
                             [](const PyTurn& t) -> py::object {
                               const Understanding& u = t.turn->understanding();
                               return u.matched() ? intent_name(**t.script, u.best().intent)
                                                  : py::object(py::none());
                             })
      .def_property_readonly("understanding",
                             [](const PyTurn& t) {
                               return understanding_to_py(**t.script, t.turn->understanding(),
                                                          t.script);
                             })
      .def_readonly("assigned", &PyTurn::assigned)
      .def_readonly("call", &PyTurn::call)
      .def("explain", [](const PyTurn& t) { return t.turn->explain(**t.script); })
      .def("__repr__", [](const PyTurn& t) {
        std::string r = "<Turn " + std::string(to_string(t.turn->status())) + " " +
                        std::string(to_string(t.turn->decision())) + " [";
        bool first = true;
        for (const Action& a : t.turn->actions()) {
          if (!first) r += ", ";
          first = false;
          r += action_repr(copy_action(**t.script, a));
        }
        return r + "]>";
      });

  py::class_<PySession>(m, "Session", "One call over a shared Script: events in, actions out.")
      .def_static("start", &PySession::start, py::arg("script"), py::arg("variables") = py::none(),
                  py::kw_only(), py::arg("transcript") = 0, py::arg("observer") = py::none(),
                  py::arg("variant_key") = "")
      .def_static("restore", &PySession::restore, py::arg("script"), py::arg("data"))
      .def("step", &PySession::step, py::arg("event"))
      .def("preview", &PySession::preview, py::arg("event"))
      .def_property(
          "observer", [](const PySession& s) { return s.observer_; }, &PySession::set_observer)
      .def_property_readonly("script", [](const PySession& s) { return s.script_; })
      .def_property_readonly("phase",
                             [](const PySession& s) { return to_py(to_string(s.s_.phase())); })
      .def_property_readonly("ended", [](const PySession& s) { return s.s_.ended(); })
      .def_property_readonly(
          "node", [](const PySession& s) { return node_name(*s.script_->ptr, s.s_.node()); })
      .def_property_readonly("score", [](const PySession& s) { return s.s_.score(); })
      .def_property_readonly("turns", [](const PySession& s) { return s.s_.turns(); })
      .def(
          "visits",
          [](const PySession& s, const py::object& node) {
            NodeId id = node_arg(**s.script_, node);
            if (id >= (*s.script_)->nodes().size())
              throw py::key_error("no node " + py::repr(node).cast<std::string>());
            return s.s_.visits(id);
          },
          py::arg("node"))
      .def(
          "heard",
          [](const PySession& s, const py::object& intent) {
            IntentId id = intent_arg(**s.script_, intent);
            if (id >= (*s.script_)->intents().size())
              throw py::key_error("no intent " + py::repr(intent).cast<std::string>());
            return s.s_.heard(id);
          },
          py::arg("intent"))
      .def(
          "tagged", [](const PySession& s, const std::string& tag) { return s.s_.tagged(tag); },
          py::arg("tag"))
      .def_property_readonly("tags",
                             [](const PySession& s) {
                               py::list out;
                               for (std::string_view t : s.s_.tags()) out.append(to_py(t));
                               return out;
                             })
      .def(
          "variable",
          [](const PySession& s, const std::string& name) {
            return s.s_.variable(std::string_view(name));
          },
          py::arg("name"))
      .def_property_readonly("variables",
                             [](const PySession& s) {
                               py::dict out;
                               const auto& vars = (*s.script_)->variables();
                               for (VariableId i = 0; i < vars.size(); ++i)
                                 out[to_py(vars[i].name)] = s.s_.variable(i);
                               return out;
                             })
      .def_property_readonly("deadline_ms",
                             [](const PySession& s) -> py::object {
                               std::uint64_t d = s.s_.deadline_ms();
                               return d ? py::object(py::int_(d)) : py::object(py::none());
                             })
      .def_property_readonly("awaiting_person",
                             [](const PySession& s) { return s.s_.awaiting_person(); })
      .def_property_readonly("asking_host", [](const PySession& s) { return s.s_.asking_host(); })
      .def_property_readonly("fetching", [](const PySession& s) { return s.s_.fetching(); })
      .def_property_readonly("fetch_id", [](const PySession& s) { return s.s_.fetch_id(); })
      .def_property_readonly("escalated_at_ms",
                             [](const PySession& s) { return s.s_.escalated_at_ms(); })
      .def_property_readonly("person_joined",
                             [](const PySession& s) { return s.s_.person_joined(); })
      .def_property_readonly("last_event_ms",
                             [](const PySession& s) { return s.s_.last_event_ms(); })
      .def_property_readonly(
          "transcript",
          [](const PySession& s) { return transcript_list(**s.script_, s.s_.transcript()); })
      .def("result", [](const PySession& s) { return call_result(**s.script_, s.s_.result()); })
      .def("result_json", [](const PySession& s) { return s.s_.result().to_json(**s.script_); })
      .def("grade_so_far", [](const PySession& s) { return std::string(s.s_.grade_so_far()); })
      .def(
          "handoff_summary",
          [](const PySession& s, std::uint64_t now) {
            return py::module_::import("json").attr("loads")(handoff_summary(s.s_, now).to_json());
          },
          py::arg("now") = 0)
      .def(
          "handoff_text",
          [](const PySession& s, std::uint64_t now) {
            return handoff_summary(s.s_, now).to_text();
          },
          py::arg("now") = 0)
      .def(
          "suggestions",
          [](const PySession& s, const py::object& heard, std::size_t max) {
            const std::string words = heard.is_none() ? std::string() : text_arg(heard);
            py::list out;
            for (const RankedSuggestion& r : suggestions(s.s_, words, {.max = max})) {
              py::dict d;
              d["text"] = to_py(r.text);
              d["node"] = node_name(**s.script_, r.node);
              d["kind"] = to_py(to_string(r.kind));
              d["intent"] = intent_name(**s.script_, r.intent);
              d["why"] = to_py(r.why);
              d["score"] = r.score;
              out.append(d);
            }
            return out;
          },
          py::arg("heard") = py::none(), py::arg("max") = 6)
      .def(
          "variant",
          [](const PySession& s, const py::object& node) -> py::object {
            NodeId id = node_arg(**s.script_, node);
            if (id >= (*s.script_)->nodes().size())
              throw py::key_error("no node " + py::repr(node).cast<std::string>());
            const std::string_view v = s.s_.variant(id);
            return v.empty() ? py::object(py::none()) : py::object(to_py(v));
          },
          py::arg("node"))
      .def_property_readonly("variant_seed", [](const PySession& s) { return s.s_.variant_seed(); })
      .def("snapshot", [](const PySession& s) { return py::bytes(s.s_.snapshot()); })
      .def_property_readonly("memory_bytes", [](const PySession& s) { return s.s_.memory_bytes(); })
      .def("copy", &PySession::copy)
      .def("__copy__", &PySession::copy)
      .def(
          "__deepcopy__", [](const PySession& s, const py::object&) { return s.copy(); },
          py::arg("memo"))
      .def("__repr__", [](const PySession& s) {
        py::object node = node_name(**s.script_, s.s_.node());
        return "<Session " + (*s.script_)->id() + " " + std::string(to_string(s.s_.phase())) +
               " at " + (node.is_none() ? std::string("-") : node.cast<std::string>()) + ", " +
               std::to_string(s.s_.turns()) + " turns>";
      });
}

}  // namespace patter::python

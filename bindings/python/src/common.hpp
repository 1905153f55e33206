// Shared pieces of the extension module patter._patter: the handles that
// keep scripts alive, conversions between C++ enums and Python strings, and
// raising the exceptions the pure-Python layer defines (patter/_errors.py).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <patter/patter.hpp>

namespace patter {
struct PersonaSet;
}  // namespace patter

namespace patter::python {

namespace py = pybind11;

/// Python's patter.Script: the shared compiled script and what the loader
/// said about it (warnings and notes; a script never comes with errors).
struct ScriptHandle {
  std::shared_ptr<const Script> ptr;
  std::vector<Diagnostic> diagnostics;
  const Script& operator*() const noexcept { return *ptr; }
  const Script* operator->() const noexcept { return ptr.get(); }
};
using ScriptRef = std::shared_ptr<ScriptHandle>;

inline py::str to_py(std::string_view s) {
  return py::str(s.data(), s.size());
}

/// A node's name, or None for kNone / out of range.
inline py::object node_name(const Script& s, NodeId id) {
  if (id >= s.nodes().size()) return py::none();
  return to_py(s.node(id).name);
}
inline py::object intent_name(const Script& s, IntentId id) {
  if (id >= s.intents().size()) return py::none();
  return to_py(s.intent(id).name);
}

/// A node given by name or index; out-of-range values come back as
/// `s.nodes().size()`, which the session rejects with `unknown_node`.
NodeId node_arg(const Script& s, const py::handle& node);
/// Same for intents (`unknown_intent`).
IntentId intent_arg(const Script& s, const py::handle& intent);

/// Text from Python for the matcher: bytes as they are (any bytes, invalid
/// UTF-8 included), str as UTF-8 with lone surrogates passed through as the
/// bytes they stand for (surrogateescape), so the library sees the bad input.
std::string text_arg(const py::handle& text);

/// Raise patter.<name>(*args, **kwargs), an exception class of patter/_errors.py.
[[noreturn]] void raise_error(const char* name, const py::tuple& args,
                              const py::dict& kwargs = py::dict());

/// A class or function of the pure-Python layer (patter/_types.py).
py::object pylayer(const char* name);

HangupReason hangup_arg(std::string_view s);

/// A dict of CRM fields as the session's variables: str as is, bool as
/// true/false, numbers as written. None leaves a variable with a default
/// unset (it takes the default) and raises StartError, naming the variable,
/// for one without: a missing CRM field is never said as "None".
/// `owned` keeps the texts the views point at.
std::vector<VariableValue> variables_arg(const Script& script, const py::object& variables,
                                         std::vector<std::string>& owned);

/// patter.Session over a copy of a live session.
py::object session_copy(const Session& s, ScriptRef script);

/// The customers of `personas` (a patter.Personas for `script`, or None
/// for one average customer); ValueError for personas of another script.
std::shared_ptr<const PersonaSet> personas_arg(const py::object& personas, const ScriptRef& script);

void init_script(py::module_& m);
void init_session(py::module_& m);
void init_desk(py::module_& m);
void init_tooling(py::module_& m);
void init_training(py::module_& m);
void init_graph(py::module_& m);
void init_time(py::module_& m);

// ---- shared between session_py.cpp and desk_py.cpp -------------------------

/// An event as Python made it: owns its text, and may name its intent or
/// node (resolved against the script of the call it is sent to).
struct PyEvent {
  Event event;
  std::string text;
  std::string speaker;                              // agent_said: who said it
  py::object intent = py::none();                   // name or index, for intent events
  py::object node = py::none();                     // name or index, for agent_left
  std::vector<std::pair<py::object, float>> nbest;  // intents(): names or indices, confidences
  mutable std::vector<HostIntent> resolved;         // ... as ids, borrowed by the Event
  std::vector<std::pair<std::string, std::string>> values;  // data: variables to set
  mutable std::vector<VariableValue> value_views;           // ... borrowed by the Event
  Event resolve(const Script& s) const;
};

/// What a step produced. Holds the Turn it reads from (the session never
/// reuses a Turn that Python still holds), so the borrowed text in actions
/// stays valid, and the script, for names and explain().
struct PyTurn {
  std::shared_ptr<Turn> turn;
  ScriptRef script;
  std::optional<std::string> assigned;  // desk: the person an escalation went to
  std::optional<CallId> call;           // desk: the call (take_next)
};

/// An action, copied out of the Turn.
struct PyAction {
  ActionType type = ActionType::end;
  std::optional<std::string> node;
  std::string text, recording;
  bool barge_in = true;
  std::uint32_t no_barge_ms = 0, timeout_ms = 0;
  HangupReason hangup = HangupReason::completed;
  EscalationReason escalation = EscalationReason::interested;
  Priority priority = Priority::normal;
  double score = 0;
  std::uint32_t offset_ms = 0;         // resume_line
  std::vector<std::string> intents;    // understand: candidate intent names
  py::object transcript = py::none();  // understand: list of TranscriptEntry
  std::uint32_t fetch = 0;             // fetch: the id its data event names
  py::object arguments = py::none();   // fetch: dict of argument name -> rendered text
};
PyAction copy_action(const Script& s, const Action& a);
/// ... with what an `understand` action's Turn carries (candidates, context).
PyAction copy_action(const Script& s, const Action& a, const Turn& t);

/// Script.understand's answer (patter.Understanding).
py::object understanding_to_py(const Script& s, const Understanding& u, const ScriptRef& ref);

/// CallResult as the pure-Python patter.CallResult.
py::object call_result(const Script& s, const CallResult& r);

/// Raise the exception a Python hook or callback raised during a step,
/// with the step's Turn attached to it as `patter_turn` when it takes
/// attributes.
[[noreturn]] void reraise_hook_error(const std::exception_ptr& e, const py::object& turn);

/// patter.EventError for an error status.
[[noreturn]] void raise_event_error(Status s, const py::object& turn);

}  // namespace patter::python

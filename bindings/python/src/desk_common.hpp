// What patter.Desk and patter.DeskRouter share: their refusals as
// patter.DeskError, and the routing's figures as the pure-Python layer's
// dataclasses (patter/_types.py).
#pragma once

#include "common.hpp"

namespace patter::python {

[[noreturn]] inline void raise_desk_error(DeskStatus s) {
  raise_error("DeskError", py::make_tuple(to_py(to_string(s)), to_py(describe(s))));
}

inline py::object py_str_or_none(const std::string& s) {
  return s.empty() ? py::object(py::none()) : py::object(to_py(s));
}

inline py::object outcomes_dict(const std::vector<std::pair<Outcome, std::uint64_t>>& v) {
  py::dict d;
  for (const auto& [o, n] : v) d[to_py(to_string(o))] = n;
  return d;
}

inline py::object agent_stats(const AgentStats& s) {
  py::dict kw;
  kw["agent"] = s.agent;
  kw["calls_supervised"] = s.calls_supervised;
  kw["escalations"] = s.escalations;
  kw["grabs"] = s.grabs;
  kw["hand_backs"] = s.hand_backs;
  kw["mean_time_to_take_ms"] = s.mean_time_to_take_ms;
  kw["outcomes"] = outcomes_dict(s.outcomes);
  kw["take_overs"] = s.take_overs;
  kw["barges"] = s.barges;
  kw["reassigned"] = s.reassigned;
  return pylayer("AgentStats")(**kw);
}

inline py::object assessment(const TrainingAssessment& a) {
  py::list decisions;
  for (const GrabDecision& d : a.decisions) {
    py::dict kw;
    kw["call"] = d.call;
    kw["verdict"] = to_py(to_string(d.verdict));
    kw["offset_ms"] = d.offset_ms;
    decisions.append(pylayer("GrabDecision")(**kw));
  }
  py::dict kw;
  kw["trainee"] = a.trainee;
  kw["decisions"] = decisions;
  kw["on_time"] = a.on_time;
  kw["early"] = a.early;
  kw["late"] = a.late;
  kw["missed"] = a.missed;
  kw["needless"] = a.needless;
  kw["mean_offset_ms"] = a.mean_offset_ms;
  kw["score"] = a.score();
  return pylayer("TrainingAssessment")(**kw);
}

inline py::object desk_counters(const DeskCounters& c) {
  py::dict kw;
  kw["calls_opened"] = c.calls_opened;
  kw["calls_ended"] = c.calls_ended;
  kw["raised"] = c.raised;
  kw["taken"] = c.taken;
  kw["gave_up"] = c.gave_up;
  kw["ended_waiting"] = c.ended_waiting;
  kw["queued"] = c.queued;
  kw["grabs"] = c.grabs;
  kw["take_overs"] = c.take_overs;
  kw["barges"] = c.barges;
  kw["reassigned"] = c.reassigned;
  return pylayer("DeskCounters")(**kw);
}

inline AgentOptions agent_options(std::uint32_t capacity, std::vector<std::string> skills,
                                  bool trainee, bool auto_answer, bool supervisor) {
  AgentOptions o;
  o.capacity = capacity;
  o.skills = std::move(skills);
  o.trainee = trainee;
  o.auto_answer = auto_answer;
  o.supervisor = supervisor;
  return o;
}

/// patter.DeskRouter (router_py.cpp); registered with patter.Desk.
inline Priority priority_arg(std::string_view s) {
  if (auto p = parse_priority(s)) return *p;
  throw py::value_error("priority must be low, normal, high or urgent, not '" + std::string(s) +
                        "'");
}

inline Outcome outcome_arg(std::string_view s) {
  for (auto o = static_cast<std::uint8_t>(Outcome::none);
       o <= static_cast<std::uint8_t>(Outcome::error); ++o)
    if (to_string(static_cast<Outcome>(o)) == s) return static_cast<Outcome>(o);
  throw py::value_error("unknown outcome '" + std::string(s) +
                        "': completed, hangup, escalated, customer_hangup, no_answer, voicemail "
                        "or error");
}

/// A call the desk or the router opened, as patter.OpenedCall.
inline py::object opened_call(const OpenedCall& o) {
  py::dict kw;
  kw["id"] = o.id;
  kw["agent"] = o.agent;
  return pylayer("OpenedCall")(**kw);
}

/// Runs a routing operation without the GIL (other Python threads go on
/// meanwhile) and answers with what it returned.
template <class Op>
auto without_gil(Op op) {
  py::gil_scoped_release nogil;
  return op();
}

/// A patter.Routing: the calls to give to people now (raises DeskError when
/// the operation was refused).
inline py::object routing(const Routing& r) {
  if (!r) raise_desk_error(r.status);
  py::list assigned;
  py::object cls = pylayer("PersonAssignment");
  for (const PersonAssignment& a : r.assigned) {
    py::dict kw;
    kw["call"] = a.call;
    kw["agent"] = a.agent;
    assigned.append(cls(**kw));
  }
  py::dict kw;
  kw["assigned"] = assigned;
  kw["queued"] = r.queued;
  return pylayer("Routing")(**kw);
}

void init_desk_router(py::module_& m);

}  // namespace patter::python

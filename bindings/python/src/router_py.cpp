// patter.DeskRouter: the desk's routing alone, for calls whose sessions live
// elsewhere (patter/desk_router.hpp). Each event answers with a
// patter.Routing (the calls to give to people now), or raises DeskError.
#include "desk_common.hpp"

namespace patter::python {
namespace {

class PyRouter {
 public:
  PyRouter(bool auto_assign, std::uint32_t on_time_ms)
      : router_(std::make_unique<DeskRouter>(RouterOptions{auto_assign, on_time_ms})) {}

  void add_agent(const std::string& id, std::uint32_t capacity, std::vector<std::string> skills,
                 bool trainee, bool auto_answer, bool supervisor) {
    const DeskStatus st = router_->add_agent(
        id, agent_options(capacity, std::move(skills), trainee, auto_answer, supervisor));
    if (st != DeskStatus::ok) raise_desk_error(st);
  }
  void remove_agent(const std::string& id) {
    if (const DeskStatus st = router_->remove_agent(id); st != DeskStatus::ok) raise_desk_error(st);
  }

  py::object open(CallId call, std::optional<std::string> agent) {
    Result<OpenedCall, DeskStatus> r = router_->open(call, agent ? *agent : std::string());
    if (!r) raise_desk_error(r.code());
    return opened_call(*r);
  }

  py::object escalated(CallId call, const std::string& priority, double score, std::uint64_t at) {
    const Priority p = priority_arg(priority);
    return run([&] { return router_->escalated(call, p, score, at); });
  }
  py::object gave_up(CallId call, std::uint64_t at) {
    return run([&] { return router_->gave_up(call, at); });
  }
  py::object ended(CallId call, const std::string& outcome, std::uint64_t at) {
    const Outcome o = outcome_arg(outcome);
    return run([&] { return router_->ended(call, o, at); });
  }
  py::object grab(const std::string& agent, CallId call, std::uint64_t at) {
    return run([&] { return router_->grab(agent, call, at); });
  }
  py::object take_next(const std::string& agent, std::uint64_t at) {
    return run([&] { return router_->take_next(agent, at); });
  }
  py::object hand_back(const std::string& agent, CallId call, std::uint64_t at) {
    return run([&] { return router_->hand_back(agent, call, at); });
  }
  py::object take_over(const std::string& supervisor, CallId call, std::uint64_t at) {
    return run([&] { return router_->take_over(supervisor, call, at); });
  }
  py::object barge(const std::string& supervisor, CallId call, std::uint64_t at) {
    return run([&] { return router_->barge(supervisor, call, at); });
  }
  py::object reassign(const std::string& supervisor, CallId call, const std::string& to,
                      std::uint64_t at) {
    return run([&] { return router_->reassign(supervisor, call, to, at); });
  }
  py::object leave(const std::string& supervisor, CallId call, std::uint64_t at) {
    return run([&] { return router_->leave(supervisor, call, at); });
  }
  void script_escalated(CallId call, std::uint64_t at) {
    if (const DeskStatus st = router_->script_escalated(call, at); st != DeskStatus::ok)
      raise_desk_error(st);
  }

  py::object call(CallId id) const {
    const std::optional<RoutedCall> c = router_->call(id);
    if (!c) return py::none();
    py::dict kw;
    kw["id"] = c->id;
    kw["supervisor"] = c->supervisor;
    kw["with_agent"] = py_str_or_none(c->with);
    kw["barged"] = py_str_or_none(c->barged);
    kw["waiting"] = c->waiting;
    kw["queued"] = c->queued;
    kw["escalated_at_ms"] = c->escalated_at_ms;
    return pylayer("RoutedCall")(**kw);
  }

  std::unique_ptr<DeskRouter> router_;

 private:
  // The routing runs without the GIL: other Python threads go on meanwhile.
  template <class Op>
  py::object run(Op op) {
    return routing(without_gil(op));
  }
};

}  // namespace

void init_desk_router(py::module_& m) {
  py::class_<PyRouter>(m, "DeskRouter",
                       "The desk's routing alone, for calls whose sessions live elsewhere.")
      .def(py::init<bool, std::uint32_t>(), py::kw_only(), py::arg("auto_assign") = true,
           py::arg("on_time_ms") = RouterOptions{}.on_time_ms)
      .def("add_agent", &PyRouter::add_agent, py::arg("id"), py::kw_only(),
           py::arg("capacity") = AgentOptions{}.capacity,
           py::arg("skills") = std::vector<std::string>{}, py::arg("trainee") = false,
           py::arg("auto_answer") = AgentOptions{}.auto_answer, py::arg("supervisor") = false)
      .def("remove_agent", &PyRouter::remove_agent, py::arg("id"))
      .def_property_readonly("agents", [](const PyRouter& r) { return r.router_->agents(); })
      .def("open", &PyRouter::open, py::arg("call"), py::arg("agent") = py::none())
      .def("escalated", &PyRouter::escalated, py::arg("call"), py::arg("priority") = "normal",
           py::arg("score") = 0.0, py::arg("at") = 0)
      .def("gave_up", &PyRouter::gave_up, py::arg("call"), py::arg("at"))
      .def("ended", &PyRouter::ended, py::arg("call"), py::arg("outcome"), py::arg("at"))
      .def("grab", &PyRouter::grab, py::arg("agent"), py::arg("call"), py::arg("at"))
      .def("take_next", &PyRouter::take_next, py::arg("agent"), py::arg("at"))
      .def("hand_back", &PyRouter::hand_back, py::arg("agent"), py::arg("call"), py::arg("at"))
      .def("take_over", &PyRouter::take_over, py::arg("supervisor"), py::arg("call"), py::arg("at"))
      .def("barge", &PyRouter::barge, py::arg("supervisor"), py::arg("call"), py::arg("at"))
      .def("reassign", &PyRouter::reassign, py::arg("supervisor"), py::arg("call"), py::arg("to"),
           py::arg("at"))
      .def("leave", &PyRouter::leave, py::arg("supervisor"), py::arg("call"), py::arg("at"))
      .def("script_escalated", &PyRouter::script_escalated, py::arg("call"), py::arg("at"))
      .def("call", &PyRouter::call, py::arg("id"))
      .def_property_readonly("queue", [](const PyRouter& r) { return r.router_->queue(); })
      .def_property_readonly("open_calls",
                             [](const PyRouter& r) { return r.router_->open_calls(); })
      .def_property_readonly("counters",
                             [](const PyRouter& r) { return desk_counters(r.router_->counters()); })
      .def(
          "stats",
          [](const PyRouter& r, const std::string& agent) -> py::object {
            auto s = r.router_->stats(agent);
            return s ? agent_stats(*s) : py::none();
          },
          py::arg("agent"))
      .def("all_stats",
           [](const PyRouter& r) {
             py::list out;
             for (const AgentStats& s : r.router_->all_stats()) out.append(agent_stats(s));
             return out;
           })
      .def(
          "assessment",
          [](const PyRouter& r, const std::string& trainee) -> py::object {
            auto a = r.router_->assessment(trainee);
            return a ? assessment(*a) : py::none();
          },
          py::arg("trainee"))
      .def("__repr__", [](const PyRouter& r) {
        return "<DeskRouter " + std::to_string(r.router_->agents().size()) + " agents, " +
               std::to_string(r.router_->open_calls()) + " open calls>";
      });
}

}  // namespace patter::python

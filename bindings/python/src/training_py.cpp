// Training (patter/tooling/training.hpp): patter.Training, a trainee's
// session on simulated customers, and its report.
#include <patter/tooling/training.hpp>

#include "common.hpp"

namespace patter::python {
namespace {

/// patter.Training: the session, and the script it needs alive.
struct PyTraining {
  ScriptRef script;
  std::shared_ptr<const PersonaSet> personas;
  std::unique_ptr<TrainingSession> session;
};

void check(TrainingStatus s) {
  if (s != TrainingStatus::ok)
    raise_error("TrainingError", py::make_tuple(to_py(to_string(s)), to_py(describe(s))));
}

py::dict event_dict(const Script& s, const TrainingEvent& e) {
  py::dict d;
  d["call"] = e.call;
  d["type"] = to_py(to_string(e.type));
  d["at_ms"] = e.at_ms;
  d["text"] = to_py(e.text);
  d["node"] = node_name(s, e.node);
  return d;
}

PyTraining make(const ScriptRef& script, const py::object& personas, std::uint32_t calls,
                std::uint32_t robots, std::uint64_t seed, bool answered_only,
                std::vector<std::string> forbidden, bool builtin_forbidden, std::uint32_t key_nodes,
                std::vector<std::string> key_points, double pass_score) {
  if (calls == 0) throw py::value_error("calls must be at least 1");
  if (robots == 0) throw py::value_error("robots must be at least 1");
  TrainingOptions o;
  o.calls = calls;
  o.robots = robots;
  o.seed = seed;
  o.answered_only = answered_only;
  o.assessment.forbidden = std::move(forbidden);
  o.assessment.builtin_forbidden = builtin_forbidden;
  o.assessment.key_nodes = key_nodes;
  o.assessment.key_points = std::move(key_points);
  o.assessment.pass_score = pass_score;
  PyTraining t{script, personas_arg(personas, script), nullptr};
  t.session = std::make_unique<TrainingSession>(script->ptr, *t.personas, o);
  return t;
}

py::object json_loads(const std::string& s) {
  return py::module_::import("json").attr("loads")(s);
}

}  // namespace

void init_training(py::module_& m) {
  py::class_<TrainingReport>(m, "TrainingReport",
                             "How a trainee did: grab timing, key points, forbidden phrases.")
      .def_readonly("score", &TrainingReport::score)
      .def_readonly("passed", &TrainingReport::passed)
      .def_readonly("timing", &TrainingReport::timing)
      .def_readonly("coverage", &TrainingReport::coverage)
      .def_readonly("taken", &TrainingReport::taken)
      .def_readonly("key_points", &TrainingReport::key_points)
      .def_readonly("covered", &TrainingReport::covered)
      .def_readonly("forbidden", &TrainingReport::forbidden)
      .def_property_readonly("calls",
                             [](const TrainingReport& r) {
                               const py::object all = json_loads(r.to_json());
                               return py::object(all["calls"]);  // an accessor would outlive `all`
                             })
      .def("to_text", &TrainingReport::to_text)
      .def("to_json", &TrainingReport::to_json)
      .def("to_dict", [](const TrainingReport& r) { return json_loads(r.to_json()); })
      .def("__repr__", [](const TrainingReport& r) {
        return "<TrainingReport " + std::to_string(r.calls.size()) + " calls, score " +
               std::to_string(static_cast<int>(r.score)) + (r.passed ? ", passed>" : ">");
      });

  py::class_<PyTraining>(m, "Training",
                         "A trainee's session on simulated customers (docs/training.md).")
      .def(py::init(&make), py::arg("script"), py::arg("personas") = py::none(), py::kw_only(),
           py::arg("calls") = 3, py::arg("robots") = 1, py::arg("seed") = 1,
           py::arg("answered_only") = true, py::arg("forbidden") = std::vector<std::string>{},
           py::arg("builtin_forbidden") = true, py::arg("key_nodes") = 3,
           py::arg("key_points") = std::vector<std::string>{}, py::arg("pass_score") = 70.0)
      .def("advance", [](PyTraining& t) { return t.session->advance(); })
      .def(
          "step_until", [](PyTraining& t, std::uint64_t ms) { t.session->step_until(ms); },
          py::arg("ms"))
      .def("poll",
           [](PyTraining& t) {
             std::vector<TrainingEvent> events;
             t.session->poll(events);
             py::list out;
             for (const TrainingEvent& e : events) out.append(event_dict(**t.script, e));
             return out;
           })
      .def(
          "grab", [](PyTraining& t, CallId call) { check(t.session->grab(call)); }, py::arg("call"))
      .def(
          "say",
          [](PyTraining& t, CallId call, const py::object& text) {
            check(t.session->say(call, text_arg(text)));
          },
          py::arg("call"), py::arg("text"))
      .def(
          "hand_back",
          [](PyTraining& t, CallId call, const py::object& node) {
            check(t.session->hand_back(call, node_arg(**t.script, node)));
          },
          py::arg("call"), py::arg("node"))
      .def(
          "finish",
          [](PyTraining& t, CallId call, const std::string& reason) {
            check(t.session->finish(call, hangup_arg(reason)));
          },
          py::arg("call"), py::arg("reason") = "completed")
      .def_property_readonly("now", [](const PyTraining& t) { return t.session->now(); })
      .def_property_readonly("done", [](const PyTraining& t) { return t.session->done(); })
      .def_property_readonly("talking", [](const PyTraining& t) { return t.session->talking(); })
      .def_property_readonly("waiting", [](const PyTraining& t) { return t.session->waiting(); })
      .def_property_readonly("live_calls",
                             [](const PyTraining& t) { return t.session->live_calls(); })
      .def_property_readonly("script", [](const PyTraining& t) { return t.script; })
      .def("report", [](const PyTraining& t) { return t.session->report(); })
      .def("__repr__", [](const PyTraining& t) {
        return "<Training on " + (*t.script)->id() + ", " +
               std::to_string(t.session->live_calls().size()) + " calls going on>";
      });
}

}  // namespace patter::python

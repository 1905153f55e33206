// The tools around a script: simulated campaigns (personas, simulate),
// funnel statistics from call results, conversation tests, and measuring
// understanding on a labelled set (evaluate).
#include <patter/tooling/conversation_test.hpp>
#include <patter/tooling/evaluation.hpp>
#include <patter/tooling/simulation.hpp>
#include <patter/tooling/stats.hpp>

#include <cmath>
#include <exception>

#include "common.hpp"
#include "desk_common.hpp"

namespace patter::python {
namespace {

py::dict where_kw(const SourceLocation& w) {
  py::dict d;
  d["file"] = w.file;
  d["line"] = w.line;
  d["column"] = w.column;
  return d;
}

py::list diagnostics_list(const std::vector<Diagnostic>& ds) {
  py::list all;
  for (const Diagnostic& d : ds) all.append(py::cast(d));
  return all;
}

std::string path_arg(const py::object& path) {
  return py::str(py::module_::import("os").attr("fspath")(path));
}

// ---- personas and simulation --------------------------------------------------

/// patter.Personas: customer types for one script.
struct PyPersonas {
  std::shared_ptr<const PersonaSet> set;
  ScriptRef script;
  std::vector<Diagnostic> diagnostics;  // warnings and notes
};

PyPersonas finish_personas(PersonaLoad r, const ScriptRef& script) {
  if (!r.ok()) raise_error("PersonaError", py::make_tuple(diagnostics_list(r.diagnostics)));
  return PyPersonas{std::make_shared<const PersonaSet>(std::move(*r.personas)), script,
                    std::move(r.diagnostics)};
}

py::object persona_info(const Persona& p) {
  py::dict kw;
  kw["name"] = p.name;
  kw["share"] = p.share;
  kw["answer"] = p.answer;
  kw["voicemail"] = p.voicemail;
  kw["buys"] = p.buys;
  kw["ring_ms"] = py::make_tuple(p.ring_ms.min, p.ring_ms.max);
  kw["think_ms"] = py::make_tuple(p.think_ms.min, p.think_ms.max);
  kw["patience_ms"] = py::make_tuple(p.patience_ms.min, p.patience_ms.max);
  return pylayer("Persona")(**kw);
}

/// A CallContext that owns its names.
struct OwnedContext {
  std::string persona, agent;
  CallContext c;
};

OwnedContext own(const CallContext& c) {
  OwnedContext o{std::string(c.persona), std::string(c.agent), c};
  o.c.persona = {};
  o.c.agent = {};
  return o;
}

py::object context_info(const OwnedContext& o) {
  py::dict kw;
  kw["persona"] = o.persona;
  kw["agent"] = o.agent;
  kw["dialed_ms"] = o.c.dialed_ms;
  kw["ended_ms"] = o.c.ended_ms;
  kw["wait_ms"] = o.c.wait_ms ? py::object(py::int_(*o.c.wait_ms)) : py::object(py::none());
  kw["taken"] = o.c.taken;
  kw["grabbed"] = o.c.grabbed;
  kw["person_ms"] = o.c.person_ms;
  return pylayer("CallContext")(**kw);
}

py::object simulated_call(const Script& s, const CallResult& r, const OwnedContext& o,
                          std::string text) {
  py::dict kw;
  kw["persona"] = o.persona;
  kw["agent"] = o.agent;
  kw["result"] = call_result(s, r);
  kw["context"] = context_info(o);
  kw["text"] = text;
  return pylayer("SimulatedCall")(**kw);
}

/// patter.Simulation.
struct PySimulation {
  StatsReport report;
  py::list transcripts, results;
  py::object desk;
  std::uint64_t sim_ms = 0, errors = 0;
};

MsRange range_arg(const py::object& o, const char* what) {
  auto t = o.cast<std::pair<std::uint64_t, std::uint64_t>>();
  if (t.first > t.second) throw py::value_error(std::string(what) + ": min is above max");
  return MsRange{t.first, t.second};
}

// ---- stats --------------------------------------------------------------------

py::object funnel_row(const FunnelRow& r) {
  py::dict kw;
  kw["node"] = r.node;
  kw["reached"] = r.reached;
  kw["hung_up"] = r.hung_up;
  kw["escalated"] = r.escalated;
  kw["converted"] = r.converted;
  return pylayer("FunnelRow")(**kw);
}

py::object experiment_report(const ExperimentReport& e) {
  py::list rows;
  for (const VariantRow& v : e.variants) {
    py::dict kw;
    kw["variant"] = v.variant;
    kw["calls"] = v.calls;
    kw["converted"] = v.converted;
    kw["rate"] = v.rate;
    kw["rate_low"] = v.rate_ci.low;
    kw["rate_high"] = v.rate_ci.high;
    kw["diff"] = v.diff;
    kw["diff_low"] = v.diff_ci.low;
    kw["diff_high"] = v.diff_ci.high;
    kw["verdict"] = v.verdict;
    rows.append(pylayer("VariantRow")(**kw));
  }
  return pylayer("ExperimentReport")(e.experiment, rows);
}

py::object edge_traffic(const EdgeTraffic& e) {
  py::dict kw;
  kw["source"] = e.from;
  kw["target"] = e.to;
  kw["calls"] = e.calls;
  return pylayer("EdgeTraffic")(**kw);
}

py::object agent_row(const AgentRow& a) {
  py::dict kw;
  kw["agent"] = a.agent;
  kw["calls"] = a.calls;
  kw["grabbed"] = a.grabbed;
  kw["sold"] = a.sold;
  kw["busy_ms"] = a.busy_ms;
  kw["utilisation"] = a.utilisation;
  return pylayer("AgentRow")(**kw);
}

/// patter.Stats.
struct PyStats {
  Stats stats;
  explicit PyStats(std::shared_ptr<const Script> s, StatsOptions o)
      : stats(std::move(s), std::move(o)) {}

  void add_line(const std::string& line, const py::object& file, const py::object& lineno) {
    const Result<void, StatsError> added = stats.add_json(line);
    if (added) return;
    py::dict kw;
    kw["file"] = file;
    kw["line"] = lineno;
    kw["code"] = to_py(to_string(added.code()));
    raise_error("StatsError", py::make_tuple(added.message()), kw);
  }
};

std::string line_arg(const py::handle& line) {
  std::string s = text_arg(line);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// ---- conversation tests -------------------------------------------------------

/// patter.TestSuite.
struct PySuite {
  std::shared_ptr<const TestSuite> suite;
  std::vector<Diagnostic> diagnostics;
};

PySuite finish_suite(TestLoad r) {
  if (!r.ok()) raise_error("TestFileError", py::make_tuple(diagnostics_list(r.diagnostics)));
  return PySuite{std::make_shared<const TestSuite>(std::move(*r.suite)), std::move(r.diagnostics)};
}

TestLoadOptions test_options(std::size_t max_file_bytes, std::size_t max_depth,
                             std::size_t max_elements) {
  TestLoadOptions o;
  o.max_file_bytes = max_file_bytes;
  o.max_depth = max_depth;
  o.max_elements = max_elements;
  return o;
}

py::object test_case_info(const TestCase& c) {
  py::dict kw = where_kw(c.where);
  kw["name"] = c.name;
  kw["description"] = c.description;
  kw["turns"] = c.turns.size();
  return pylayer("TestCase")(**kw);
}

py::object ratio(const Coverage::Ratio& r) {
  return pylayer("CoverageRatio")(r.covered, r.total, r.percent());
}

py::object coverage_info(const Coverage& c, const Script& s) {
  py::dict kw;
  kw["nodes"] = ratio(c.node_ratio());
  kw["routes"] = ratio(c.route_ratio());
  kw["intents"] = ratio(c.intent_ratio());
  kw["handlers"] = ratio(c.handler_ratio());
  kw["variants"] = ratio(c.variant_ratio());
  py::dict node_counts, intent_counts;
  for (NodeId i = 0; i < c.nodes.size() && i < s.nodes().size(); ++i)
    node_counts[to_py(s.node(i).name)] = c.nodes[i];
  for (IntentId i = 0; i < c.intents.size() && i < s.intents().size(); ++i)
    intent_counts[to_py(s.intent(i).name)] = c.intents[i];
  kw["node_counts"] = node_counts;
  kw["intent_counts"] = intent_counts;
  kw["text"] = format(c, s);
  kw["json"] = to_json(c, s);
  return pylayer("Coverage")(**kw);
}

py::object case_info(const CaseResult& c, const Script& s) {
  py::dict kw = where_kw(c.where);
  kw["name"] = c.name;
  kw["passed"] = c.passed;
  py::list failures;
  for (const TestFailure& f : c.failures) {
    py::dict fk = where_kw(f.where);
    fk["turn"] = f.turn;
    fk["what"] = f.what;
    fk["expected"] = f.expected;
    fk["actual"] = f.actual;
    failures.append(pylayer("TestFailure")(**fk));
  }
  kw["failures"] = failures;
  kw["diff"] = c.diff;
  kw["result"] = call_result(s, c.result);
  return pylayer("CaseResult")(**kw);
}

/// patter.TestReport.
struct PyTestReport {
  TestReport report;
  ScriptRef script;
};

// ---- evaluation ---------------------------------------------------------------

/// patter.Evaluation: the figures, and the script for repr.
struct PyEvaluation {
  Evaluation e;
};

PyEvaluation run_evaluation(const ScriptRef& script, const std::string& path, bool allow_unknown,
                            std::size_t max_file_bytes) {
  EvalReadOptions ro;
  ro.max_file_bytes = max_file_bytes;
  EvalOptions eo;
  eo.allow_unknown_labels = allow_unknown;
  EvalSet set;
  PyEvaluation out;
  {
    py::gil_scoped_release nogil;
    set = read_eval_file(path, ro);
    if (set.ok()) out.e = evaluate(**script, set.rows, eo);
  }
  if (!set.ok()) raise_error("EvaluationError", py::make_tuple(diagnostics_list(set.diagnostics)));
  if (!out.e.ok())
    raise_error("EvaluationError", py::make_tuple(diagnostics_list(out.e.diagnostics)));
  return out;
}

void init_eval_scores(py::module_& m) {
  py::class_<IntentFigures>(m, "IntentScore",
                            "How one label fared: its replies, and replies understood as it.")
      .def_readonly("intent", &IntentFigures::intent)
      .def_readonly("expected", &IntentFigures::expected)
      .def_readonly("predicted", &IntentFigures::predicted)
      .def_readonly("correct", &IntentFigures::correct)
      .def_property_readonly("precision", &IntentFigures::precision)
      .def_property_readonly("recall", &IntentFigures::recall)
      .def_property_readonly("accuracy", &IntentFigures::recall)
      .def_property_readonly("f1", &IntentFigures::f1)
      .def("__repr__", [](const IntentFigures& f) {
        return "<IntentScore " + f.intent + ": " + std::to_string(f.correct) + "/" +
               std::to_string(f.expected) + ">";
      });
  py::class_<CategoryFigures>(m, "CategoryScore", "How one kind of reply fared.")
      .def_readonly("category", &CategoryFigures::category)
      .def_readonly("total", &CategoryFigures::total)
      .def_readonly("correct", &CategoryFigures::correct)
      .def_property_readonly("accuracy", &CategoryFigures::accuracy)
      .def("__repr__", [](const CategoryFigures& c) {
        return "<CategoryScore " + c.category + ": " + std::to_string(c.correct) + "/" +
               std::to_string(c.total) + ">";
      });
  py::class_<EvalMiss>(m, "EvalMiss", "A reply understood as another label than its own.")
      .def_property_readonly("file", [](const EvalMiss& x) { return x.where.file; })
      .def_property_readonly("line", [](const EvalMiss& x) { return x.where.line; })
      .def_readonly("reply", &EvalMiss::reply)
      .def_readonly("expected", &EvalMiss::expected)
      .def_readonly("got", &EvalMiss::got)
      .def_readonly("categories", &EvalMiss::categories)
      .def_readonly("explain", &EvalMiss::explain)
      .def("__repr__", [](const EvalMiss& x) {
        return "<EvalMiss line " + std::to_string(x.where.line) + ": " + x.expected + " -> " +
               x.got + ">";
      });
}

void init_evaluation(py::module_& m) {
  init_eval_scores(m);
  py::class_<PyEvaluation>(m, "Evaluation", "A script's understanding measured on a labelled set.")
      .def_property_readonly("script", [](const PyEvaluation& p) { return p.e.script; })
      .def_property_readonly("total", [](const PyEvaluation& p) { return p.e.total; })
      .def_property_readonly("correct", [](const PyEvaluation& p) { return p.e.correct; })
      .def_property_readonly("accuracy", [](const PyEvaluation& p) { return p.e.accuracy(); })
      .def_property_readonly(
          "intents",
          [](const PyEvaluation& p) {
            py::dict out;  // insertion order: the script's intents, then the others, then none
            for (const IntentFigures& f : p.e.intents) out[to_py(f.intent)] = py::cast(f);
            return out;
          })
      .def_property_readonly("categories",
                             [](const PyEvaluation& p) {
                               py::dict out;
                               for (const CategoryFigures& c : p.e.categories)
                                 out[to_py(c.category)] = py::cast(c);
                               return out;
                             })
      .def_property_readonly("labels",
                             [](const PyEvaluation& p) {
                               py::list out;
                               for (const IntentFigures& f : p.e.intents)
                                 out.append(to_py(f.intent));
                               return out;
                             })
      .def_property_readonly("confusion", [](const PyEvaluation& p) { return p.e.confusion; })
      .def_property_readonly("misses", [](const PyEvaluation& p) { return p.e.misses; })
      .def_property_readonly("diagnostics", [](const PyEvaluation& p) { return p.e.diagnostics; })
      .def(
          "recall",
          [](const PyEvaluation& p, const std::string& intent) { return p.e.recall(intent); },
          py::arg("intent"))
      .def(
          "to_text", [](const PyEvaluation& p, bool misses) { return p.e.to_text(misses); },
          py::kw_only(), py::arg("misses") = false)
      .def("to_json", [](const PyEvaluation& p) { return p.e.to_json(); })
      .def("to_dict",
           [](const PyEvaluation& p) {
             return py::module_::import("json").attr("loads")(p.e.to_json());
           })
      .def("__repr__", [](const PyEvaluation& p) {
        return "<Evaluation " + p.e.script + ": " + std::to_string(p.e.correct) + "/" +
               std::to_string(p.e.total) + " understood>";
      });

  m.def(
      "evaluate",
      [](const ScriptRef& script, const py::object& path, bool allow_unknown_labels,
         std::size_t max_file_bytes) {
        return run_evaluation(script, path_arg(path), allow_unknown_labels, max_file_bytes);
      },
      py::arg("script"), py::arg("path"), py::kw_only(), py::arg("allow_unknown_labels") = false,
      py::arg("max_file_bytes") = EvalReadOptions{}.max_file_bytes);
}

}  // namespace

std::shared_ptr<const PersonaSet> personas_arg(const py::object& personas,
                                               const ScriptRef& script) {
  if (personas.is_none()) return std::make_shared<const PersonaSet>(default_personas(**script));
  const PyPersonas& p = personas.cast<const PyPersonas&>();
  if (p.script->ptr != script->ptr && (*p.script)->fingerprint() != (*script)->fingerprint())
    throw py::value_error("the personas were loaded for another script (" + (*p.script)->id() +
                          " " + (*p.script)->fingerprint() + ")");
  return p.set;
}

void init_tooling(py::module_& m) {
  init_evaluation(m);
  // ---- personas ----
  py::class_<PyPersonas>(m, "Personas",
                         "Simulated customer types for one script (docs/simulating.md).")
      .def_property_readonly("personas",
                             [](const PyPersonas& p) {
                               py::list out;
                               for (const Persona& x : p.set->personas) out.append(persona_info(x));
                               return out;
                             })
      .def_property_readonly("names",
                             [](const PyPersonas& p) {
                               py::list out;
                               for (const Persona& x : p.set->personas) out.append(to_py(x.name));
                               return out;
                             })
      .def_property_readonly("script", [](const PyPersonas& p) { return p.script; })
      .def_readonly("diagnostics", &PyPersonas::diagnostics)
      .def("__len__", [](const PyPersonas& p) { return p.set->personas.size(); })
      .def("__repr__", [](const PyPersonas& p) {
        std::string r = "<Personas for " + (*p.script)->id() + ":";
        for (const Persona& x : p.set->personas) r += " " + x.name;
        return r + ">";
      });

  m.def(
      "load_personas_file",
      [](const py::object& path, const ScriptRef& script) {
        std::string p = path_arg(path);
        PersonaLoad r;
        {
          py::gil_scoped_release nogil;
          r = load_personas_file(p, **script);
        }
        return finish_personas(std::move(r), script);
      },
      py::arg("path"), py::arg("script"));
  m.def(
      "load_personas_string",
      [](const py::object& text, const ScriptRef& script, const std::string& name) {
        std::string yaml = text_arg(text);
        PersonaLoad r;
        {
          py::gil_scoped_release nogil;
          r = load_personas_string(yaml, name, **script);
        }
        return finish_personas(std::move(r), script);
      },
      py::arg("text"), py::arg("script"), py::arg("name") = "<string>");
  m.def(
      "default_personas",
      [](const ScriptRef& script) {
        return PyPersonas{
            std::make_shared<const PersonaSet>(default_personas(**script)), script, {}};
      },
      py::arg("script"));

  // ---- simulation ----
  py::class_<PySimulation>(m, "Simulation",
                           "A simulated campaign: its report, kept calls and the desk's tally.")
      .def_readonly("report", &PySimulation::report)
      .def_readonly("transcripts", &PySimulation::transcripts)
      .def_readonly("results", &PySimulation::results)
      .def_readonly("desk", &PySimulation::desk)
      .def_readonly("sim_ms", &PySimulation::sim_ms)
      .def_readonly("errors", &PySimulation::errors)
      .def("to_text", [](const PySimulation& s) { return s.report.to_text(); })
      .def("to_json", [](const PySimulation& s) { return s.report.to_json(); })
      .def("__repr__", [](const PySimulation& s) {
        return "<Simulation " + std::to_string(s.report.calls) + " calls, " +
               std::to_string(s.report.answered) + " answered, " +
               std::to_string(s.report.converted) + " converted>";
      });

  m.def(
      "simulate",
      [](const ScriptRef& script, const py::object& personas, std::uint64_t calls,
         std::uint32_t agents, std::uint32_t robots_per_agent, std::uint64_t seed,
         std::uint32_t transcripts, const py::object& handle_ms, double grab_score,
         std::uint32_t redial_ms, std::uint32_t wide_char_ms, std::uint32_t narrow_char_ms,
         const std::string& converted_grades, bool keep_results, const py::object& progress,
         bool pacing, double abandon_target, std::optional<double> idle_grab_score) {
        if (calls == 0) throw py::value_error("calls must be at least 1");
        if (!(abandon_target > 0 && abandon_target < 1))
          throw py::value_error("abandon_target must be a share between 0 and 1 (0.03 for 3%)");
        if (agents == 0) throw py::value_error("agents must be at least 1");
        if (robots_per_agent == 0) throw py::value_error("robots_per_agent must be at least 1");
        const std::shared_ptr<const PersonaSet> set = personas_arg(personas, script);
        SimulationOptions o;
        o.calls = calls;
        o.agents = agents;
        o.robots_per_agent = robots_per_agent;
        o.seed = seed;
        o.transcripts = transcripts;
        o.handle_ms = range_arg(handle_ms, "handle_ms");
        o.grab_score = grab_score;
        o.redial_ms = redial_ms;
        o.wide_char_ms = wide_char_ms;
        o.narrow_char_ms = narrow_char_ms;
        o.stats.converted_grades = converted_grades;
        o.pacing = pacing;
        o.pacing_options.abandon_target = abandon_target;
        if (idle_grab_score) {
          if (!pacing) throw py::value_error("idle_grab_score needs pacing=True");
          if (!std::isfinite(*idle_grab_score))
            throw py::value_error("idle_grab_score must be a finite number");
          o.idle_grab_score = idle_grab_score;
        }
        std::vector<std::pair<CallResult, OwnedContext>> kept;
        if (keep_results) {
          kept.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(calls, 1u << 20)));
          o.on_call = [&kept](const CallResult& r, const CallContext& c) {
            kept.emplace_back(r, own(c));
          };
        }
        std::exception_ptr progress_error;
        if (!progress.is_none()) {
          o.on_progress = [&progress, &progress_error](std::uint64_t done, std::uint64_t total) {
            if (progress_error) return;  // a callback that raised is not called again
            py::gil_scoped_acquire gil;
            try {
              progress(done, total);
            } catch (...) {
              progress_error = std::current_exception();
            }
          };
        }
        Simulation sim;
        {
          py::gil_scoped_release nogil;
          sim = simulate(script->ptr, *set, o);
        }
        if (progress_error) std::rethrow_exception(progress_error);
        const Script& s = **script;
        PySimulation out;
        out.report = std::move(sim.report);
        for (SimulatedTranscript& t : sim.transcripts) {
          // The context's names are views that may point at a moved-from
          // transcript's strings: point them at this one's again.
          t.context.persona = t.persona;
          t.context.agent = t.agent;
          out.transcripts.append(
              simulated_call(s, t.result, own(t.context), format_transcript(t, s)));
        }
        for (const auto& [r, c] : kept) out.results.append(simulated_call(s, r, c, {}));
        out.desk = desk_counters(sim.desk);
        out.sim_ms = sim.sim_ms;
        out.errors = sim.errors;
        return out;
      },
      py::arg("script"), py::arg("personas") = py::none(), py::kw_only(), py::arg("calls") = 1000,
      py::arg("agents") = 1, py::arg("robots_per_agent") = 3, py::arg("seed") = 1,
      py::arg("transcripts") = 0, py::arg("handle_ms") = py::make_tuple(60000, 240000),
      py::arg("grab_score") = 0.0, py::arg("redial_ms") = 2000, py::arg("wide_char_ms") = 220,
      py::arg("narrow_char_ms") = 65, py::arg("converted_grades") = "AB",
      py::arg("keep_results") = false, py::arg("progress") = py::none(), py::arg("pacing") = false,
      py::arg("abandon_target") = 0.03, py::arg("idle_grab_score") = py::none());

  // ---- stats ----
  py::class_<StatsReport>(m, "StatsReport",
                          "A funnel: calls per node, outcomes, grades, escalations, agents.")
      .def_readonly("script", &StatsReport::script)
      .def_readonly("calls", &StatsReport::calls)
      .def_readonly("answered", &StatsReport::answered)
      .def_property_readonly("outcomes",
                             [](const StatsReport& r) {
                               py::dict d;
                               for (const auto& [k, n] : r.outcomes) d[to_py(k)] = n;
                               return d;
                             })
      .def_property_readonly("funnel",
                             [](const StatsReport& r) {
                               py::list out;
                               for (const FunnelRow& f : r.funnel) out.append(funnel_row(f));
                               return out;
                             })
      .def_property_readonly("grades",
                             [](const StatsReport& r) {
                               py::dict d;
                               for (const auto& [g, n] : r.grades) d[py::str(g)] = n;
                               return d;
                             })
      .def_readonly("converted", &StatsReport::converted)
      .def_readonly("converted_grades", &StatsReport::converted_grades)
      .def_property_readonly("edges",
                             [](const StatsReport& r) {
                               py::list out;
                               for (const EdgeTraffic& e : r.edges) out.append(edge_traffic(e));
                               return out;
                             })
      .def_readonly("has_context", &StatsReport::has_context)
      .def_readonly("escalations", &StatsReport::escalations)
      .def_readonly("taken", &StatsReport::taken)
      .def_readonly("grabs", &StatsReport::grabs)
      .def_readonly("abandoned", &StatsReport::abandoned)
      .def_readonly("wait_mean_ms", &StatsReport::wait_mean_ms)
      .def_readonly("wait_median_ms", &StatsReport::wait_median_ms)
      .def_readonly("wait_p90_ms", &StatsReport::wait_p90_ms)
      .def_readonly("wait_max_ms", &StatsReport::wait_max_ms)
      .def_readonly("abandoned_wait_mean_ms", &StatsReport::abandoned_wait_mean_ms)
      .def_readonly("span_ms", &StatsReport::span_ms)
      .def_property_readonly("agents",
                             [](const StatsReport& r) {
                               py::list out;
                               for (const AgentRow& a : r.agents) out.append(agent_row(a));
                               return out;
                             })
      .def_readonly("utilisation", &StatsReport::utilisation)
      .def_property_readonly("experiments",
                             [](const StatsReport& r) {
                               py::list out;
                               for (const ExperimentReport& e : r.experiments)
                                 out.append(experiment_report(e));
                               return out;
                             })
      .def("to_text", &StatsReport::to_text)
      .def("to_json", &StatsReport::to_json)
      .def("to_dict",
           [](const StatsReport& r) {
             return py::module_::import("json").attr("loads")(r.to_json());
           })
      .def("__str__", &StatsReport::to_text)
      .def("__repr__", [](const StatsReport& r) {
        return "<StatsReport " + (r.script.empty() ? std::string("?") : r.script) + ": " +
               std::to_string(r.calls) + " calls, " + std::to_string(r.answered) + " answered, " +
               std::to_string(r.converted) + " converted>";
      });

  py::class_<PyStats>(m, "Stats",
                      "Funnel statistics over finished calls (CallResults or JSON lines).")
      .def(py::init([](const py::object& script, const std::string& converted_grades) {
             std::shared_ptr<const Script> s;
             if (!script.is_none()) s = script.cast<ScriptRef>()->ptr;
             StatsOptions o;
             o.converted_grades = converted_grades;
             return std::make_unique<PyStats>(std::move(s), std::move(o));
           }),
           py::arg("script") = py::none(), py::kw_only(), py::arg("converted_grades") = "AB")
      .def(
          "add",
          [](PyStats& st, const py::object& result, const py::object& context) {
            if (py::isinstance<py::str>(result) || py::isinstance<py::bytes>(result)) {
              if (!context.is_none())
                throw py::type_error("a JSON line carries its own context (\"call\")");
              st.add_line(line_arg(result), py::none(), py::none());
              return;
            }
            if (!py::isinstance(result, pylayer("CallResult")))
              throw py::type_error("add takes a patter.CallResult or a JSON line (str)");
            std::string line = pylayer("_json_line")(result, context).cast<std::string>();
            st.add_line(line, py::none(), py::none());
          },
          py::arg("result"), py::arg("context") = py::none())
      .def(
          "add_json",
          [](PyStats& st, const py::object& line) {
            st.add_line(line_arg(line), py::none(), py::none());
          },
          py::arg("line"))
      .def(
          "add_jsonl",
          [](PyStats& st, const py::object& source) {
            py::object lines = source, file = py::none(), handle = py::none();
            if (py::isinstance<py::str>(source) || py::hasattr(source, "__fspath__")) {
              file = py::str(path_arg(source));
              handle = py::module_::import("builtins").attr("open")(file, "rb");
              lines = handle;
            }
            const std::uint64_t before = st.stats.calls();
            try {
              std::size_t n = 0;
              for (py::handle line : lines) st.add_line(line_arg(line), file, py::int_(++n));
            } catch (...) {
              if (!handle.is_none()) handle.attr("close")();
              throw;
            }
            if (!handle.is_none()) handle.attr("close")();
            return st.stats.calls() - before;
          },
          py::arg("source"))
      .def_property_readonly("calls", [](const PyStats& st) { return st.stats.calls(); })
      .def_property_readonly("other_script",
                             [](const PyStats& st) -> py::object {
                               const std::string& o = st.stats.other_script();
                               return o.empty() ? py::object(py::none()) : py::object(to_py(o));
                             })
      .def("report", [](const PyStats& st) { return st.stats.report(); })
      .def("to_dot", [](const PyStats& st) { return st.stats.to_dot(); })
      .def("__len__", [](const PyStats& st) { return st.stats.calls(); })
      .def("__repr__", [](const PyStats& st) {
        return "<Stats " + std::to_string(st.stats.calls()) + " calls>";
      });

  // ---- conversation tests ----
  py::class_<PySuite>(m, "TestSuite", "The conversation tests of one test file.")
      .def_property_readonly("file", [](const PySuite& s) { return s.suite->file; })
      .def_property_readonly(
          "script", [](const PySuite& s) { return s.suite->script; },
          "the script file it tests, resolved against the test file")
      .def_property_readonly("cases",
                             [](const PySuite& s) {
                               py::list out;
                               for (const TestCase& c : s.suite->cases)
                                 out.append(test_case_info(c));
                               return out;
                             })
      .def_readonly("diagnostics", &PySuite::diagnostics)
      .def("__len__", [](const PySuite& s) { return s.suite->cases.size(); })
      .def("__repr__", [](const PySuite& s) {
        return "<TestSuite " + s.suite->file + " (" + std::to_string(s.suite->cases.size()) +
               " cases) for " + s.suite->script + ">";
      });

  m.def(
      "load_tests_file",
      [](const py::object& path, std::size_t max_file_bytes, std::size_t max_depth,
         std::size_t max_elements) {
        std::string p = path_arg(path);
        TestLoadOptions o = test_options(max_file_bytes, max_depth, max_elements);
        TestLoad r;
        {
          py::gil_scoped_release nogil;
          r = load_tests_file(p, o);
        }
        return finish_suite(std::move(r));
      },
      py::arg("path"), py::kw_only(), py::arg("max_file_bytes") = TestLoadOptions{}.max_file_bytes,
      py::arg("max_depth") = TestLoadOptions{}.max_depth,
      py::arg("max_elements") = TestLoadOptions{}.max_elements);
  m.def(
      "load_tests_string",
      [](const py::object& text, const std::string& name, std::size_t max_file_bytes,
         std::size_t max_depth, std::size_t max_elements) {
        std::string yaml = text_arg(text);
        TestLoadOptions o = test_options(max_file_bytes, max_depth, max_elements);
        TestLoad r;
        {
          py::gil_scoped_release nogil;
          r = load_tests_string(yaml, name, o);
        }
        return finish_suite(std::move(r));
      },
      py::arg("text"), py::arg("name") = "<string>", py::kw_only(),
      py::arg("max_file_bytes") = TestLoadOptions{}.max_file_bytes,
      py::arg("max_depth") = TestLoadOptions{}.max_depth,
      py::arg("max_elements") = TestLoadOptions{}.max_elements);
  m.def(
      "find_tests_for", [](const py::object& p) { return find_tests_for(path_arg(p)); },
      py::arg("script_path"));
  m.def(
      "is_tests_file", [](const py::object& p) { return is_tests_file(path_arg(p)); },
      py::arg("path"));
  m.def(
      "script_for_tests", [](const py::object& p) { return script_for_tests(path_arg(p)); },
      py::arg("tests_path"));

  py::class_<PyTestReport>(m, "TestReport",
                           "The cases of one suite, run against its script, and their coverage.")
      .def_property_readonly("file", [](const PyTestReport& r) { return r.report.file; })
      .def_property_readonly("script_file",
                             [](const PyTestReport& r) { return r.report.script_file; })
      .def_property_readonly("script", [](const PyTestReport& r) { return r.script; })
      .def_property_readonly("diagnostics",
                             [](const PyTestReport& r) { return r.report.diagnostics; })
      .def_property_readonly("cases",
                             [](const PyTestReport& r) {
                               py::list out;
                               for (const CaseResult& c : r.report.cases)
                                 out.append(case_info(c, **r.script));
                               return out;
                             })
      .def_property_readonly("failures",
                             [](const PyTestReport& r) {
                               py::list out;
                               for (const CaseResult& c : r.report.cases)
                                 if (!c.passed) out.append(case_info(c, **r.script));
                               return out;
                             })
      .def_property_readonly(
          "coverage",
          [](const PyTestReport& r) { return coverage_info(r.report.coverage, **r.script); })
      .def_property_readonly("passed", [](const PyTestReport& r) { return r.report.passed(); })
      .def_property_readonly("failed", [](const PyTestReport& r) { return r.report.failed(); })
      .def_property_readonly("ok", [](const PyTestReport& r) { return r.report.failed() == 0; })
      .def("to_json", [](const PyTestReport& r) { return to_json(r.report, r.script->ptr.get()); })
      .def("to_dict",
           [](const PyTestReport& r) {
             return py::module_::import("json").attr("loads")(
                 to_json(r.report, r.script->ptr.get()));
           })
      .def("__bool__", [](const PyTestReport& r) { return r.report.failed() == 0; })
      .def("__repr__", [](const PyTestReport& r) {
        return "<TestReport " + r.report.file + ": " + std::to_string(r.report.passed()) +
               " passed, " + std::to_string(r.report.failed()) + " failed>";
      });

  m.def(
      "run_tests",
      [](const PySuite& suite, const py::object& script_arg) {
        ScriptRef script = script_arg.is_none() ? py::module_::import("patter._patter")
                                                      .attr("load_file")(suite.suite->script)
                                                      .cast<ScriptRef>()
                                                : script_arg.cast<ScriptRef>();
        PyTestReport out{{}, script};
        {
          py::gil_scoped_release nogil;
          out.report = run_tests(*suite.suite, script->ptr);
        }
        if (has_errors(out.report.diagnostics))
          raise_error("TestFileError", py::make_tuple(diagnostics_list(out.report.diagnostics)));
        return out;
      },
      py::arg("suite"), py::arg("script") = py::none());
}

}  // namespace patter::python

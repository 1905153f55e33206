// Loading scripts, the compiled Script and understanding utterances.
#include <patter/dot.hpp>

#include <exception>

#include "common.hpp"

namespace patter::python {
namespace {

py::list str_list(const std::vector<std::string>& v) {
  py::list out;
  for (const std::string& s : v) out.append(to_py(s));
  return out;
}

py::dict where(const Script& s, const Mark& m) {
  SourceLocation loc = s.locate(m);
  py::dict d;
  d["file"] = loc.file;
  d["line"] = loc.line;
  d["column"] = loc.column;
  return d;
}

py::object route_info(const Script& s, const Route& r) {
  py::dict kw = where(s, r.where);
  py::list intents;
  for (IntentId id : r.intents) intents.append(intent_name(s, id));
  kw["intents"] = intents;
  kw["any"] = r.any;
  kw["keys"] = r.keys;
  kw["when"] = r.guard.empty() ? py::object(py::none()) : py::object(to_py(r.guard.source()));
  kw["to"] = node_name(s, r.target);
  kw["tags"] = str_list(r.tags);
  kw["score"] = r.score;
  return pylayer("Route")(**kw);
}

// A decision node's branches and a node's `capture:`.
void slot_info(const Script& s, const Node& n, py::dict& kw) {
  py::list branches;
  for (const Branch& b : n.branches) {
    py::dict bk = where(s, b.where);
    bk["when"] = b.guard.empty() ? py::object(py::none()) : py::object(to_py(b.guard.source()));
    bk["to"] = node_name(s, b.target);
    branches.append(pylayer("Branch")(**bk));
  }
  kw["branches"] = branches;
  kw["capture"] = n.capture == kNone ? py::object(py::none())
                                     : py::object(to_py(s.variables()[n.capture].name));
}

// Which flow a node is in, which it calls, and what interrupts its lines.
void flow_info(const Script& s, const Node& n, py::dict& kw) {
  auto flow_name = [&](std::uint16_t f) {
    return f < s.flows().size() ? py::object(to_py(s.flows()[f].name)) : py::object(py::none());
  };
  kw["flow"] = flow_name(n.flow);
  kw["calls"] = flow_name(n.calls);
  kw["interrupt"] = to_py(to_string(n.interrupt));
  py::list intents;
  for (IntentId i : n.interrupt_intents) intents.append(to_py(s.intent(i).name));
  kw["interrupt_intents"] = intents;
}

py::object node_info(const Script& s, NodeId id) {
  const Node& n = s.node(id);
  py::dict kw = where(s, n.where);
  kw["id"] = id;
  kw["name"] = n.name;
  kw["kind"] = to_py(to_string(n.kind));
  py::list lines;
  for (const Template& t : n.lines) lines.append(to_py(t.source));
  kw["lines"] = lines;
  kw["recording"] = n.recording;
  kw["barge_in"] = n.barge_in;
  kw["listen_ms"] = n.listen_ms;
  kw["tags"] = str_list(n.tags);
  kw["score"] = n.score;
  kw["max_visits"] = n.max_visits;
  py::list routes;
  for (const Route& r : n.routes) routes.append(route_info(s, r));
  kw["routes"] = routes;
  kw["next"] = node_name(s, n.next);
  kw["hangup"] =
      n.kind == NodeKind::hangup ? py::object(to_py(to_string(n.hangup))) : py::object(py::none());
  const bool esc = n.kind == NodeKind::escalate;
  kw["escalation"] =
      esc ? py::object(to_py(to_string(n.escalation.reason))) : py::object(py::none());
  kw["priority"] =
      esc ? py::object(to_py(to_string(n.escalation.priority))) : py::object(py::none());
  slot_info(s, n, kw);
  flow_info(s, n, kw);
  return pylayer("Node")(**kw);
}

py::object intent_info(const Script& s, IntentId id) {
  const Intent& i = s.intent(id);
  py::dict kw = where(s, i.where);
  kw["id"] = id;
  kw["name"] = i.name;
  kw["phrases"] = str_list(i.phrases);
  kw["patterns"] = str_list(i.patterns);
  kw["examples"] = str_list(i.examples);
  kw["opposite"] = intent_name(s, i.opposite);
  kw["priority"] = i.priority;
  kw["score"] = i.score;
  kw["opt_out"] = i.opt_out;
  return pylayer("Intent")(**kw);
}

py::object variable_info(const Variable& v) {
  static const char* const types[] = {"text", "number", "boolean"};
  py::dict kw;
  kw["name"] = v.name;
  kw["type"] = types[static_cast<int>(v.type)];
  kw["default"] = v.default_value ? py::object(to_py(*v.default_value)) : py::object(py::none());
  kw["required"] = v.required;
  return pylayer("Variable")(**kw);
}

/// Script.understand's answer, with its script for names.
struct PyUnderstanding {
  Understanding u;
  ScriptRef script;
};

const char* suppression_id(Suppression s) {
  switch (s) {
    case Suppression::overlapped: return "overlapped";
    case Suppression::word_boundary: return "word_boundary";
    case Suppression::negated: return "negated";
    case Suppression::below_threshold: return "below_threshold";
    case Suppression::question: return "question";
    case Suppression::double_negation: return "double_negation";
  }
  return "overlapped";
}

py::object match_info(const Script& s, const Understanding& u, const IntentMatch& m) {
  py::dict kw;
  kw["intent"] = intent_name(s, m.intent);
  kw["source"] = to_py(to_string(m.source));
  kw["confidence"] = m.confidence;
  // Patterns read (and their spans point into) the customer's own text.
  std::string_view norm = m.source == MatchSource::pattern ? u.original() : u.normalized();
  const bool span = m.end >= m.begin && m.end <= norm.size();
  kw["text"] = span ? to_py(norm.substr(m.begin, m.end - m.begin)) : py::str("");
  kw["begin"] = m.begin;
  kw["end"] = m.end;
  kw["rule"] = m.rule;
  kw["negated"] = m.negated;
  kw["original"] = m.negated ? intent_name(s, m.original) : py::object(py::none());
  return pylayer("IntentMatch")(**kw);
}

[[noreturn]] void raise_script_error(const std::vector<Diagnostic>& ds) {
  py::list all;
  for (const Diagnostic& d : ds) all.append(py::cast(d));
  raise_error("ScriptError", py::make_tuple(all));
}

ScriptRef finish_load(LoadResult r) {
  if (!r.ok()) raise_script_error(r.diagnostics);
  return std::make_shared<ScriptHandle>(
      ScriptHandle{std::move(r.script), std::move(r.diagnostics)});
}

/// Python's patter.LoadOptions: the C++ options, and the Python callable
/// that reads includes (kept here, where only code holding the GIL sees it).
struct PyLoadOptions {
  LoadOptions o;
  py::object read_file = py::none();
};

/// The numeric limits, by their Python (and C++) names.
struct Limit {
  const char* name;
  std::size_t LoadOptions::*field;
};
constexpr Limit kLimits[] = {
    {"max_file_bytes", &LoadOptions::max_file_bytes},
    {"max_depth", &LoadOptions::max_depth},
    {"max_elements", &LoadOptions::max_elements},
    {"max_expanded_bytes", &LoadOptions::max_expanded_bytes},
    {"max_includes", &LoadOptions::max_includes},
    {"max_nodes", &LoadOptions::max_nodes},
    {"max_intents", &LoadOptions::max_intents},
    {"max_phrases", &LoadOptions::max_phrases},
    {"max_phrases_per_intent", &LoadOptions::max_phrases_per_intent},
    {"max_patterns", &LoadOptions::max_patterns},
    {"max_variables", &LoadOptions::max_variables},
    {"max_routes_per_node", &LoadOptions::max_routes_per_node},
    {"max_phrase_bytes", &LoadOptions::max_phrase_bytes},
    {"max_line_bytes", &LoadOptions::max_line_bytes},
    {"max_tags", &LoadOptions::max_tags},
};

void set_option(PyLoadOptions& p, const std::string& name, const py::handle& value) {
  for (const Limit& l : kLimits) {
    if (name == l.name) {
      p.o.*l.field = value.cast<std::size_t>();
      return;
    }
  }
  if (name == "include_folders") {
    std::vector<std::string> folders;
    for (const py::handle f : value)
      folders.push_back(py::str(py::module_::import("os").attr("fspath")(f)));
    p.o.include_folders = std::move(folders);
  } else if (name == "default_library_path") {
    p.o.default_library_path = value.cast<bool>();
  } else if (name == "read_file") {
    if (!value.is_none() && !PyCallable_Check(value.ptr()))
      throw py::type_error("LoadOptions.read_file must be a callable (path -> str, bytes or None)");
    p.read_file = py::reinterpret_borrow<py::object>(value);
  } else {
    throw py::type_error("LoadOptions has no option `" + name + "`");
  }
}

/// Runs `load(options)` without the GIL. A read_file callable is called
/// with the GIL; an exception it raises ends its reading and is raised
/// again once loading is over.
template <class Result, class Load>
Result with_options(const py::object& given, py::kwargs overrides, Load&& load) {
  PyLoadOptions p;
  if (!given.is_none()) p = given.cast<PyLoadOptions>();
  for (auto item : overrides)
    if (!item.second.is_none()) set_option(p, py::str(item.first), item.second);
  LoadOptions o = p.o;
  std::exception_ptr failure;
  if (!p.read_file.is_none()) {
    const py::handle fn =
        p.read_file;  // p outlives the load: no reference counting without the GIL
    o.read_file = [fn, &failure](const std::string& path) -> std::optional<std::string> {
      py::gil_scoped_acquire gil;
      if (failure) return std::nullopt;
      try {
        py::object r = fn(path);
        if (r.is_none()) return std::nullopt;
        if (PyBytes_Check(r.ptr())) return r.cast<std::string>();
        return text_arg(r);
      } catch (...) {
        failure = std::current_exception();
        return std::nullopt;
      }
    };
  }
  Result r;
  {
    py::gil_scoped_release nogil;
    r = load(o);
  }
  if (failure) std::rethrow_exception(failure);
  return r;
}

void init_load_options(py::module_& m) {
  auto cls = py::class_<PyLoadOptions>(
      m, "LoadOptions",
      "Limits and include folders for loading scripts (docs/limits.md):\n"
      "LoadOptions(max_file_bytes=..., include_folders=[...], read_file=fn, ...).");
  cls.def(py::init([](py::kwargs kw) {
    PyLoadOptions p;
    for (auto item : kw) set_option(p, py::str(item.first), item.second);
    return p;
  }));
  for (const Limit& l : kLimits) {
    const auto field = l.field;
    cls.def_property(
        l.name, [field](const PyLoadOptions& p) { return p.o.*field; },
        [field](PyLoadOptions& p, std::size_t v) { p.o.*field = v; });
  }
  cls.def_property(
      "include_folders", [](const PyLoadOptions& p) { return p.o.include_folders; },
      [](PyLoadOptions& p, const py::object& v) { set_option(p, "include_folders", v); },
      "library folders searched first, in order (assign a list; a copy is returned)");
  cls.def_property(
      "default_library_path", [](const PyLoadOptions& p) { return p.o.default_library_path; },
      [](PyLoadOptions& p, bool v) { p.o.default_library_path = v; },
      "also search PATTER_PATH and the installed libraries");
  cls.def_property(
      "read_file", [](const PyLoadOptions& p) { return p.read_file; },
      [](PyLoadOptions& p, const py::object& v) { set_option(p, "read_file", v); },
      "reads an included file: path -> str, bytes or None (cannot be read); "
      "it then alone decides what may be read");
  cls.def("__repr__", [](const PyLoadOptions& p) {
    const LoadOptions d;
    std::string out = "LoadOptions(";
    const char* sep = "";
    for (const Limit& l : kLimits) {
      if (p.o.*l.field == d.*l.field) continue;
      out += sep + std::string(l.name) + "=" + std::to_string(p.o.*l.field);
      sep = ", ";
    }
    if (!p.o.include_folders.empty())
      out += sep + std::string("include_folders=") +
             py::repr(py::cast(p.o.include_folders)).cast<std::string>(),
          sep = ", ";
    if (!p.o.default_library_path)
      out += sep + std::string("default_library_path=False"), sep = ", ";
    if (!p.read_file.is_none())
      out += sep + std::string("read_file=") + py::repr(p.read_file).cast<std::string>();
    return out + ")";
  });
  m.def(
      "library_path",
      [](const py::object& options) {
        return library_path(options.is_none() ? LoadOptions{} : options.cast<PyLoadOptions>().o);
      },
      py::arg("options") = py::none(),
      "The folders a library included by name is looked for in, in order.");
}

}  // namespace

py::object understanding_to_py(const Script& s, const Understanding& u, const ScriptRef& ref);

void init_script(py::module_& m) {
  py::class_<Diagnostic>(
      m, "Diagnostic", "One problem the loader found: where, how bad, a stable code and a message.")
      .def_property_readonly("file", [](const Diagnostic& d) { return d.where.file; })
      .def_property_readonly(
          "line", [](const Diagnostic& d) { return d.where.line; },
          "1-based; 0 means the whole file")
      .def_property_readonly("column", [](const Diagnostic& d) { return d.where.column; })
      .def_property_readonly(
          "severity", [](const Diagnostic& d) { return to_py(to_string(d.severity)); },
          "'error', 'warning' or 'note'")
      .def_property_readonly(
          "code", [](const Diagnostic& d) { return code_name(d.code); },
          "the stable code, e.g. 'P021' (docs/diagnostics.md)")
      .def_property_readonly(
          "name", [](const Diagnostic& d) { return to_py(code_id(d.code)); },
          "the code's identifier, e.g. 'unknown_node'")
      .def_readonly("message", &Diagnostic::message)
      .def_readonly("hint", &Diagnostic::hint)
      .def("__str__", [](const Diagnostic& d) { return format(d); })
      .def("__repr__", [](const Diagnostic& d) { return "<Diagnostic " + format(d) + ">"; });

  init_load_options(m);
  m.def(
      "load_file",
      [](const py::object& path, const py::object& options, py::kwargs limits) {
        std::string p = py::str(py::module_::import("os").attr("fspath")(path));
        return finish_load(with_options<LoadResult>(
            options, limits, [&](const LoadOptions& o) { return load_file(p, o); }));
      },
      py::arg("path"), py::arg("options") = py::none(),
      "Load a script; options: a LoadOptions, or its fields as keywords.");
  m.def(
      "load_string",
      [](const py::object& text, const std::string& name, const py::object& options,
         py::kwargs limits) {
        std::string yaml = text_arg(text);
        return finish_load(with_options<LoadResult>(
            options, limits, [&](const LoadOptions& o) { return load_string(yaml, name, o); }));
      },
      py::arg("text"), py::arg("name") = "<string>", py::arg("options") = py::none(),
      "Load a script from text; `name` is for diagnostics and relative includes.");
  py::class_<ScriptHandle, ScriptRef>(m, "Script",
                                      "A compiled, immutable call script; share it freely.")
      .def_property_readonly("id", [](const ScriptHandle& s) { return s->id(); })
      .def_property_readonly("version", [](const ScriptHandle& s) { return s->version(); })
      .def_property_readonly("locale", [](const ScriptHandle& s) { return s->locale(); })
      .def_property_readonly("title", [](const ScriptHandle& s) { return s->title(); })
      .def_property_readonly("files", [](const ScriptHandle& s) { return s->files(); })
      .def_property_readonly("fingerprint", [](const ScriptHandle& s) { return s->fingerprint(); })
      .def_property_readonly("start",
                             [](const ScriptHandle& s) { return node_name(*s, s->start()); })
      .def_readonly("diagnostics", &ScriptHandle::diagnostics)
      .def_property_readonly("nodes",
                             [](const ScriptHandle& s) {
                               py::list out;
                               for (NodeId i = 0; i < s->nodes().size(); ++i)
                                 out.append(node_info(*s, i));
                               return out;
                             })
      .def_property_readonly("intents",
                             [](const ScriptHandle& s) {
                               py::list out;
                               for (IntentId i = 0; i < s->intents().size(); ++i)
                                 out.append(intent_info(*s, i));
                               return out;
                             })
      .def_property_readonly("variables",
                             [](const ScriptHandle& s) {
                               py::list out;
                               for (const Variable& v : s->variables())
                                 out.append(variable_info(v));
                               return out;
                             })
      .def_property_readonly("tags", [](const ScriptHandle& s) { return s->tags(); })
      .def_property_readonly("opts_out", [](const ScriptHandle& s) { return s->opts_out(); })
      .def_property_readonly("grades", [](const ScriptHandle& s) { return s->grades(); })
      .def(
          "find_node",
          [](const ScriptHandle& s, const std::string& name) -> py::object {
            auto id = s->find_node(name);
            return id ? node_info(*s, *id) : py::none();
          },
          py::arg("name"))
      .def(
          "find_intent",
          [](const ScriptHandle& s, const std::string& name) -> py::object {
            auto id = s->find_intent(name);
            return id ? intent_info(*s, *id) : py::none();
          },
          py::arg("name"))
      .def(
          "node",
          [](const ScriptHandle& s, const py::object& which) {
            NodeId id = node_arg(*s, which);
            if (id >= s->nodes().size())
              throw py::key_error("no node " + py::repr(which).cast<std::string>());
            return node_info(*s, id);
          },
          py::arg("name_or_id"))
      .def(
          "intent",
          [](const ScriptHandle& s, const py::object& which) {
            IntentId id = intent_arg(*s, which);
            if (id >= s->intents().size())
              throw py::key_error("no intent " + py::repr(which).cast<std::string>());
            return intent_info(*s, id);
          },
          py::arg("name_or_id"))
      .def(
          "understand",
          [](const ScriptRef& s, const py::object& text) {
            std::string t = text_arg(text);
            Understanding u;
            (*s)->matcher().understand(t, u);
            return understanding_to_py(**s, u, s);
          },
          py::arg("text"))
      .def(
          "to_dot",
          [](const ScriptHandle& s, bool show_globals, bool show_fallbacks,
             std::size_t max_label_chars) {
            DotOptions o;
            o.show_globals = show_globals;
            o.show_fallbacks = show_fallbacks;
            o.max_label_chars = max_label_chars;
            return to_dot(*s, o);
          },
          py::kw_only(), py::arg("show_globals") = true, py::arg("show_fallbacks") = true,
          py::arg("max_label_chars") = DotOptions{}.max_label_chars)
      .def("__eq__",
           [](const ScriptHandle& a, const py::object& b) {
             if (!py::isinstance<ScriptHandle>(b)) return false;
             const ScriptHandle& o = b.cast<const ScriptHandle&>();
             return a.ptr == o.ptr || a->fingerprint() == o->fingerprint();
           })
      .def("__hash__", [](const ScriptHandle& s) { return py::hash(py::str(s->fingerprint())); })
      .def("__repr__", [](const ScriptHandle& s) {
        return "<Script " + s->id() + " " + s->version() + " (" +
               std::to_string(s->nodes().size()) + " nodes, " +
               std::to_string(s->intents().size()) + " intents) " + s->fingerprint() + ">";
      });

  py::class_<PyUnderstanding>(m, "Understanding",
                              "What the customer meant, as the script's matcher read it.")
      .def_property_readonly("matched", [](const PyUnderstanding& p) { return p.u.matched(); })
      .def_property_readonly("best",
                             [](const PyUnderstanding& p) -> py::object {
                               if (!p.u.matched()) return py::none();
                               return match_info(**p.script, p.u, p.u.best());
                             })
      .def_property_readonly("intent",
                             [](const PyUnderstanding& p) -> py::object {
                               if (!p.u.matched()) return py::none();
                               return intent_name(**p.script, p.u.best().intent);
                             })
      .def_property_readonly("intents",
                             [](const PyUnderstanding& p) {
                               py::list out;
                               for (const IntentMatch& im : p.u.intents())
                                 out.append(match_info(**p.script, p.u, im));
                               return out;
                             })
      .def_property_readonly("suppressed",
                             [](const PyUnderstanding& p) {
                               py::list out;
                               for (const SuppressedMatch& sm : p.u.suppressed())
                                 out.append(py::make_tuple(match_info(**p.script, p.u, sm.match),
                                                           py::str(suppression_id(sm.why))));
                               return out;
                             })
      .def_property_readonly("captures",
                             [](const PyUnderstanding& p) {
                               py::dict out;
                               const Script& s = **p.script;
                               for (const Capture& c : p.u.captures()) {
                                 if (c.variable >= s.variables().size()) continue;
                                 py::object v = c.numeric ? py::object(py::float_(c.number))
                                                          : py::object(to_py(p.u.capture_text(c)));
                                 out[to_py(s.variables()[c.variable].name)] = v;
                               }
                               return out;
                             })
      .def_property_readonly("normalized",
                             [](const PyUnderstanding& p) { return to_py(p.u.normalized()); })
      .def_property_readonly("invalid_utf8",
                             [](const PyUnderstanding& p) { return p.u.invalid_utf8(); })
      .def_property_readonly("truncated", [](const PyUnderstanding& p) { return p.u.truncated(); })
      .def_property_readonly("length", [](const PyUnderstanding& p) { return p.u.length(); })
      .def("explain", [](const PyUnderstanding& p) { return p.u.explain(**p.script); })
      .def("__bool__", [](const PyUnderstanding& p) { return p.u.matched(); })
      .def("__repr__", [](const PyUnderstanding& p) {
        std::string r = "<Understanding '" + std::string(p.u.normalized()) + "'";
        const Script& s = **p.script;
        for (const IntentMatch& im : p.u.intents())
          if (im.intent < s.intents().size()) r += " " + s.intent(im.intent).name;
        return r + ">";
      });
}

py::object understanding_to_py(const Script&, const Understanding& u, const ScriptRef& ref) {
  return py::cast(PyUnderstanding{u, ref});
}

}  // namespace patter::python

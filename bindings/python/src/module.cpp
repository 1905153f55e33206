// patter._patter: the extension module. The Pythonic layer (patter/) adds
// the exceptions, the result types and the documentation users read.
#include "common.hpp"

#include <patter/version.hpp>

namespace patter::python {

NodeId node_arg(const Script& s, const py::handle& node) {
  if (py::isinstance<py::str>(node)) {
    auto id = s.find_node(node.cast<std::string>());
    return id ? *id : static_cast<NodeId>(s.nodes().size());
  }
  if (py::isinstance<py::int_>(node) && !py::isinstance<py::bool_>(node)) {
    long long v = node.cast<long long>();
    return v < 0 || static_cast<unsigned long long>(v) >= s.nodes().size()
               ? static_cast<NodeId>(s.nodes().size())
               : static_cast<NodeId>(v);
  }
  throw py::type_error("a node is given by its name (str) or index (int)");
}

IntentId intent_arg(const Script& s, const py::handle& intent) {
  if (py::isinstance<py::str>(intent)) {
    auto id = s.find_intent(intent.cast<std::string>());
    return id ? *id : static_cast<IntentId>(s.intents().size());
  }
  if (py::isinstance<py::int_>(intent) && !py::isinstance<py::bool_>(intent)) {
    long long v = intent.cast<long long>();
    return v < 0 || static_cast<unsigned long long>(v) >= s.intents().size()
               ? static_cast<IntentId>(s.intents().size())
               : static_cast<IntentId>(v);
  }
  throw py::type_error("an intent is given by its name (str) or index (int)");
}

std::string text_arg(const py::handle& text) {
  if (PyBytes_Check(text.ptr())) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    PyBytes_AsStringAndSize(text.ptr(), &data, &size);
    return std::string(data, static_cast<std::size_t>(size));
  }
  if (PyByteArray_Check(text.ptr()))
    return std::string(PyByteArray_AsString(text.ptr()),
                       static_cast<std::size_t>(PyByteArray_Size(text.ptr())));
  if (!PyUnicode_Check(text.ptr())) throw py::type_error("text must be str or bytes");
  Py_ssize_t size = 0;
  if (const char* utf8 = PyUnicode_AsUTF8AndSize(text.ptr(), &size))
    return std::string(utf8, static_cast<std::size_t>(size));
  PyErr_Clear();  // lone surrogates: keep them as the bytes they escape
  py::object raw = py::reinterpret_steal<py::object>(
      PyUnicode_AsEncodedString(text.ptr(), "utf-8", "surrogateescape"));
  if (!raw) {
    PyErr_Clear();
    raw = py::reinterpret_steal<py::object>(
        PyUnicode_AsEncodedString(text.ptr(), "utf-8", "replace"));
    if (!raw) throw py::error_already_set();
  }
  return std::string(PyBytes_AS_STRING(raw.ptr()),
                     static_cast<std::size_t>(PyBytes_GET_SIZE(raw.ptr())));
}

void raise_error(const char* name, const py::tuple& args, const py::dict& kwargs) {
  py::object cls = py::module_::import("patter._errors").attr(name);
  py::object exc = cls(*args, **kwargs);
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

py::object pylayer(const char* name) {
  return py::module_::import("patter._types").attr(name);
}

HangupReason hangup_arg(std::string_view s) {
  auto r = parse_hangup_reason(s);
  if (!r) {
    std::string names;
    for (std::string_view n : hangup_reason_names()) {
      if (!names.empty()) names += ", ";
      names += n;
    }
    throw py::value_error("unknown hang-up reason '" + std::string(s) + "' (one of: " + names +
                          ")");
  }
  return *r;
}

void reraise_hook_error(const std::exception_ptr& e, const py::object& turn) {
  try {
    std::rethrow_exception(e);
  } catch (py::error_already_set& err) {
    // Raised afresh from its parts: the stored error may be restored once only.
    py::object type = err.type(), value = err.value(), trace = err.trace();
    if (value && !turn.is_none() &&
        PyObject_SetAttrString(value.ptr(), "patter_turn", turn.ptr()) != 0)
      PyErr_Clear();  // an exception type without attributes: raised as it is
    PyErr_Restore(type.inc_ref().ptr(), value.inc_ref().ptr(), trace.inc_ref().ptr());
    throw py::error_already_set();
  }
  // Any other exception went on from rethrow_exception: pybind11 translates it.
  __builtin_unreachable();
}

void raise_event_error(Status s, const py::object& turn) {
  py::dict kw;
  kw["turn"] = turn;
  raise_error("EventError", py::make_tuple(to_py(to_string(s)), to_py(describe(s))), kw);
}

}  // namespace patter::python

PYBIND11_MODULE(_patter, m) {
  using namespace patter::python;
  m.doc() = "patter's C++ core. Use the `patter` package: it documents and completes this module.";
  m.attr("__version__") = patter::version_string();
  m.attr("FORMAT_VERSION") = patter::kFormatVersion;
  init_script(m);
  init_session(m);
  init_desk(m);
  init_tooling(m);
  init_training(m);
  init_graph(m);
  init_time(m);
}

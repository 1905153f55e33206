// patter validate [--json] [--werror] FILE...: check scripts and libraries.
#include <patter/patter.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.hpp"

namespace patter::cli {

int validate(const std::vector<std::string>& args) {
  bool json = false, werror = false;
  std::vector<std::string> files;
  for (const auto& a : args) {
    if (a == "--json") json = true;
    else if (a == "--werror") werror = true;
    else if (!a.empty() && a[0] == '-') return usage_error("unknown option `" + a + "` for validate");
    else files.push_back(a);
  }
  if (files.empty()) return usage_error("validate needs at least one FILE");
  bool failed = false;
  std::string out = "[";
  for (std::size_t f = 0; f < files.size(); ++f) {
    std::string head;
    {
      std::ifstream in(files[f], std::ios::binary);
      head.resize(4096);
      in.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<std::size_t>(in.gcount()));
    }
    const bool library = patter::is_library(head);
    patter::LoadResult r;
    if (library) r.diagnostics = patter::check_library_file(files[f]);
    else r = patter::load_file(files[f]);
    std::size_t errors = 0, warnings = 0;
    for (const auto& d : r.diagnostics) {
      errors += d.severity == patter::Severity::error;
      warnings += d.severity == patter::Severity::warning;
    }
    const bool bad = errors > 0 || (!library && !r.ok()) || (werror && warnings > 0);
    failed = failed || bad;
    if (json) {
      out += f ? ",\n " : "";
      out += "{\"file\":\"" + json_escape(files[f]) + "\",\"ok\":" + (bad ? "false" : "true") +
             ",\"kind\":\"" + (library ? "library" : "script") + "\"";
      if (r.ok()) {
        out += ",\"id\":\"" + json_escape(r.script->id()) + "\",\"fingerprint\":\"" + r.script->fingerprint() +
               "\",\"nodes\":" + std::to_string(r.script->nodes().size()) +
               ",\"intents\":" + std::to_string(r.script->intents().size());
      }
      out += ",\"diagnostics\":[";
      for (std::size_t i = 0; i < r.diagnostics.size(); ++i) {
        const auto& d = r.diagnostics[i];
        out += i ? "," : "";
        out += "{\"file\":\"" + json_escape(d.where.file) + "\",\"line\":" + std::to_string(d.where.line) +
               ",\"column\":" + std::to_string(d.where.column) + ",\"severity\":\"" +
               std::string(patter::to_string(d.severity)) + "\",\"code\":\"" + patter::code_name(d.code) +
               "\",\"name\":\"" + std::string(patter::code_id(d.code)) + "\",\"message\":\"" +
               json_escape(d.message) + "\",\"hint\":\"" + json_escape(d.hint) + "\"}";
      }
      out += "]}";
      continue;
    }
    for (const auto& d : r.diagnostics) std::cerr << patter::format(d) << '\n';
    if (library && errors == 0) {
      std::cout << files[f] << ": ok — library";
      if (warnings) std::cout << ", " << warnings << (warnings == 1 ? " warning" : " warnings");
      std::cout << '\n';
    } else if (r.ok()) {
      std::cout << files[f] << ": ok — " << r.script->id() << ' ' << r.script->version() << ", "
                << r.script->nodes().size() << " nodes, " << r.script->intents().size() << " intents";
      if (warnings) std::cout << ", " << warnings << (warnings == 1 ? " warning" : " warnings");
      std::cout << '\n';
    } else {
      std::cout << files[f] << ": " << errors << (errors == 1 ? " error" : " errors") << '\n';
    }
  }
  if (json) std::cout << out << "]\n";
  return failed ? 1 : 0;
}

}  // namespace patter::cli

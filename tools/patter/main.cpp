// patter — the command-line tool for script authors.
//
//   patter validate examples/scripts/*.yaml
//   patter graph examples/scripts/screening.zh-CN.yaml -o screening.dot
#include <patter/patter.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char* kUsage =
    "usage: patter <command> [options]\n"
    "\n"
    "commands:\n"
    "  validate [--json] [--werror] FILE...   check scripts; errors as file:line:col\n"
    "  graph FILE [-o OUT] [--no-globals] [--no-fallbacks]\n"
    "                                         Graphviz DOT of a script (stdout or OUT)\n"
    "  version                                print the version\n"
    "\n"
    "exit status: 0 ok, 1 the script has errors, 2 wrong usage\n";

int usage_error(const std::string& msg) {
  std::cerr << "patter: " << msg << "\n\n" << kUsage;
  return 2;
}

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

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

int graph(const std::vector<std::string>& args) {
  std::string file, output;
  patter::DotOptions opt;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) return usage_error("`-o` needs a file name");
      output = args[++i];
    } else if (a == "--no-globals") {
      opt.show_globals = false;
    } else if (a == "--no-fallbacks") {
      opt.show_fallbacks = false;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option `" + a + "` for graph");
    } else if (file.empty()) {
      file = a;
    } else {
      return usage_error("graph takes one FILE");
    }
  }
  if (file.empty()) return usage_error("graph needs a FILE");
  const patter::LoadResult r = patter::load_file(file);
  for (const auto& d : r.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!r.ok()) return 1;
  const std::string dot = patter::to_dot(*r.script, opt);
  if (output.empty()) {
    std::cout << dot;
    return 0;
  }
  std::ofstream out(output, std::ios::binary);
  out << dot;
  if (!out) {
    std::cerr << "patter: cannot write `" << output << "`\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  const std::string cmd = args.front();
  args.erase(args.begin());
  if (cmd == "validate") return validate(args);
  if (cmd == "graph") return graph(args);
  if (cmd == "version" || cmd == "--version") {
    std::cout << "patter " << patter::version_string() << " (script format " << patter::kFormatVersion << ")\n";
    return 0;
  }
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    std::cout << kUsage;
    return 0;
  }
  return usage_error("unknown command `" + cmd + "`");
}

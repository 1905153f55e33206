// patter test [--json] [--quiet] PATH...: run conversation test cases and
// report coverage. A PATH is a script (its test files are found beside it),
// a test file (*.tests.yaml) or a folder (every test file under it).
#include <patter/json_writer.hpp>
#include <patter/loader.hpp>
#include <patter/tooling/conversation_test.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

#include "commands.hpp"

namespace patter::cli {
namespace {

namespace fs = std::filesystem;

struct Target {
  std::string tests;   // a test file, or empty when none was found
  std::string script;  // the script given, when no test file was found for it
};

/// What each PATH names: its test files, or the path itself when it has none.
std::vector<Target> find_targets(const std::vector<std::string>& paths) {
  std::vector<Target> targets;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(p, ec);
           !ec && it != fs::recursive_directory_iterator(); ++it)
        if (it->is_regular_file() && is_tests_file(it->path().filename().string()))
          found.push_back(it->path().string());
      std::sort(found.begin(), found.end());
      if (found.empty()) targets.push_back({"", p});
      for (auto& f : found) targets.push_back({f, ""});
    } else if (is_tests_file(p) || is_tests_by_header(p)) {
      targets.push_back({p, ""});
    } else {
      std::vector<std::string> found = find_tests_for(p);
      if (found.empty()) targets.push_back({"", p});
      for (auto& f : found) targets.push_back({f, ""});
    }
  }
  return targets;
}

}  // namespace

int test(const TestArgs& args) {
  const bool json = args.json, quiet = args.quiet;
  std::size_t passed = 0, failed = 0;
  bool trouble = false;  // files that could not be read or run
  JsonWriter out_json;
  out_json.object().key("files").array();
  for (const Target& t : find_targets(args.paths)) {
    if (t.tests.empty()) {
      trouble = true;
      const std::string msg = "no test file for `" + t.script + "`";
      if (json) {
        out_json.object().field("file", t.script).field("error", msg).end();
      } else {
        std::cerr << "patter: " << msg
                  << " (looked for NAME.tests.yaml beside it and in tests/ beside it; see "
                     "docs/testing-scripts.md)\n";
      }
      continue;
    }
    TestLoad loaded = load_tests_file(t.tests);
    std::shared_ptr<const Script> script;
    std::vector<Diagnostic> diags = loaded.diagnostics;
    if (loaded.ok()) {
      LoadResult s = load_file(loaded.suite->script);
      for (auto& d : s.diagnostics)
        if (d.severity == Severity::error) diags.push_back(d);
      script = s.script;
    }
    TestReport report;
    if (loaded.ok() && script) {
      report = run_tests(*loaded.suite, script);
      diags.insert(diags.end(), report.diagnostics.begin(), report.diagnostics.end());
    }
    report.file = t.tests;
    if (loaded.ok()) report.script_file = loaded.suite->script;
    if (has_errors(diags)) trouble = true;
    passed += report.passed();
    failed += report.failed();

    if (json) {
      report.diagnostics = diags;
      out_json.raw(to_json(report, script.get()));
      continue;
    }
    for (const Diagnostic& d : diags) std::cerr << format(d) << '\n';
    if (has_errors(diags)) {
      std::cout << t.tests << ": not run\n\n";
      continue;
    }
    std::cout << t.tests << " (" << script->id() << ' ' << script->version() << ")\n";
    for (const CaseResult& c : report.cases) {
      if (c.passed && quiet) continue;
      std::cout << (c.passed ? "  pass  " : "  FAIL  ") << c.name << '\n';
      if (!c.passed) std::cout << c.diff;
    }
    std::cout << format(report.coverage, *script) << '\n';
  }
  if (json) {
    out_json.end().field("passed", passed).field("failed", failed).end();
    std::cout << out_json.str() << '\n';
  } else {
    std::cout << passed << " passed, " << failed << " failed\n";
  }
  return failed > 0 || trouble ? 1 : 0;
}

}  // namespace patter::cli

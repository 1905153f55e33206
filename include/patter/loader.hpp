// patter/loader.hpp — read YAML scripts into compiled Scripts.
//
//   patter::LoadResult r = patter::load_file("examples/scripts/invite.zh-CN.yaml");
//   for (const auto& d : r.diagnostics) std::cerr << patter::format(d) << '\n';
//   if (!r.ok()) return 1;            // errors: no script
//   auto script = r.script;           // shared_ptr<const Script>, share freely
//
//   // From memory (the name is used in diagnostics and to resolve includes):
//   auto r2 = patter::load_string(yaml_text, "inline.yaml");
//
// Loading never throws for bad input and never crashes or hangs on it: an
// empty file, bytes that are not UTF-8, YAML that does not parse, nesting
// deeper than `max_depth`, alias bombs and files over `max_file_bytes` all
// come back as diagnostics with a file, line and column. Only
// std::bad_alloc escapes.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "patter/diagnostic.hpp"
#include "patter/script.hpp"
#include "patter/spec.hpp"

namespace patter {

struct LoadOptions {
  /// Largest file accepted, per file (includes count separately).
  std::size_t max_file_bytes = 16u << 20;
  /// Deepest nesting of maps and lists accepted. Scripts need about 6.
  std::size_t max_depth = 32;
  /// Most YAML elements (scalars, maps, lists, alias uses) per file.
  std::size_t max_elements = 2'000'000;
  /// Most files reachable through `include`.
  std::size_t max_includes = 32;
  /// Reads an included file; the default reads from disk. Returns nullopt
  /// when the file cannot be read. Tests and sandboxed hosts replace it.
  std::function<std::optional<std::string>(const std::string& path)> read_file;
};

using LoadResult = CompileResult;

/// Read, check and compile the script at `path` and the files it includes.
LoadResult load_file(const std::string& path, const LoadOptions& options = {});

/// Same, from text in memory. `name` appears in diagnostics; relative
/// includes are resolved against its directory.
LoadResult load_string(std::string_view yaml, const std::string& name = "<string>",
                       const LoadOptions& options = {});

/// The first half of loading, for tools: YAML to the authoring model with
/// includes merged, without compiling. `spec` is meaningful only when
/// `diagnostics` has no errors.
struct ParseResult {
  ScriptSpec spec;
  std::vector<Diagnostic> diagnostics;
};
ParseResult parse_file(const std::string& path, const LoadOptions& options = {});
ParseResult parse_string(std::string_view yaml, const std::string& name = "<string>",
                         const LoadOptions& options = {});

/// True when the text declares itself a shared library (`library:` at the
/// top) rather than a script.
bool is_library(std::string_view yaml);

/// Check a shared library on its own, as `patter validate` does when given
/// one: its YAML, intents, patterns, variables and handlers. Names it uses
/// but does not declare are errors, as in a script. No Script comes of it.
std::vector<Diagnostic> check_library_file(const std::string& path, const LoadOptions& options = {});

}  // namespace patter

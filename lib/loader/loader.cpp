#include "patter/loader.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "compile/compile.hpp"
#include "loader/size_limits.hpp"
#include "loader/spec_reader.hpp"
#include "yaml/reader.hpp"
#include "yaml/source.hpp"

namespace patter {
namespace {

namespace fs = std::filesystem;
using detail::FileRole;

// How scripts and their libraries are spoken of when they cannot be read.
constexpr detail::SourceKind kScriptWords = {
    .too_large_hint =
        "split it into smaller files with `include`, or raise LoadOptions::max_file_bytes",
    .unreadable_hint = "check that the file exists and is readable",
    .utf8_hint = "save the file as UTF-8 (in most editors: File > Save with Encoding > UTF-8)",
    .control_where = " in a script",
    .control_hint = "delete it; it is often left by copying from another program",
    .empty_hint = "a script starts with `patter: 1`; see docs/script-format.md",
    .deep_hint = "scripts need about 6 levels; check the indentation",
    .many_hint = "use fewer `*alias` references, or split the script into smaller files",
    .expanded_hint =
        "use fewer `*alias` references (write the text out where it is needed); "
        "a host that trusts its authors may raise LoadOptions::max_expanded_bytes",
};

detail::SourceLimits limits_of(const LoadOptions& o) {
  return {o.max_file_bytes, o.max_depth, o.max_elements, o.max_expanded_bytes};
}

class Loader {
 public:
  Loader(const LoadOptions& o, std::vector<Diagnostic>& d) : opt_(o), diags_(d) {}

  void add(SourceLocation at, Severity sev, Code code, std::string msg, std::string hint) {
    Diagnostic d;
    d.where = std::move(at);
    d.severity = sev;
    d.code = code;
    d.message = std::move(msg);
    d.hint = std::move(hint);
    diags_.push_back(std::move(d));
  }

  // Reads one file's bytes into a spec. Returns false when nothing usable came out.
  bool read_text(std::string_view text, const std::string& name, std::uint32_t file_id,
                 FileRole role, ScriptSpec& spec) {
    const detail::SourceLimits limits = limits_of(opt_);
    std::string_view checked;
    if (!detail::check_source(text, name, limits, kScriptWords, checked, diags_)) return false;
    detail::YamlTree tree;
    if (!detail::parse_yaml(checked, name, limits, kScriptWords, tree, diags_)) return false;
    const bool whole =
        detail::read_spec(tree, name, file_id, role, opt_.max_elements, spec, diags_);
    return whole &&
           tree.root().kind == detail::YamlNode::Kind::map;  // else nothing worth compiling
  }

  bool read_path(const std::string& path, std::uint32_t file_id, FileRole role, ScriptSpec& spec,
                 const SourceLocation* from) {
    std::string text;
    bool read = false;
    if (opt_.read_file) {
      if (auto given = opt_.read_file(path)) text = std::move(*given), read = true;
    } else {
      // An include that cannot be read is said at the include, below.
      std::vector<Diagnostic> problems;
      read = detail::read_source(path, limits_of(opt_), kScriptWords, text, problems);
      if (!read && (!from || problems.front().code != Code::io_error)) {
        diags_.insert(diags_.end(), problems.begin(), problems.end());
        return false;
      }
    }
    if (!read) {
      if (from) {
        diags_.push_back({*from, Severity::error, Code::include_error,
                          fmt::format("cannot read included file `{}`", path),
                          "check the path; it is relative to the including file"});
      } else {
        add(SourceLocation{path, 0, 0}, Severity::error, Code::io_error,
            fmt::format("cannot read `{}`", path), "check that the file exists and is readable");
      }
      return false;
    }
    return read_text(text, path, file_id, role, spec);
  }

  // Reads the includes of `spec` (declared in `file`) depth-first, merging them.
  void includes(ScriptSpec& spec, const std::string& file, std::vector<std::string>& chain) {
    const std::vector<Text> list = spec.includes;
    for (const Text& inc : list) {
      const fs::path base = fs::path(file).parent_path();
      const std::string path = (base / inc.text).lexically_normal().string();
      for (const auto& c : chain) {
        if (c == path) {
          add(where(inc.where), Severity::error, Code::include_error,
              fmt::format("`{}` includes itself (through {})", inc.text, fmt::join(chain, " -> ")),
              "remove one of the includes");
          goto next;
        }
      }
      if (seen_.count(path)) continue;  // diamond: already merged once
      if (seen_.size() >= opt_.max_includes) {
        add(where(inc.where), Severity::error, Code::include_error,
            fmt::format("more than {} included files", opt_.max_includes),
            "merge some of the libraries");
        return;
      }
      seen_.insert(path);
      {
        ScriptSpec lib;
        const SourceLocation from = where(inc.where);
        const auto id = static_cast<std::uint32_t>(files_.size());
        files_.push_back(path);
        if (!read_path(path, id, FileRole::library, lib, &from)) continue;
        chain.push_back(path);
        includes(lib, path, chain);
        chain.pop_back();
        if (!lib.locale.empty() && !spec.locale.empty() && lib.locale != spec.locale)
          add(where(inc.where), Severity::warning, Code::invalid_value,
              fmt::format("`{}` is for locale {}, but the script is {}", inc.text, lib.locale,
                          spec.locale),
              "include the library for the script's locale");
        auto append = [](auto& to, auto& from) {
          for (auto& x : from) to.push_back(std::move(x));
        };
        append(spec.variables, lib.variables);
        append(spec.intents, lib.intents);
        append(spec.nodes, lib.nodes);
        append(spec.globals, lib.globals);
      }
    next:;
    }
  }

  SourceLocation where(const Mark& m) const {
    return {m.file < files_.size() ? files_[m.file] : std::string(), m.line, m.column};
  }

  std::vector<std::string> files_;
  std::set<std::string> seen_;

 private:
  const LoadOptions& opt_;
  std::vector<Diagnostic>& diags_;
};

// Reads the main file (from disk when `text` is null) and its includes.
struct Parsed {
  std::vector<std::string> files;
  bool yaml_ok = false;       // the main file parsed as YAML, so the spec is worth compiling
  bool within_limits = true;  // ... and it is no larger than LoadOptions allow
};

Parsed parse_into(ParseResult& r, const std::string& name, const std::string_view* text,
                  const LoadOptions& options, FileRole role = FileRole::script) {
  Loader loader(options, r.diagnostics);
  loader.files_.push_back(name);
  const bool ok = text ? loader.read_text(*text, name, 0, role, r.spec)
                       : loader.read_path(name, 0, role, r.spec, nullptr);
  if (ok) {
    std::vector<std::string> chain{fs::path(name).lexically_normal().string()};
    loader.seen_.insert(chain.front());
    loader.includes(r.spec, name, chain);
  }
  r.spec.files = loader.files_;
  const bool within = !ok || detail::check_size_limits(r.spec, options, r.diagnostics);
  return {loader.files_, ok, within};
}

// Compiles even when reading found errors, so that an author sees every
// problem at once; the graph is checked only when everything else is right.
LoadResult compile_parsed(ParseResult parsed, const Parsed& p) {
  LoadResult out;
  if (!p.yaml_ok || !p.within_limits) {
    out.diagnostics = std::move(parsed.diagnostics);
    return out;
  }
  const bool clean = !has_errors(parsed.diagnostics);
  CompileResult c = detail::compile_checked(parsed.spec, clean, false);
  if (clean) out.script = std::move(c.script);
  out.diagnostics = std::move(parsed.diagnostics);
  out.diagnostics.insert(out.diagnostics.end(), c.diagnostics.begin(), c.diagnostics.end());
  return out;
}

}  // namespace

ParseResult parse_file(const std::string& path, const LoadOptions& options) {
  ParseResult r;
  parse_into(r, path, nullptr, options);
  return r;
}

ParseResult parse_string(std::string_view yaml, const std::string& name,
                         const LoadOptions& options) {
  ParseResult r;
  parse_into(r, name, &yaml, options);
  return r;
}

bool is_library(std::string_view yaml) {
  for (std::size_t at = 0; at < yaml.size();) {
    const std::size_t end = std::min(yaml.find('\n', at), yaml.size());
    const std::string_view line = yaml.substr(at, end - at);
    if (line.rfind("library:", 0) == 0) return true;
    if (line.rfind("id:", 0) == 0 || line.rfind("nodes:", 0) == 0) return false;
    at = end + 1;
  }
  return false;
}

std::vector<Diagnostic> check_library_file(const std::string& path, const LoadOptions& options) {
  ParseResult r;
  const Parsed p = parse_into(r, path, nullptr, options, FileRole::library);
  if (p.yaml_ok && p.within_limits) {
    CompileResult c = detail::compile_checked(r.spec, false, true);
    r.diagnostics.insert(r.diagnostics.end(), c.diagnostics.begin(), c.diagnostics.end());
  }
  return std::move(r.diagnostics);
}

LoadResult load_file(const std::string& path, const LoadOptions& options) {
  ParseResult r;
  const Parsed p = parse_into(r, path, nullptr, options);
  return compile_parsed(std::move(r), p);
}

LoadResult load_string(std::string_view yaml, const std::string& name, const LoadOptions& options) {
  ParseResult r;
  const Parsed p = parse_into(r, name, &yaml, options);
  return compile_parsed(std::move(r), p);
}

}  // namespace patter

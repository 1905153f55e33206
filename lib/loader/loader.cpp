#include "patter/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>

#include "compile/compile.hpp"
#include "loader/include_path.hpp"
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

// The same, for an include that cannot be read: said at the `include`.
constexpr detail::SourceKind kIncludeWords = {
    .too_large_hint = kScriptWords.too_large_hint,
    .unreadable = "included file ",
    .unreadable_hint =
        "include a library by its name (`common.zh-CN`), or a path relative to "
        "the including file",
};

detail::SourceLimits limits_of(const LoadOptions& o) {
  return {o.max_file_bytes, o.max_depth, o.max_elements, o.max_expanded_bytes};
}

class Loader {
 public:
  Loader(const LoadOptions& o, std::vector<Diagnostic>& d, const std::string& script)
      : opt_(o), diags_(d), where_(o, script) {}

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

  // The main file, from disk or LoadOptions::read_file.
  bool read_path(const std::string& path, FileRole role, ScriptSpec& spec) {
    std::string text;
    if (opt_.read_file) {
      auto given = opt_.read_file(path);
      if (!given) {
        add(SourceLocation{path, 0, 0}, Severity::error, Code::io_error,
            fmt::format("cannot read `{}`", path), "check that the file exists and is readable");
        return false;
      }
      text = std::move(*given);
    } else if (!detail::read_source(path, limits_of(opt_), kScriptWords, text, diags_)) {
      return false;
    }
    return read_text(text, path, 0, role, spec);
  }

  // Which file an include names. With read_file the text is read here too
  // (it is how a library folder is found to hold the name). False, said at
  // the include, when no library folder has the name.
  bool locate(const Text& inc, const std::string& file, const SourceLocation& from,
              std::string& path, std::optional<std::string>& text) {
    const bool by_name = detail::is_library_name(inc.text);
    for (const std::string& c : where_.candidates(inc.text, file)) {
      if (opt_.read_file) {
        text = opt_.read_file(c);
        if (!text && by_name) continue;
      } else if (by_name) {
        std::error_code ec;
        if (!fs::exists(c, ec)) continue;
      }
      path = c;
      return true;
    }
    diags_.push_back({from, Severity::error, Code::include_error,
                      where_.libraries().empty()
                          ? fmt::format("there is no library folder to look for `{}` in", inc.text)
                          : fmt::format("there is no library `{}` in the library folders ({})",
                                        inc.text, fmt::join(where_.libraries(), ", ")),
                      fmt::format("a library `{0}` is the file `{0}.yaml` in one of them; check "
                                  "the name, or add its folder to PATTER_PATH or "
                                  "LoadOptions::include_folders",
                                  inc.text)});
    return false;
  }

  // Reads an included file found by locate(). Nothing of a refused file is
  // ever quoted: the diagnostics name its path and the allowed folders.
  bool read_included(const std::string& path, std::optional<std::string>& text,
                     const SourceLocation& from, std::string& out) {
    if (opt_.read_file) {
      if (text) return out = std::move(*text), true;
      diags_.push_back({from, Severity::error, Code::include_error,
                        fmt::format("cannot read included file `{}`", path),
                        std::string(kIncludeWords.unreadable_hint)});
      return false;
    }
    if (!where_.inside(path)) {
      diags_.push_back(
          {from, Severity::error, Code::include_error,
           fmt::format("`{}` is outside the folders includes may come from ({})", path,
                       where_.folders()),
           "move the library into the script's folder or a library folder (PATTER_PATH, "
           "LoadOptions::include_folders) and include it from there"});
      return false;
    }
    std::vector<Diagnostic> problems;
    if (detail::read_source(path, limits_of(opt_), kIncludeWords, out, problems)) return true;
    for (Diagnostic& d : problems) {
      if (d.code == Code::io_error) d.where = from, d.code = Code::include_error;
      diags_.push_back(std::move(d));
    }
    return false;
  }

  // Reads the includes of `spec` (declared in `file`) depth-first, merging them.
  void includes(ScriptSpec& spec, const std::string& file, std::vector<std::string>& chain) {
    const std::vector<Text> list = spec.includes;
    for (const Text& inc : list) {
      const SourceLocation from = where(inc.where);
      std::string path;
      std::optional<std::string> given;
      if (!locate(inc, file, from, path, given)) continue;
      if (std::find(chain.begin(), chain.end(), path) != chain.end()) {
        add(from, Severity::error, Code::include_error,
            fmt::format("`{}` includes itself (through {})", inc.text, fmt::join(chain, " -> ")),
            "remove one of the includes");
        continue;
      }
      if (seen_.count(path)) continue;  // diamond: already merged once
      if (seen_.size() >= opt_.max_includes) {
        add(from, Severity::error, Code::include_error,
            fmt::format("more than {} included files", opt_.max_includes),
            "merge some of the libraries");
        return;
      }
      seen_.insert(path);
      const auto id = static_cast<std::uint32_t>(files_.size());
      files_.push_back(path);
      std::string text;
      ScriptSpec lib;
      if (!read_included(path, given, from, text) ||
          !read_text(text, path, id, FileRole::library, lib))
        continue;
      chain.push_back(path);
      includes(lib, path, chain);
      chain.pop_back();
      merge(spec, lib, inc);
    }
  }

  void merge(ScriptSpec& spec, ScriptSpec& lib, const Text& inc) {
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

  SourceLocation where(const Mark& m) const {
    return {m.file < files_.size() ? files_[m.file] : std::string(), m.line, m.column};
  }

  std::vector<std::string> files_;
  std::set<std::string> seen_;

 private:
  const LoadOptions& opt_;
  std::vector<Diagnostic>& diags_;
  detail::IncludePath where_;
};

// Reads the main file (from disk when `text` is null) and its includes.
struct Parsed {
  std::vector<std::string> files;
  bool yaml_ok = false;       // the main file parsed as YAML, so the spec is worth compiling
  bool within_limits = true;  // ... and it is no larger than LoadOptions allow
};

Parsed parse_into(ParseResult& r, const std::string& name, const std::string_view* text,
                  const LoadOptions& options, FileRole role = FileRole::script) {
  Loader loader(options, r.diagnostics, name);
  loader.files_.push_back(name);
  const bool ok =
      text ? loader.read_text(*text, name, 0, role, r.spec) : loader.read_path(name, role, r.spec);
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

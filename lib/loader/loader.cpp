#include "patter/loader.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "loader/size_limits.hpp"
#include "loader/spec_reader.hpp"
#include "compile/compile.hpp"
#include "text/utf8.hpp"
#include "yaml/yaml_tree.hpp"

namespace patter {
namespace {

namespace fs = std::filesystem;
using detail::FileRole;

std::optional<std::string> read_disk(const std::string& path, std::size_t limit, bool& too_large) {
  std::error_code ec;
  too_large = false;
  if (fs::is_directory(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  const auto size = fs::file_size(path, ec);
  if (!ec && size > limit) {
    too_large = true;
    return std::string();
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(ss).str();
}

// 1-based line and column (in characters) of a byte offset.
SourceLocation locate(const std::string& file, std::string_view text, std::size_t offset) {
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;
    }
  }
  return {file, line, col};
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
  bool read_text(std::string_view text, const std::string& name, std::uint32_t file_id, FileRole role,
                 ScriptSpec& spec) {
    if (text.size() > opt_.max_file_bytes) {
      too_large(name, text.size());
      return false;
    }
    if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (const auto bad = detail::find_invalid_utf8(text); bad != std::string_view::npos) {
      add(locate(name, text, bad), Severity::error, Code::invalid_utf8,
                        fmt::format("byte 0x{:02X} is not valid UTF-8", static_cast<unsigned char>(text[bad])),
                        "save the file as UTF-8 (in most editors: File > Save with Encoding > UTF-8)");
      return false;
    }
    // YAML allows no control characters but tab and line breaks; yaml-cpp
    // would stop reading at a NUL without a word.
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
        add(locate(name, text, i), Severity::error, Code::yaml_syntax,
            fmt::format("control character U+{:04X} is not allowed in a script", c),
            "delete it; it is often left by copying from another program");
        return false;
      }
    }
    detail::YamlTree tree;
    detail::YamlError err;
    if (!tree.parse(text, opt_.max_depth, opt_.max_elements, err)) {
      SourceLocation at{name, err.line, err.column};
      switch (err.kind) {
        case detail::YamlError::Kind::empty:
          add(SourceLocation{name, 0, 0}, Severity::error, Code::empty_document, "the file is empty",
              "a script starts with `patter: 1`; see docs/script-format.md");
          break;
        case detail::YamlError::Kind::too_deep:
          add(at, Severity::error, Code::nesting_too_deep,
              fmt::format("lists and maps are nested more than {} deep here", opt_.max_depth),
              "scripts need about 6 levels; check the indentation");
          break;
        case detail::YamlError::Kind::too_many:
          add(at, Severity::error, Code::too_many_elements,
                            fmt::format("the file has more than {} YAML elements", opt_.max_elements),
                            "split the script into smaller files");
          break;
        case detail::YamlError::Kind::syntax:
          add(at, Severity::error, Code::yaml_syntax,
                            fmt::format("this is not valid YAML: {}", err.message),
                            "check the indentation and quoting on this line and the one before");
          break;
      }
      return false;
    }
    const bool whole = detail::read_spec(tree, name, file_id, role, opt_.max_elements, spec, diags_);
    return whole && tree.root().kind == detail::YamlNode::Kind::map;  // else nothing worth compiling
  }

  bool read_path(const std::string& path, std::uint32_t file_id, FileRole role, ScriptSpec& spec,
                 const SourceLocation* from) {
    std::optional<std::string> text;
    bool too_big = false;
    if (opt_.read_file) {
      text = opt_.read_file(path);
    } else {
      text = read_disk(path, opt_.max_file_bytes, too_big);
    }
    if (too_big) {
      too_large(path, 0);
      return false;
    }
    if (!text) {
      if (from) {
        diags_.push_back({*from, Severity::error, Code::include_error,
                          fmt::format("cannot read included file `{}`", path),
                          "check the path; it is relative to the including file"});
      } else {
        add(SourceLocation{path, 0, 0}, Severity::error, Code::io_error, fmt::format("cannot read `{}`", path),
                          "check that the file exists and is readable");
      }
      return false;
    }
    return read_text(*text, path, file_id, role, spec);
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

  void too_large(const std::string& name, std::size_t size) {
    add(SourceLocation{name, 0, 0}, Severity::error, Code::file_too_large,
                      size ? fmt::format("the file is {} bytes, over the limit of {}", size, opt_.max_file_bytes)
                           : fmt::format("the file is over the limit of {} bytes", opt_.max_file_bytes),
                      "split it into smaller files with `include`, or raise LoadOptions::max_file_bytes");
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
  bool yaml_ok = false;  // the main file parsed as YAML, so the spec is worth compiling
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

ParseResult parse_string(std::string_view yaml, const std::string& name, const LoadOptions& options) {
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

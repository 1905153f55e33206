// Where an `include:` may come from: the script's own folder and the library
// folders, nowhere else.
//
//   IncludePath where(options, "scripts/main.yaml");
//   for (const std::string& file : where.candidates("common.zh-CN", "scripts/main.yaml"))
//     if (exists(file)) ... where.inside(file) ...  // else name where.folders()
//
// A script from an author the host does not trust must not read the host's
// files (and have a line of them quoted back in a diagnostic), so an
// include is found in these folders only, after symbolic links and `..` are
// resolved. A bare name (`common.zh-CN`: no folder, no `.yaml`) is a
// library, looked for as `<name>.yaml` in each library folder in turn.
#pragma once

#include <string>
#include <vector>

#include "patter/loader.hpp"

namespace patter::detail {

class IncludePath {
 public:
  /// `script` is the main file's name: its folder is allowed (the current
  /// folder when it has none).
  IncludePath(const LoadOptions& options, const std::string& script);

  /// The files the include `what`, written in `from`, may be: one for a
  /// path (relative to `from`'s folder), one per library folder for a name.
  std::vector<std::string> candidates(const std::string& what, const std::string& from) const;
  /// True when `path`, symbolic links and `..` resolved, is inside one of
  /// the allowed folders (always, when LoadOptions::read_file reads).
  bool inside(const std::string& path) const;

  /// The library folders, in the order they are searched.
  const std::vector<std::string>& libraries() const;
  /// Every folder an include may come from, for messages.
  std::string folders() const;

 private:
  const LoadOptions& options_;
  std::string script_folder_;
  mutable std::vector<std::string> libraries_;
  mutable bool libraries_known_ = false;
  mutable std::vector<std::string> roots_;  // canonical forms of the allowed folders
  mutable bool roots_known_ = false;
};

/// True for `common.zh-CN`: an include with no folder and no `.yaml`/`.yml`.
bool is_library_name(const std::string& include);

}  // namespace patter::detail

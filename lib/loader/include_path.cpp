#include "loader/include_path.hpp"

#include <fmt/format.h>

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>

namespace patter {

namespace {

// The folder of the file this code was loaded from: libpatter.so, the
// Python extension, or a program linked with the static library. The
// intent libraries installed beside it are found wherever the install was
// moved (a wheel, a relocated prefix). The file does not move while it is
// loaded, so it is looked up once: resolving it walks every folder of its path.
std::string find_own_folder() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&find_own_folder), &info) == 0 || !info.dli_fname)
    return {};
  std::error_code ec;
  const std::filesystem::path file = std::filesystem::canonical(info.dli_fname, ec);
  return ec ? std::string() : file.parent_path().string();
}

const std::string& own_folder() {
  static const std::string folder = find_own_folder();
  return folder;
}

bool is_folder(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_directory(p, ec);
}

}  // namespace

std::vector<std::string> library_path(const LoadOptions& options) {
  std::vector<std::string> out;
  auto add = [&](std::string folder) {
    if (folder.empty()) return;
    for (const std::string& f : out)
      if (f == folder) return;
    out.push_back(std::move(folder));
  };
  for (const std::string& f : options.include_folders) add(f);
  if (!options.default_library_path) return out;
  if (const char* env = std::getenv("PATTER_PATH")) {
    const std::string_view list(env);
    for (std::size_t at = 0; at <= list.size();) {
      const std::size_t end = std::min(list.find(':', at), list.size());
      add(std::string(list.substr(at, end - at)));
      at = end + 1;
    }
  }
  // Beside the binary: the Python package's own `intents/`, or a prefix's
  // share/patter/intents next to its lib/.
  if (const std::string& own = own_folder(); !own.empty()) {
    for (const std::filesystem::path& p :
         {std::filesystem::path(own) / "intents",
          (std::filesystem::path(own) / ".." / "share" / "patter" / "intents").lexically_normal()})
      if (is_folder(p)) add(p.string());
  }
#ifdef PATTER_INSTALLED_INTENTS_DIR
  add(PATTER_INSTALLED_INTENTS_DIR);
#endif
#ifdef PATTER_SOURCE_INTENTS_DIR
  // A library used where it was built finds the bundled ones too.
  add(PATTER_SOURCE_INTENTS_DIR);
#endif
  return out;
}

namespace detail {
namespace {

namespace fs = std::filesystem;

std::string canonical_or_empty(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p.empty() ? fs::path(".") : p, ec);
  return ec ? std::string() : c.string();
}

// True when `path` is `root` or inside it, compared by whole components.
bool under(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty() && std::next(r) == root.end()) return true;  // a trailing slash
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

}  // namespace

bool is_library_name(const std::string& include) {
  const fs::path p(include);
  const std::string ext = p.extension().string();
  return include.find('/') == std::string::npos && ext != ".yaml" && ext != ".yml";
}

IncludePath::IncludePath(const LoadOptions& options, const std::string& script)
    : options_(options), script_folder_(fs::path(script).parent_path().string()) {}

const std::vector<std::string>& IncludePath::libraries() const {
  if (!libraries_known_) {  // asked of the environment only for scripts that include
    libraries_ = library_path(options_);
    libraries_known_ = true;
  }
  return libraries_;
}

std::vector<std::string> IncludePath::candidates(const std::string& what,
                                                 const std::string& from) const {
  std::vector<std::string> out;
  if (!is_library_name(what)) {
    out.push_back((fs::path(from).parent_path() / what).lexically_normal().string());
    return out;
  }
  for (const std::string& f : libraries())
    out.push_back((fs::path(f) / (what + ".yaml")).lexically_normal().string());
  return out;
}

bool IncludePath::inside(const std::string& path) const {
  if (options_.read_file) return true;  // the host's reader decides what may be read
  if (!roots_known_) {                  // asked of the file system only for scripts that include
    for (const std::string& f : libraries())
      if (std::string c = canonical_or_empty(f); !c.empty()) roots_.push_back(std::move(c));
    if (std::string c = canonical_or_empty(script_folder_); !c.empty()) roots_.push_back(c);
    roots_known_ = true;
  }
  const std::string c = canonical_or_empty(path);
  if (c.empty()) return false;
  for (const std::string& root : roots_)
    if (under(fs::path(c), fs::path(root))) return true;
  return false;
}

std::string IncludePath::folders() const {
  std::vector<std::string> all;
  all.push_back(script_folder_.empty() ? std::string(".") : script_folder_);
  for (const std::string& f : libraries()) all.push_back(f);
  return fmt::format("{}", fmt::join(all, ", "));
}

}  // namespace detail
}  // namespace patter

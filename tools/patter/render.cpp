// Graphviz is a program, not a library we link: it is found on PATH when a
// picture is asked for, and its absence is a message, not a build failure.
#include "render.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <vector>

extern char** environ;

namespace patter::cli {
namespace {

std::string find_program(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "";
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + std::string(name);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

/// A font that draws Chinese: Noto Sans CJK (fonts-noto-cjk) or WenQuanYi
/// Zen Hei (fonts-wqy-zenhei), by the files the Debian packages install.
std::string cjk_font() {
  std::error_code ec;
  if (std::filesystem::exists("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", ec))
    return "Noto Sans CJK SC";
  if (std::filesystem::exists("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", ec))
    return "WenQuanYi Zen Hei";
  return {};
}

/// Runs argv with `input` on its stdin; the exit status, or -1 if it did not start.
int run_with_input(const std::vector<std::string>& argv, const std::string& input) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[0]);
  if (rc != 0) {
    ::close(fds[1]);
    return -1;
  }
  for (std::size_t done = 0; done < input.size();) {
    const ssize_t n = ::write(fds[1], input.data() + done, input.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // dot stopped reading: its status says why
    done += static_cast<std::size_t>(n);
  }
  ::close(fds[1]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace

Rendered render(const std::string& dot_text, const std::string& format, const std::string& out,
                bool wide_text) {
  Rendered r;
  const std::string dot = find_program("dot");
  if (dot.empty()) {
    r.error = "drawing " + out +
              " needs Graphviz's `dot`, which is not on PATH: install it "
              "(Debian: apt-get install graphviz fonts-noto-cjk), or write DOT with -o and draw "
              "it elsewhere";
    return r;
  }
  std::vector<std::string> argv = {dot, "-T" + format, "-o", out};
  const std::string font = cjk_font();
  if (!font.empty()) {
    for (const char* what : {"-Gfontname=", "-Nfontname=", "-Efontname="})
      argv.push_back(what + font);
  } else if (wide_text) {
    r.note = "no font with Chinese characters found, so " + out +
             " may show boxes instead of them: install one (Debian: apt-get install "
             "fonts-noto-cjk, or fonts-wqy-zenhei)";
  }
  const int status = run_with_input(argv, dot_text);
  if (status != 0) {
    r.error = status < 0 ? "could not start " + dot
                         : dot + " failed (exit status " + std::to_string(status) + ") writing " +
                               out + "; its message is above";
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace patter::cli

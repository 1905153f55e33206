// 01 — Load and validate: a script is checked once, before any call, and
// every problem names its file, line and column and says what to do.
//
//   YAML ──load_file / load_string──▶ LoadResult
//                                       ├── diagnostics   file:line:col, code, hint
//                                       └── script        shared_ptr<const Script>,
//                                                         only when there is no error
//
//   $ 01_load_and_validate [SCRIPT.yaml]
#include <iostream>
#include <string>

#include <patter/patter.hpp>

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

namespace {

// Two mistakes an author makes: a misspelt key and a route to a node that
// is not there.
constexpr const char* kBroken = R"(patter: 1
id: broken
version: "1"
locale: en-US
start: greet
intents:
  agree: ["yes", sure]
nodes:
  greet:
    say: Hi, shall I book you in?
    routes:
      - {intent: agree, to: bookd}
    no_inptu: {retries: 1, then: bye}
  booked:
    say: Done, goodbye!
    hangup: completed
  bye:
    say: Goodbye!
    hangup: not_interested
)";

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : PATTER_EXAMPLES_DIR "/scripts/screening.zh-CN.yaml";

  patter::LoadResult loaded = patter::load_file(path);
  for (const patter::Diagnostic& d : loaded.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!loaded.ok()) return 1;
  const patter::Script& script = *loaded.script;
  std::cout << script.id() << " " << script.version() << ": " << script.nodes().size() << " nodes, "
            << script.intents().size() << " intents, starts at " << script.node(script.start()).name
            << "\n";

  // The same checks on a script held in memory; the name is for messages.
  patter::LoadResult broken = patter::load_string(kBroken, "broken.yaml");
  for (const patter::Diagnostic& d : broken.diagnostics) std::cout << patter::format(d) << '\n';
  std::cout << "broken.yaml: " << (broken.ok() ? "loaded" : "refused, no script") << '\n';
  return broken.ok() ? 1 : 0;
}

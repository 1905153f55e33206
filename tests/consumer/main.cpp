// A program outside patter's tree: load a script from memory, report it.
// Built against an installed patter by find_package and by pkg-config.
#include <iostream>
#include <string_view>

#include <patter/patter.hpp>

namespace {
constexpr std::string_view kScript = R"(patter: 1
id: consumer
version: "1.0"
locale: en-US
start: greet
intents:
  affirm: [yes, sure, go ahead]
nodes:
  greet:
    say: Hi, this is Acme. Do you have a minute?
    routes:
      - intent: affirm
        to: handoff
      - intent: any
        to: bye
  handoff:
    say: Great, let me get a colleague for you.
    escalate: {reason: interested}
  bye:
    say: Thanks for your time. Goodbye.
    hangup: not_interested
)";
}  // namespace

int main() {
  patter::LoadResult loaded = patter::load_string(kScript, "consumer.yaml");
  for (const patter::Diagnostic& d : loaded.diagnostics) std::cerr << patter::format(d) << '\n';
  if (!loaded.ok()) {
    std::cerr << "consumer: the script did not load\n";
    return 1;
  }
  std::cout << "consumer: patter " << patter::version_string() << " loaded `" << loaded.script->id()
            << "` with " << loaded.script->nodes().size() << " nodes\n";
  return 0;
}

// Evaluating a guard allocates nothing: `in` compares the listed text in
// place, lower() only marks how the text reads, whole() works on the
// number. Own program: it replaces the global operator new to count.
#include <patter/patter.hpp>

#include <cstdio>
#include <string>

#include "counting_new.hpp"

namespace {

struct Env : patter::ExprEnv {
  std::string cuisine = "Mexican restaurant with a long name beyond small-string size";
  patter::Value counter(patter::Counter) const override { return patter::Value::of(3.0); }
  patter::Value variable(std::uint32_t i) const override {
    if (i == 0) return patter::Value::of(std::string_view(cuisine));
    return patter::Value::of(2.5);
  }
  bool tagged(std::string_view) const override { return false; }
  std::uint32_t visits(std::uint32_t) const override { return 1; }
  std::uint32_t heard(std::uint32_t) const override { return 0; }
};

const char* kScript = R"(patter: 1
id: alloc
locale: en-US
variables:
  cuisine: ""
  people: 0
intents:
  yes: [yes]
start: a
nodes:
  a:
    say: Hi
    routes:
      - intent: yes
        when: "lower(cuisine) not in ['chinese', 'greek', 'italian', 'mexican restaurant'] and people in [1, 2, 2.5] and not whole(people) and upper(cuisine) != 'X'"
        to: b
  b:
    say: Bye
    hangup: completed
)";

}  // namespace

int main() {
  const auto loaded = patter::load_string(kScript, "alloc.yaml");
  if (!loaded.ok()) {
    std::fprintf(stderr, "the script does not load\n");
    return 1;
  }
  const patter::Expr& guard = loaded.script->node(loaded.script->start()).routes[0].guard;
  Env env;
  bool held = guard.test(env);  // warm
  const long before = patter::test::allocations.load();
  for (int i = 0; i < 1000; ++i) held = guard.test(env) && held;
  const long made = patter::test::allocations.load() - before;
  if (!held) {
    std::fprintf(stderr, "the guard should hold\n");
    return 1;
  }
  if (made != 0) {
    std::fprintf(stderr, "evaluating a guard allocated %ld times\n", made);
    return 1;
  }
  std::puts("guards allocate nothing");
  return 0;
}

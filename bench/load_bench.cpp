// How long it takes to turn YAML text into a checked, compiled Script, for
// scripts of 10 to 10,000 nodes. The scripts are generated in memory
// (not timed) and look like real zh-CN telesales scripts: a line with
// variables per node, 2-3 routes by intent, a no-match fallback, some
// guards, ~nodes/10 intents of 5 phrases each, and a few terminal nodes.
//
// Besides the full load, the same text is measured through its parts and
// through yaml-cpp alone (the parser a user would otherwise reach for), so
// the report shows what patter adds on top of reading YAML.
//
// The first load in a process costs more than the next ones: whatever the
// library sets up once is paid there. BM_FirstLoad measures it on the
// bundled scripts, starting a fresh process for every iteration (this same
// program, run as `patter_bench_load --first-load SCRIPT`), next to
// BM_NextLoad, the same file loaded again in a warm process.
#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>
#ifdef PATTER_BENCH_LIBYAML
#include <yaml.h>
#endif

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "patter/dot.hpp"
#include "patter/graph.hpp"
#include "patter/loader.hpp"
#include "patter/random.hpp"
#include "yaml/yaml_tree.hpp"

extern char** environ;  // for posix_spawn: the children get this process's environment

namespace {

using Rng = patter::Random;

// Words callers say on such calls; phrases are made of 2-3 of them.
constexpr std::string_view kWords[] = {
    "好的", "可以", "不用", "没兴趣", "多少钱", "在哪里", "什么时候", "你们",   "公司", "优惠",
    "活动", "再说", "考虑", "一下",   "已经",   "买了",   "贵了",     "便宜",   "地址", "电话",
    "发我", "短信", "微信", "名额",   "报名",   "孩子",   "老师",     "课程",   "免费", "试听",
    "周末", "晚上", "上午", "下午",   "忙",     "开车",   "开会",     "不方便", "怎么", "收费",
    "靠谱", "资质", "合同", "退款",   "保障",   "效果",
};
constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

constexpr std::string_view kLines[] = {
    "您好{name}，我是{company}的小李，想跟您介绍一下我们在{city}的新活动，您现在方便吗？",
    "{name}，我们这次的课程是免费试听的，名额有限，您看周末有没有时间带孩子过来？",
    "明白的，{name}，我们在{city}有三个校区，离您最近的那个开车十分钟就到。",
    "价格这块您放心，{company}这次活动有专门的优惠，具体的我让顾问老师跟您详细说。",
    "好的{name}，那我先把地址和时间用短信发给您，您留意一下手机好吗？",
};
constexpr std::size_t kLineCount = sizeof(kLines) / sizeof(kLines[0]);

std::string yaml_quote(std::string_view s) {
  return '"' + std::string(s) + '"';
}

/// A script of `nodes` nodes, of which a few are terminal. Routes only go to
/// later nodes (and the last ones to the terminals), so every node can end
/// the call and the graph checks find nothing to complain about.
std::string make_script(std::size_t nodes) {
  Rng rng(0x9E3779B97F4A7C15ull ^ nodes);
  const std::size_t terminals = 3 + nodes / 100;
  const std::size_t talk = nodes - terminals;  // listening nodes n0..n{talk-1}
  const std::size_t intents = std::max<std::size_t>(6, nodes / 10);

  std::string y;
  y.reserve(nodes * 400);
  y += "patter: 1\n";
  y += "id: bench-" + std::to_string(nodes) + "\n";
  y += "version: \"1\"\n";
  y += "locale: zh-CN\n";
  y += "title: 少儿英语试听课邀约（" + std::to_string(nodes) + " 个节点）\n";
  y += "variables:\n";
  y += "  name: {default: 先生}\n";
  y += "  city: {default: 上海}\n";
  y += "  company: {default: 启明教育}\n";
  y += "  vip: {type: bool, default: \"false\"}\n";

  y += "intents:\n";
  std::set<std::string> used;
  for (std::size_t i = 0; i < intents; ++i) {
    y += "  意图" + std::to_string(i) + ":\n";
    for (int p = 0; p < 5; ++p) {
      std::string phrase;
      do {
        phrase.clear();
        const std::size_t words = 2 + rng.below(2);
        for (std::size_t w = 0; w < words; ++w) phrase += kWords[rng.below(kWordCount)];
      } while (!used.insert(phrase).second);
      y += "    - " + phrase + "\n";
    }
  }

  const auto node_name = [&](std::size_t i) {
    return i < talk ? "节点" + std::to_string(i) : "结束" + std::to_string(i - talk);
  };
  const auto terminal = [&](std::size_t k) { return node_name(talk + k % terminals); };
  const auto intent = [&](std::size_t k) { return "意图" + std::to_string(k % intents); };

  y += "limits:\n  max_turns: 40\n  close: " + node_name(talk) + "\n";
  y += "start: " + node_name(0) + "\n";
  y += "nodes:\n";
  for (std::size_t i = 0; i < talk; ++i) {
    y += "  " + node_name(i) + ":\n";
    y += "    say: " + yaml_quote(kLines[rng.below(kLineCount)]) + "\n";
    y += "    routes:\n";
    const std::size_t routes = i % 4 == 0 ? 3 : 2 + rng.below(2);
    const std::size_t first_intent = rng.below(intents);
    for (std::size_t r = 0; r < routes; ++r) {
      // The first route keeps the chain going, so every node is reachable.
      // Every fourth node has a way to end the call early, as real ones do.
      std::size_t to = r == 0 ? i + 1 : i + 2 + rng.below(12);
      if (r == 2 && i % 4 == 0) to = talk;
      const std::string target = to < talk ? node_name(to) : terminal(i / 4 + r);
      y += "      - {intent: " + intent(first_intent + r);
      y += ", to: " + target;
      if ((i + r) % 7 == 3)
        y += ", when: \"score >= 10 && visits('" + node_name(i) + "') < 3\"";
      else if ((i + r) % 11 == 5)
        y += ", when: \"vip or tagged('hot')\"";
      if (r == 1 && i % 5 == 0) y += ", tags: [hot], score: 5";
      y += "}\n";
    }
    const std::size_t fallback = i + 1 < talk ? i + 1 : talk;
    y += "    no_match: {retries: 1, reprompts: [\"不好意思，刚才没听清，您是说？\"], then: " +
         node_name(fallback) + "}\n";
  }
  for (std::size_t k = 0; k < terminals; ++k) {
    y += "  " + node_name(talk + k) + ":\n";
    if (k % 3 == 2) {
      y += "    say: \"好的{name}，我现在帮您转接顾问老师，请稍等。\"\n";
      y += "    escalate: interested\n";
    } else {
      y += "    say: \"好的{name}，那就不打扰您了，祝您生活愉快，再见！\"\n";
      y += k % 3 == 0 ? "    hangup: completed\n" : "    hangup: not_interested\n";
    }
  }
  return y;
}

/// The script of each size, generated and checked once.
const std::string& script_text(std::size_t nodes) {
  static std::map<std::size_t, std::string> cache;
  auto it = cache.find(nodes);
  if (it != cache.end()) return it->second;
  std::string text = make_script(nodes);
  const patter::LoadResult r =
      patter::load_string(text, "examples/scripts/generated-benchmark.zh-CN.yaml");
  std::size_t warnings = 0;
  for (const auto& d : r.diagnostics) {
    if (d.severity == patter::Severity::error || warnings < 5)
      std::fprintf(stderr, "%s\n", patter::format(d).c_str());
    if (d.severity == patter::Severity::warning) ++warnings;
  }
  if (!r.ok() || patter::has_errors(r.diagnostics) || r.script->nodes().size() != nodes) {
    std::fprintf(stderr, "generated script of %zu nodes does not load cleanly\n", nodes);
    std::abort();
  }
  return cache.emplace(nodes, std::move(text)).first->second;
}

void report(benchmark::State& state, std::size_t nodes, std::size_t bytes) {
  const auto iterations = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes) * state.iterations());
  state.counters["nodes/s"] =
      benchmark::Counter(iterations * static_cast<double>(nodes), benchmark::Counter::kIsRate);
  state.counters["KiB"] = static_cast<double>(bytes) / 1024.0;
  state.SetComplexityN(static_cast<std::int64_t>(nodes));
}

/// Read + check + compile, graph checks included: what a host pays per script.
void BM_Load(benchmark::State& state) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  const std::string& text = script_text(nodes);
  for (auto _ : state) {
    patter::LoadResult r =
        patter::load_string(text, "examples/scripts/generated-benchmark.zh-CN.yaml");
    benchmark::DoNotOptimize(r.script);
  }
  report(state, nodes, text.size());
}

/// YAML to the authoring model only.
void BM_Parse(benchmark::State& state) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  const std::string& text = script_text(nodes);
  for (auto _ : state) {
    patter::ParseResult r =
        patter::parse_string(text, "examples/scripts/generated-benchmark.zh-CN.yaml");
    benchmark::DoNotOptimize(r.spec.nodes.data());
  }
  report(state, nodes, text.size());
}

/// The authoring model to a Script (the spec is copied outside the timer).
void BM_Compile(benchmark::State& state) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  const std::string& text = script_text(nodes);
  const patter::ParseResult parsed =
      patter::parse_string(text, "examples/scripts/generated-benchmark.zh-CN.yaml");
  for (auto _ : state) {
    patter::CompileResult r = patter::compile(parsed.spec);
    benchmark::DoNotOptimize(r.script);
  }
  report(state, nodes, text.size());
}

/// The graph checks alone (part of every compile).
void BM_Analyze(benchmark::State& state) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  const std::string& text = script_text(nodes);
  const auto script =
      patter::load_string(text, "examples/scripts/generated-benchmark.zh-CN.yaml").script;
  for (auto _ : state) {
    patter::GraphReport g = patter::analyze(*script);
    benchmark::DoNotOptimize(g.terminal_paths.data());
  }
  report(state, nodes, text.size());
}

/// Drawing the script for Graphviz.
void BM_ToDot(benchmark::State& state) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  const std::string& text = script_text(nodes);
  const auto script =
      patter::load_string(text, "examples/scripts/generated-benchmark.zh-CN.yaml").script;
  for (auto _ : state) {
    std::string dot = patter::to_dot(*script);
    benchmark::DoNotOptimize(dot.data());
  }
  report(state, nodes, text.size());
}

/// The peer: yaml-cpp's own document tree of the same text, nothing checked.
void BM_YamlCppLoad(benchmark::State& state) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  const std::string& text = script_text(nodes);
  for (auto _ : state) {
    YAML::Node doc = YAML::Load(text);
    benchmark::DoNotOptimize(doc);
  }
  report(state, nodes, text.size());
}

/// The two readers behind YamlTree::parse on the same text: arg 0 picks
/// the reader (0 the fast one, 1 yaml-cpp's event parser), arg 1 the size.
/// What a load would cost with one parser only is BM_Load minus the fast
/// tree plus the yaml-cpp one.
void BM_YamlTree(benchmark::State& state) {
  const bool yaml_cpp = state.range(0) == 1;
  const auto nodes = static_cast<std::size_t>(state.range(1));
  const std::string& text = script_text(nodes);
  for (auto _ : state) {
    patter::detail::YamlTree tree;
    patter::detail::YamlError error;
    const bool ok = yaml_cpp ? tree.parse_with_yaml_cpp(text, 64, 1u << 24, error)
                             : tree.parse(text, 64, 1u << 24, error);
    if (!ok) state.SkipWithError("the generated script is not valid YAML");
    benchmark::DoNotOptimize(tree.node_count());
  }
  state.SetLabel(yaml_cpp ? "yaml-cpp" : "fast");
  report(state, nodes, text.size());
}

#ifdef PATTER_BENCH_LIBYAML
/// Another peer: libyaml's event parser over the same text, building
/// nothing. What the parsing step alone could cost with a C parser.
void BM_LibyamlEvents(benchmark::State& state) {
  const auto nodes = static_cast<std::size_t>(state.range(0));
  const std::string& text = script_text(nodes);
  for (auto _ : state) {
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
    std::size_t events = 0;
    for (bool done = false; !done;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        state.SkipWithError("libyaml could not parse the script");
        break;
      }
      done = event.type == YAML_STREAM_END_EVENT;
      yaml_event_delete(&event);
      ++events;
    }
    yaml_parser_delete(&parser);
    benchmark::DoNotOptimize(events);
  }
  report(state, nodes, text.size());
}
#endif

// ---- the first load in a fresh process ------------------------------------

#ifndef PATTER_SOURCE_DIR
#define PATTER_SOURCE_DIR "."
#endif

constexpr const char* kBundled[] = {"screening.zh-CN.yaml", "invitation.zh-CN.yaml",
                                    "reactivation.zh-CN.yaml", "appointment.en-US.yaml"};

std::string bundled(std::int64_t i) {
  return std::string(PATTER_SOURCE_DIR "/examples/scripts/") + kBundled[i];
}

/// CPU time of this process so far, in seconds: on a shared machine the
/// wall time of a few milliseconds also counts the waits for a core.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/// The child's side: one load_file, timed from inside; prints the wall
/// and CPU seconds it took.
int first_load(const char* path) {
  const double cpu = cpu_seconds();
  const auto start = std::chrono::steady_clock::now();
  const patter::LoadResult r = patter::load_file(path);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%.9f %.9f\n", wall, cpu_seconds() - cpu);
  return r.ok() ? 0 : 1;
}

struct ChildTimes {
  double load_s = -1, load_cpu_s = 0, process_s = 0;
};

/// Runs `self --first-load path` and reads what it measured.
ChildTimes spawn_first_load(const std::string& path) {
  ChildTimes t;
  int fds[2];
  if (pipe(fds) != 0) return t;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::string self = "/proc/self/exe", flag = "--first-load", file = path;
  char* argv[] = {self.data(), flag.data(), file.data(), nullptr};
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  std::string out;
  char buf[64];
  for (ssize_t n; spawned == 0 && (n = read(fds[0], buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  if (spawned != 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return t;
  t.process_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (std::sscanf(out.c_str(), "%lf %lf", &t.load_s, &t.load_cpu_s) != 2) t.load_s = -1;
  return t;
}

/// load_file of a bundled script as the first thing a fresh process does
/// (manual time: the child's own wall-clock measure of the load). Counters:
/// `load_cpu_ms`, the CPU time of that load; `process_ms`, the child's
/// whole life (start, load, exit).
void BM_FirstLoad(benchmark::State& state) {
  const std::string path = bundled(state.range(0));
  double cpu_total = 0, process_total = 0;
  for (auto _ : state) {
    const ChildTimes t = spawn_first_load(path);
    if (t.load_s < 0) {
      state.SkipWithError("the child process could not load the script");
      break;
    }
    state.SetIterationTime(t.load_s);
    cpu_total += t.load_cpu_s;
    process_total += t.process_s;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["load_cpu_ms"] = benchmark::Counter(cpu_total * 1e3 / n);
  state.counters["process_ms"] = benchmark::Counter(process_total * 1e3 / n);
  state.SetLabel(kBundled[state.range(0)]);
}

/// The same file loaded again in this process: what every load after the first costs.
void BM_NextLoad(benchmark::State& state) {
  const std::string path = bundled(state.range(0));
  if (!patter::load_file(path).ok()) state.SkipWithError("the script does not load");
  for (auto _ : state) {
    patter::LoadResult r = patter::load_file(path);
    benchmark::DoNotOptimize(r.script);
  }
  state.SetLabel(kBundled[state.range(0)]);
}

/// BM_YamlTree on the bundled scripts: arg 0 the reader, arg 1 the script.
void BM_YamlTreeBundled(benchmark::State& state) {
  const bool yaml_cpp = state.range(0) == 1;
  std::string text;
  {
    std::FILE* f = std::fopen(bundled(state.range(1)).c_str(), "rb");
    if (!f) {
      state.SkipWithError("cannot read the bundled script");
      return;
    }
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
    std::fclose(f);
  }
  for (auto _ : state) {
    patter::detail::YamlTree tree;
    patter::detail::YamlError error;
    const bool ok = yaml_cpp ? tree.parse_with_yaml_cpp(text, 64, 1u << 24, error)
                             : tree.parse(text, 64, 1u << 24, error);
    if (!ok) state.SkipWithError("the bundled script is not valid YAML");
    benchmark::DoNotOptimize(tree.node_count());
  }
  state.SetLabel(std::string(yaml_cpp ? "yaml-cpp " : "fast ") + kBundled[state.range(1)]);
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size()) * state.iterations());
}

#define PATTER_SIZES ->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)

BENCHMARK(BM_Load) PATTER_SIZES->Complexity(benchmark::oN);
BENCHMARK(BM_Parse) PATTER_SIZES->Complexity(benchmark::oN);
BENCHMARK(BM_Compile) PATTER_SIZES->Complexity(benchmark::oN);
BENCHMARK(BM_Analyze) PATTER_SIZES->Complexity(benchmark::oN);
BENCHMARK(BM_ToDot) PATTER_SIZES->Complexity(benchmark::oN);
BENCHMARK(BM_YamlCppLoad) PATTER_SIZES->Complexity(benchmark::oN);
// Realistic script sizes (20 to 500 nodes), for choosing the parser.
BENCHMARK(BM_Load)->Arg(20)->Arg(500)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_YamlTree)->ArgsProduct({{0, 1}, {20, 100, 500}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_YamlTreeBundled)->ArgsProduct({{0, 1}, {0, 1, 2, 3}})->Unit(benchmark::kMillisecond);
#ifdef PATTER_BENCH_LIBYAML
BENCHMARK(BM_LibyamlEvents) PATTER_SIZES->Complexity(benchmark::oN);
#endif
BENCHMARK(BM_FirstLoad)
    ->DenseRange(0, 3)
    ->UseManualTime()
    ->Iterations(20)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NextLoad)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--first-load") return first_load(argv[2]);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

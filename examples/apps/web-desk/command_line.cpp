#include "command_line.hpp"

#include <charconv>
#include <iostream>
#include <string_view>

namespace webdesk {

const char* const kUsage =
    "usage: patter_web_desk [OPTION...]\n"
    "  A web desk over a simulated campaign: robots dial simulated customers in\n"
    "  real time (sped up), people watch, grab, reply and hand back in a browser.\n"
    "  --port N               listen on port N (default 8080; 0: any free port)\n"
    "  --host ADDR            listen on ADDR (default 127.0.0.1)\n"
    "  --script FILE          the call script (default: examples/scripts/appointment.en-US.yaml)\n"
    "  --personas FILE        the customers (default: NAME.personas.yaml beside the script\n"
    "                         or in ../personas/; else one average customer)\n"
    "  --agents N             salespeople (default 3)\n"
    "  --robots-per-agent N   robots each one watches (default 3)\n"
    "  --trainees N           trainees (default 1), with robots of their own for training\n"
    "  --training-calls N     calls in a training run (default 6)\n"
    "  --speed X              simulated seconds per second (default 4)\n"
    "  --seed N               the customers' random seed (default 1)\n"
    "  --grab-score S         interest score that marks a call hot; simulated people grab\n"
    "                         such calls (default 40; 0: never)\n"
    "  --web-root DIR         where index.html, desk.css and desk.js are\n"
    "  --run-for SECONDS      stop after that long (default: run until Ctrl-C)\n";

namespace {

template <class T>
bool number(std::string_view s, T& out) {
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

std::optional<ServerOptions> parse_command_line(int argc, char** argv, int* exit_code) {
  ServerOptions o;
  auto fail = [&](const std::string& why) -> std::optional<ServerOptions> {
    std::cerr << "patter_web_desk: " << why << "\n" << kUsage;
    *exit_code = 2;
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      *exit_code = 0;
      return std::nullopt;
    }
    std::string_view v;
    if (const auto eq = a.find('='); a.starts_with("--") && eq != std::string_view::npos) {
      v = a.substr(eq + 1);
      a = a.substr(0, eq);
    } else if (i + 1 < argc) {
      v = argv[++i];
    } else {
      return fail("`" + std::string(a) + "` needs a value");
    }
    auto count = [&](std::uint32_t& out, std::uint32_t min, std::uint32_t max) {
      return number(v, out) && out >= min && out <= max;
    };
    if (a == "--port") {
      if (!number(v, o.port)) return fail("--port wants a number from 0 to 65535");
    } else if (a == "--host") {
      o.host = v;
    } else if (a == "--script") {
      o.script = v;
    } else if (a == "--personas") {
      o.personas = v;
    } else if (a == "--web-root") {
      o.web_root = v;
    } else if (a == "--agents") {
      if (!count(o.campaign.stepper.agents, 1, 500))
        return fail("--agents wants a number from 1 to 500");
    } else if (a == "--robots-per-agent") {
      if (!count(o.campaign.stepper.robots_per_agent, 1, 10))
        return fail("--robots-per-agent wants a number from 1 to 10");
    } else if (a == "--trainees") {
      if (!count(o.campaign.stepper.trainees, 0, 100))
        return fail("--trainees wants a number from 0 to 100");
    } else if (a == "--training-calls") {
      if (!count(o.campaign.training_calls, 1, 1000))
        return fail("--training-calls wants a number from 1 to 1000");
    } else if (a == "--speed") {
      const std::string s(v);
      char* end = nullptr;
      o.campaign.speed = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size() || !(o.campaign.speed >= 0.1 && o.campaign.speed <= 1000))
        return fail("--speed wants a number from 0.1 to 1000");
    } else if (a == "--seed") {
      if (!number(v, o.campaign.stepper.seed)) return fail("--seed wants a whole number");
    } else if (a == "--grab-score") {
      const std::string s(v);
      char* end = nullptr;
      o.campaign.stepper.grab_score = std::strtod(s.c_str(), &end);
      if (end != s.c_str() + s.size() || o.campaign.stepper.grab_score < 0)
        return fail("--grab-score wants a number, 0 or more");
    } else if (a == "--run-for") {
      if (!count(o.run_for_s, 1, 86400)) return fail("--run-for wants seconds, 1 to 86400");
    } else {
      return fail("unknown option `" + std::string(a) + "`");
    }
  }
  return o;
}

}  // namespace webdesk

// CLI11 reads the options; the checks CLI11 cannot express (a key without a
// certificate, say) follow, each naming the option to fix.
#include "command_line.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace webdesk {
namespace {

void add_serve_options(CLI::App& app, ServerOptions& o) {
  app.add_option("--port", o.port, "listen on port N (0: any free port)")->capture_default_str();
  app.add_option("--host", o.host,
                 "listen on ADDR; beyond loopback needs --tls-cert/--tls-key "
                 "or --insecure-bind")
      ->capture_default_str();
  app.add_option("--accounts", o.accounts,
                 "who may sign in: one person a line (README.md); without it nobody can");
  app.add_option("--tls-cert", o.tls_cert, "PEM certificate chain: serve https:// and wss://");
  app.add_option("--tls-key", o.tls_key, "PEM private key of --tls-cert");
  app.add_flag("--insecure-bind", o.insecure_bind,
               "allow --host beyond loopback without TLS (passwords and calls travel in clear)");
  app.add_option("--server-name", o.server_name,
                 "the host name people open (printed, and accepted in the Host header)");
  app.add_option("--audit-log", o.audit_log,
                 "append a line per grab, reply, hand-back and end to FILE (default: stderr)");
  app.add_option("--script", o.script, "the call script (default: the bundled appointment one)");
  app.add_option(
      "--personas", o.personas,
      "the customers (default: NAME.personas.yaml beside the script or in ../personas/)");
  app.add_option("--web-root", o.web_root, "where index.html, desk.css and desk.js are");
  CampaignOptions& c = o.campaign;
  app.add_option("--agents", c.stepper.agents, "salespeople")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  app.add_option("--robots-per-agent", c.stepper.robots_per_agent, "robots each one watches")
      ->check(CLI::Range(1, 10))
      ->capture_default_str();
  app.add_option("--trainees", c.stepper.trainees, "trainees, with robots of their own")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app.add_option("--training-calls", c.training_calls, "calls in a training run")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--speed", c.speed, "simulated seconds per second")
      ->check(CLI::Range(0.1, 1000.0))
      ->capture_default_str();
  app.add_option("--seed", c.stepper.seed, "the customers' random seed")->capture_default_str();
  app.add_option("--grab-score", c.stepper.grab_score,
                 "interest score that marks a call hot (0: never)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--sla-amber", c.sla_amber_s,
                 "a waiting call turns amber after SECONDS (simulated)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--sla-red", c.sla_red_s, "... and red after SECONDS (more than --sla-amber)")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--run-for", o.run_for_s, "stop after SECONDS (default: until Ctrl-C)")
      ->check(CLI::Range(1, 86400));
  ServerLimits& l = o.limits;
  app.add_option("--send-queue-bytes", l.send_queue_bytes,
                 "unsent bytes a page may have before it is cut off")
      ->check(CLI::Range(std::size_t{16} << 10, std::size_t{1} << 30))
      ->capture_default_str();
  app.add_option("--max-connections", l.max_connections, "open connections, everyone together")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--max-pages", l.max_pages, "open pages, everyone together")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--max-pages-per-person", l.max_pages_per_person, "open pages of one person")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--commands-per-second", l.commands_per_second,
                 "commands a page may send, on average over 2 s, before it is closed")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
}

/// What CLI11 cannot check: options that only make sense together.
std::string mismatch(const ServerOptions& o) {
  if (o.tls_cert.empty() != o.tls_key.empty())
    return "--tls-cert and --tls-key go together: give both, or neither";
  if (o.campaign.sla_red_s <= o.campaign.sla_amber_s)
    return "--sla-red (" + std::to_string(o.campaign.sla_red_s) +
           " s) must be more than --sla-amber (" + std::to_string(o.campaign.sla_amber_s) + " s)";
  return {};
}

}  // namespace

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine out;
  CLI::App app(
      "A web desk over a simulated campaign: robots dial simulated customers in real time\n"
      "(sped up); people sign in, watch, grab, reply and hand back in a browser.",
      "patter_web_desk");
  app.get_formatter()->column_width(34);
  add_serve_options(app, out.options);
  CLI::App* hash = app.add_subcommand(
      "hash-password",
      "read a password on stdin and print its hash (libsodium's Argon2id) for the accounts "
      "file");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out.action = CommandLine::Action::exit;
    out.exit_code = app.exit(e);
    return out;
  } catch (const CLI::ParseError& e) {
    std::cerr << "patter_web_desk: " << e.what() << "\n\n" << app.help();
    out.action = CommandLine::Action::exit;
    out.exit_code = 2;
    return out;
  }
  if (hash->parsed()) {
    out.action = CommandLine::Action::hash_password;
    return out;
  }
  if (const std::string why = mismatch(out.options); !why.empty()) {
    std::cerr << "patter_web_desk: " << why << "\n";
    out.action = CommandLine::Action::exit;
    out.exit_code = 2;
  }
  return out;
}

}  // namespace webdesk

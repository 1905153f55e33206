// patter_web_desk — a web desk for people working beside robots.
//
//   $ echo 'ana-secret' | patter_web_desk hash-password
//   $argon2id$v=19$m=65536,t=2,p=1$...        (into the accounts file, README.md)
//   $ patter_web_desk --port 0 --accounts desk.accounts
//   patter web desk: BrightSun Solar - book a free home survey (3 agents x 3 robots, 1 trainee,
//   speed x4) open http://127.0.0.1:41237/
//
// Robots dial simulated customers (personas) through a patter::Desk in real
// time, sped up; the page shows each agent their robots' calls live, with
// the intents heard, the score and the grade; alerts them when a call
// escalates; lets them grab it, reply with the script's suggested lines,
// hand it back to the robot at a node or end it. Trainees listen in or
// train; supervisors watch the queue, the people and the funnel. Everyone
// signs in first; what each may see and do follows from their account
// (authorization.hpp).
//
// This thread serves HTTP and WebSockets (web_server.cpp), another checks
// passwords, another runs the calls (live_campaign.cpp); the server and the
// campaign talk only through LiveCampaign::post and WebServer::deliver.
#include <patter/json_writer.hpp>
#include <patter/patter.hpp>

#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "accounts.hpp"
#include "audit_log.hpp"
#include "authorization.hpp"
#include "command_line.hpp"
#include "live_campaign.hpp"
#include "page_command.hpp"
#include "view.hpp"
#include "web_server.hpp"

#ifndef PATTER_EXAMPLES_DIR
#define PATTER_EXAMPLES_DIR "examples"
#endif

namespace {

namespace fs = std::filesystem;

std::string find_personas(const std::string& script) {
  const fs::path path(script);
  const std::string name = path.stem().string() + ".personas.yaml";
  for (const auto& p : {path.parent_path() / name, path.parent_path() / ".." / "personas" / name}) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.lexically_normal().string();
  }
  return {};
}

webdesk::Command page_event(webdesk::Command::Kind kind, std::uint64_t page, const std::string& who,
                            const webdesk::View& view) {
  webdesk::Command c;
  c.kind = kind;
  c.conn = page;
  c.who = who;
  c.view = view;
  return c;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

/// The script and its customers, with what is wrong with them on stderr.
bool load_inputs(webdesk::ServerOptions& opt, patter::LoadResult& loaded,
                 patter::PersonaSet& personas) {
  std::error_code ec;
  if (!fs::is_regular_file(opt.script, ec)) {
    std::cerr << "patter_web_desk: script `" << opt.script
              << "` not found: give one with --script FILE "
              << "(the bundled ones are in " PATTER_EXAMPLES_DIR "/scripts/)\n";
    return false;
  }
  loaded = patter::load_file(opt.script);
  for (const patter::Diagnostic& d : loaded.diagnostics)
    if (d.severity == patter::Severity::error) std::cerr << patter::format(d) << '\n';
  if (!loaded.ok()) return false;

  if (opt.personas.empty()) opt.personas = find_personas(opt.script);
  if (opt.personas.empty()) {
    personas = patter::default_personas(*loaded.script);
  } else {
    if (!fs::is_regular_file(opt.personas, ec)) {
      std::cerr << "patter_web_desk: personas `" << opt.personas
                << "` not found: give a file with --personas FILE\n";
      return false;
    }
    patter::PersonaLoad pl = patter::load_personas_file(opt.personas, *loaded.script);
    for (const patter::Diagnostic& d : pl.diagnostics) std::cerr << patter::format(d) << '\n';
    if (!pl.ok()) return false;
    personas = std::move(*pl.personas);
  }
  if (!fs::is_regular_file(fs::path(opt.web_root) / "index.html", ec)) {
    std::cerr << "patter_web_desk: no index.html in `" << opt.web_root
              << "`: give the page's folder (examples/apps/web-desk/web) with --web-root DIR\n";
    return false;
  }

  return true;
}

/// The seats the accounts name are the campaign's people; errors name the line.
bool seats_exist(const webdesk::Accounts& accounts, const std::string& file,
                 const std::vector<std::string>& agents, const std::vector<std::string>& trainees) {
  bool ok = true;
  auto fail = [&](const webdesk::Account& a, const std::string& why) {
    std::cerr << file << ":" << a.line << ":1: error: " << why << '\n';
    ok = false;
  };
  const std::string more_agents =
      ": the campaign has agent01 to " + agents.back() + " (more with --agents N)";
  for (const webdesk::Account& a : accounts.all()) {
    if (a.role == webdesk::Role::agent && !contains(agents, a.seat))
      fail(a, "seat " + a.seat + " is not one of the campaign's agents" + more_agents);
    if (a.role == webdesk::Role::trainee && !contains(trainees, a.seat))
      fail(a, "seat " + a.seat + " is not one of the campaign's trainees: it has " +
                  std::to_string(trainees.size()) + " (trainee01, ...; more with --trainees N)");
    if (a.role == webdesk::Role::trainee && !contains(agents, a.follows))
      fail(a, "follows=" + a.follows + " is not one of the campaign's agents" + more_agents);
  }
  return ok;
}

/// Beyond loopback, passwords and calls cross the network: TLS, or the
/// operator says in so many words that they know.
bool bind_allowed(const webdesk::ServerOptions& opt) {
  if (webdesk::is_loopback(opt.host) || !opt.tls_cert.empty()) return true;
  if (!opt.insecure_bind) {
    std::cerr << "patter_web_desk: --host " << opt.host
              << " is reachable beyond this machine: serve TLS with --tls-cert FILE --tls-key "
                 "FILE, or accept sending passwords and calls in clear with --insecure-bind\n";
    return false;
  }
  std::cerr << "patter_web_desk: warning: --insecure-bind: passwords, session cookies and "
               "every call's transcript cross the network unencrypted\n";
  return true;
}

/// A line from stdin; typed at a terminal, not echoed.
std::string read_password() {
  std::string password;
  termios saved{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::cerr << "password: " << std::flush;
  }
  std::getline(std::cin, password);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << '\n';
  }
  return password;
}

int hash_password_command() {
  std::string password = read_password();
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) {
    std::cerr << "patter_web_desk hash-password: no password on stdin: "
                 "type one and press Enter, or pipe it in\n";
    return 2;
  }
  const auto hash = webdesk::hash_password(password);
  if (!hash) {
    std::cerr << "patter_web_desk hash-password: libsodium could not hash (out of memory?)\n";
    return 1;
  }
  std::cout << *hash << '\n';
  return 0;
}

/// The page server's side of the campaign: sign-in, what a page may see,
/// its commands (with the person they come from), pages closing.
webdesk::WebServer::Handlers page_handlers(const webdesk::Accounts& accounts,
                                           webdesk::LiveCampaign& campaign,
                                           webdesk::WebServer*& server) {
  struct Page {
    std::string who;
    webdesk::View view;
  };
  auto pages = std::make_shared<std::map<std::uint64_t, Page>>();  // the server's thread only
  webdesk::WebServer::Handlers h;
  h.sign_in = [&accounts](std::string_view name,
                          std::string_view password) -> std::optional<std::string> {
    const webdesk::Account* a = accounts.sign_in(name, password);
    return a ? std::optional<std::string>(a->name) : std::nullopt;
  };
  h.home = [&accounts](const std::string& person) {
    const webdesk::Account* a = accounts.find(person);
    return a ? webdesk::home_query(*a) : std::string();
  };
  h.open = [&accounts, &campaign, pages](
               std::uint64_t page, const std::string& person, std::string_view query,
               std::string* error) -> std::optional<std::vector<std::string>> {
    const webdesk::Account* a = accounts.find(person);
    if (!a) return std::nullopt;
    const auto view = webdesk::view_for(*a, query, error);
    if (!view) return std::nullopt;
    (*pages)[page] = {person, *view};
    campaign.post(page_event(webdesk::Command::Kind::open, page, person, *view));
    return view->topics();
  };
  h.message = [&campaign, &server, pages](std::uint64_t page, std::string_view text) {
    std::string error;
    auto command = webdesk::parse_page_command(text, &error);
    if (!command) {
      patter::JsonWriter j;
      j.object().field("type", "refused").field("text", error).end();
      server->deliver({{{}, page, j.take()}});
      return;
    }
    const auto it = pages->find(page);
    if (it == pages->end()) return;
    command->conn = page;
    command->who = it->second.who;
    command->view = it->second.view;
    campaign.post(std::move(*command));
  };
  h.close = [&campaign, pages](std::uint64_t page) {
    const auto it = pages->find(page);
    if (it == pages->end()) return;
    campaign.post(page_event(webdesk::Command::Kind::close, page, it->second.who, it->second.view));
    pages->erase(it);
  };
  return h;
}

/// The accounts, checked against the campaign's people; empty without --accounts.
std::optional<webdesk::Accounts> read_accounts(const webdesk::ServerOptions& opt,
                                               const webdesk::LiveCampaign& live) {
  if (opt.accounts.empty()) {
    std::cerr << "patter_web_desk: no --accounts FILE: nobody can sign in "
                 "(README.md shows how to write one)\n";
    return webdesk::Accounts();
  }
  webdesk::AccountsLoad load = webdesk::load_accounts(opt.accounts);
  for (const std::string& e : load.errors) std::cerr << e << '\n';
  if (!load.ok() || !seats_exist(load.accounts, opt.accounts, live.agents(), live.trainees()))
    return std::nullopt;
  return std::move(load.accounts);
}

}  // namespace

int main(int argc, char** argv) {
  const webdesk::CommandLine cl = webdesk::parse_command_line(argc, argv);
  if (cl.action == webdesk::CommandLine::Action::exit) return cl.exit_code;
  if (cl.action == webdesk::CommandLine::Action::hash_password) return hash_password_command();
  webdesk::ServerOptions opt = cl.options;
  if (opt.script.empty()) opt.script = PATTER_EXAMPLES_DIR "/scripts/appointment.en-US.yaml";
  if (opt.web_root.empty()) opt.web_root = PATTER_EXAMPLES_DIR "/apps/web-desk/web";
  if (!bind_allowed(opt)) return 2;

  patter::LoadResult loaded;
  patter::PersonaSet personas;
  if (!load_inputs(opt, loaded, personas)) return 1;

  webdesk::WebServer* server = nullptr;
  webdesk::LiveCampaign live(loaded.script, std::move(personas), opt.campaign,
                             [&server](std::vector<webdesk::Update> u) {
                               if (server) server->deliver(std::move(u));
                             });
  const std::optional<webdesk::Accounts> accounts = read_accounts(opt, live);
  if (!accounts) return 1;
  std::unique_ptr<webdesk::AuditLog> audit;
  std::unique_ptr<webdesk::WebServer> owned;
  try {
    audit = opt.audit_log.empty() ? std::make_unique<webdesk::AuditLog>()
                                  : std::make_unique<webdesk::AuditLog>(opt.audit_log);
    webdesk::WebServer::Options so{opt.host,    opt.port,        opt.web_root, opt.tls_cert,
                                   opt.tls_key, opt.server_name, opt.limits};
    owned = std::make_unique<webdesk::WebServer>(so, page_handlers(*accounts, live, server));
  } catch (const std::exception& e) {
    std::cerr << "patter_web_desk: " << e.what() << '\n';
    return 1;
  }
  server = owned.get();
  live.audit_to(audit.get());

  const webdesk::CampaignOptions& c = opt.campaign;
  std::cout << "patter web desk: " << loaded.script->title() << " (" << c.stepper.agents
            << " agents x " << c.stepper.robots_per_agent << " robots, " << c.stepper.trainees
            << " trainee" << (c.stepper.trainees == 1 ? "" : "s") << ", speed x" << c.speed
            << ")\n";
  std::cout << "open " << server->url() << std::endl;

  live.start();
  if (opt.run_for_s) server->stop_after(opt.run_for_s);
  server->run();
  live.stop();
  const webdesk::CampaignTotals t = live.totals();
  std::cout << "calls: " << t.dialed << " dialed, " << t.ended << " ended, " << t.escalations
            << " escalated, " << t.taken << " taken by people, " << t.errors << " refused events\n";
  return t.errors == 0 ? 0 : 1;
}

// patter_web_desk — a web desk for people working beside robots.
//
//   $ patter_web_desk --port 0
//   patter web desk: BrightSun Solar - book a free home survey (3 agents x 3 robots, 1 trainee,
//   speed x4) open http://127.0.0.1:41237/
//
// Robots dial simulated customers (personas) through a patter::Desk in real
// time, sped up; the page shows each agent their robots' calls live, with
// the intents heard, the score and the grade; alerts them when a call
// escalates; lets them grab it, reply with the script's suggested lines,
// hand it back to the robot at a node or end it. Trainees listen in or
// train; supervisors watch the queue, the people and the funnel.
//
// Three threads: this one serves HTTP and WebSockets (web_server.cpp), the
// campaign runs the calls (live_campaign.cpp), and they talk only through
// LiveCampaign::post and WebServer::deliver.
#include <patter/json_writer.hpp>
#include <patter/patter.hpp>

#include <filesystem>
#include <iostream>
#include <map>

#include <patter/json_writer.hpp>
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

webdesk::Command page_event(webdesk::Command::Kind kind, std::uint64_t page,
                            const webdesk::View& view) {
  webdesk::Command c;
  c.kind = kind;
  c.conn = page;
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

/// Whether a page may open `view`; if not, `error` says why.
bool known_view(const webdesk::View& view, const std::vector<std::string>& agents,
                const std::vector<std::string>& trainees, std::string* error) {
  if (view.kind == webdesk::View::Kind::agent && !contains(agents, view.name)) {
    *error = "no agent `" + view.name + "`";
    return false;
  }
  if (view.kind == webdesk::View::Kind::trainee && !contains(trainees, view.name)) {
    *error = "no trainee `" + view.name + "`";
    return false;
  }
  if (!view.follow.empty() && !contains(agents, view.follow)) {
    *error = "no agent `" + view.follow + "` to follow";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int code = 0;
  const auto parsed = webdesk::parse_command_line(argc, argv, &code);
  if (!parsed) return code;
  webdesk::ServerOptions opt = *parsed;
  if (opt.script.empty()) opt.script = PATTER_EXAMPLES_DIR "/scripts/appointment.en-US.yaml";
  if (opt.web_root.empty()) opt.web_root = PATTER_EXAMPLES_DIR "/apps/web-desk/web";

  patter::LoadResult loaded;
  patter::PersonaSet personas;
  if (!load_inputs(opt, loaded, personas)) return 1;

  // The server's thread only: which page is which view.
  std::map<std::uint64_t, webdesk::View> views;
  webdesk::LiveCampaign* campaign = nullptr;
  std::vector<std::string> agents, trainees;
  webdesk::WebServer* server_ptr = nullptr;

  webdesk::WebServer::Handlers handlers;
  handlers.open = [&](std::uint64_t page, std::string_view query,
                      std::string* error) -> std::optional<std::vector<std::string>> {
    auto view = webdesk::View::parse(query, error);
    if (!view || !known_view(*view, agents, trainees, error)) return std::nullopt;
    views[page] = *view;
    campaign->post(page_event(webdesk::Command::Kind::open, page, *view));
    return view->topics();
  };
  handlers.message = [&](std::uint64_t page, std::string_view text) {
    std::string error;
    auto command = webdesk::parse_page_command(text, &error);
    if (!command) {
      patter::JsonWriter j;
      j.object().field("type", "refused").field("text", error).end();
      server_ptr->deliver({{{}, page, j.take()}});
      return;
    }
    command->conn = page;
    command->view = views[page];
    campaign->post(std::move(*command));
  };
  handlers.close = [&](std::uint64_t page) {
    const auto it = views.find(page);
    if (it == views.end()) return;
    campaign->post(page_event(webdesk::Command::Kind::close, page, it->second));
    views.erase(it);
  };

  std::unique_ptr<webdesk::WebServer> server;
  try {
    server = std::make_unique<webdesk::WebServer>(opt.host, opt.port, opt.web_root, handlers);
  } catch (const std::exception& e) {
    std::cerr << "patter_web_desk: " << e.what() << '\n';
    return 1;
  }
  server_ptr = server.get();
  webdesk::LiveCampaign live(
      loaded.script, std::move(personas), opt.campaign,
      [&server](std::vector<webdesk::Update> u) { server->deliver(std::move(u)); });
  campaign = &live;
  agents = live.agents();
  trainees = live.trainees();

  const webdesk::CampaignOptions& c = opt.campaign;
  std::cout << "patter web desk: " << loaded.script->title() << " (" << c.stepper.agents
            << " agents x " << c.stepper.robots_per_agent << " robots, " << c.stepper.trainees
            << " trainee" << (c.stepper.trainees == 1 ? "" : "s") << ", speed x" << c.speed
            << ")\n";
  const std::string host = opt.host == "0.0.0.0" ? "127.0.0.1" : opt.host;
  std::cout << "open http://" << host << ":" << server->port() << "/" << std::endl;

  live.start();
  if (opt.run_for_s) server->stop_after(opt.run_for_s);
  server->run();
  live.stop();
  const webdesk::CampaignTotals t = live.totals();
  std::cout << "calls: " << t.dialed << " dialed, " << t.ended << " ended, " << t.escalations
            << " escalated, " << t.taken << " taken by people, " << t.errors << " refused events\n";
  return t.errors == 0 ? 0 : 1;
}

// patter_web_desk's command line, read with CLI11 (`--opt value`,
// `--opt=value`, `--help`), and the `hash-password` command that writes a
// line for the accounts file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "live_campaign.hpp"

namespace webdesk {

/// What keeps the server's memory and connections bounded.
struct ServerLimits {
  std::size_t send_queue_bytes = 8u << 20;  ///< unsent bytes a page may have before it is cut off
  std::uint32_t max_connections = 512;      ///< open TCP connections, pages included
  std::uint32_t max_pages = 256;            ///< open pages (WebSockets), everyone together
  std::uint32_t max_pages_per_person = 8;   ///< open pages of one signed-in person
  std::uint32_t commands_per_second = 20;   ///< a page sending more (over 2 s) is closed
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string accounts;         ///< the accounts file; empty: nobody can sign in
  std::string tls_cert;         ///< PEM certificate chain: serve https and wss
  std::string tls_key;          ///< PEM private key for tls_cert
  bool insecure_bind = false;   ///< beyond loopback without TLS, knowingly
  std::string server_name;      ///< the host name people type, for the address and the Host check
  std::string audit_log;        ///< empty: audit lines go to stderr
  std::string script;           ///< empty: the bundled appointment script
  std::string personas;         ///< empty: NAME.personas.yaml beside the script or in ../personas/
  std::string web_root;         ///< empty: the page's folder in the source tree
  std::uint32_t run_for_s = 0;  ///< 0: until Ctrl-C
  ServerLimits limits;
  CampaignOptions campaign;
};

/// What the command line asks for: serve, or hash a password.
struct CommandLine {
  enum class Action { serve, hash_password, exit } action = Action::serve;
  int exit_code = 0;  ///< for Action::exit (0 after --help, 2 after a mistake)
  ServerOptions options;
};

/// Reads argv; prints help or what is wrong (and the usage) itself.
CommandLine parse_command_line(int argc, char** argv);

}  // namespace webdesk

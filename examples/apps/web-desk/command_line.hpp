// patter_web_desk's command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "live_campaign.hpp"

namespace webdesk {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string script;           ///< empty: the bundled appointment script
  std::string personas;         ///< empty: NAME.personas.yaml beside the script or in ../personas/
  std::string web_root;         ///< empty: the page's folder in the source tree
  std::uint32_t run_for_s = 0;  ///< 0: until Ctrl-C
  CampaignOptions campaign;
};

extern const char* const kUsage;

/// The options, or nullopt with the exit code in `exit_code` (0 for --help)
/// after printing usage or the error.
std::optional<ServerOptions> parse_command_line(int argc, char** argv, int* exit_code);

}  // namespace webdesk

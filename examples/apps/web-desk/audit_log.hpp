// One line per thing a person did to a customer's call, for whoever must
// answer later "who said that to the customer, and when":
//
//   2026-12-06T07:41:09Z grab call=12 by=ana seat=agent01
//   2026-12-06T07:41:15Z reply call=12 by=ana seat=agent01 chars=42
//   2026-12-06T07:41:30Z refused grab call=14 by=tom seat=trainee01
//
//   webdesk::AuditLog audit("desk-audit.log");   // or AuditLog() for stderr
//   audit.write("grab", 12, "ana", "agent01", "");
//
// The time is UTC wall time. What the person said stays out (its length
// only): the log is for accountability, not a second transcript.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

namespace webdesk {

class AuditLog {
 public:
  /// To stderr.
  AuditLog() = default;
  /// Appended to `path`; throws std::runtime_error when it cannot be opened.
  explicit AuditLog(const std::string& path);

  void write(std::string_view action, std::uint64_t call, std::string_view person,
             std::string_view seat, std::string_view detail);

  /// "2026-12-06T07:41:09Z" for a time in seconds since the epoch.
  static std::string utc(std::int64_t seconds);

 private:
  std::ofstream file_;
  bool to_file_ = false;
};

}  // namespace webdesk

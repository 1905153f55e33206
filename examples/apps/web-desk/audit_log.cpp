#include "audit_log.hpp"

#include <chrono>
#include <ctime>
#include <iostream>
#include <stdexcept>

namespace webdesk {

AuditLog::AuditLog(const std::string& path) : file_(path, std::ios::app), to_file_(true) {
  if (!file_)
    throw std::runtime_error("cannot open the audit log `" + path +
                             "` for appending: give a writable file with --audit-log FILE");
}

std::string AuditLog::utc(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void AuditLog::write(std::string_view action, std::uint64_t call, std::string_view person,
                     std::string_view seat, std::string_view detail) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  std::string line = utc(std::chrono::duration_cast<std::chrono::seconds>(now).count());
  line += ' ';
  line += action;
  line += " call=" + std::to_string(call);
  line += " by=";
  line += person;
  if (!seat.empty()) {
    line += " seat=";
    line += seat;
  }
  if (!detail.empty()) {
    line += ' ';
    line += detail;
  }
  line += '\n';
  std::ostream& out = to_file_ ? static_cast<std::ostream&>(file_) : std::cerr;
  out << line << std::flush;
}

}  // namespace webdesk

#include "origin_check.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>

namespace webdesk {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// The name or address of a Host header, without the port and brackets.
std::string_view host_part(std::string_view host) {
  if (host.starts_with('[')) {
    const std::size_t close = host.find(']');
    return close == std::string_view::npos ? std::string_view() : host.substr(1, close - 1);
  }
  return host.substr(0, host.find(':'));
}

}  // namespace

OriginCheck::OriginCheck(std::vector<std::string> names, bool tls) : tls_(tls) {
  for (const std::string& n : names) names_.push_back(lower(n));
}

bool OriginCheck::host_ok(std::string_view host) const {
  const std::string_view name = host_part(host);
  if (name.empty()) return false;
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(name), ec);
  if (!ec) return true;
  return std::find(names_.begin(), names_.end(), lower(name)) != names_.end();
}

bool OriginCheck::origin_ok(std::string_view origin, std::string_view host) const {
  if (!host_ok(host)) return false;
  return lower(origin) == lower(std::string(scheme()) + "://" + std::string(host));
}

}  // namespace webdesk

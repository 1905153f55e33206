#include "session_cookies.hpp"

#include <sodium.h>

#include <stdexcept>

namespace webdesk {

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
    while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return std::nullopt;
}

std::string session_cookie(std::string_view token, bool secure) {
  return std::string(kSessionCookie) + "=" + std::string(token) +
         "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

std::string cleared_cookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

SessionCookies::SessionCookies(Clock::duration lifetime, std::size_t per_person)
    : lifetime_(lifetime), per_person_(per_person) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

std::string SessionCookies::open(const std::string& person) {
  const Clock::time_point now = Clock::now();
  std::erase_if(sessions_, [&](const auto& s) { return now - s.second.opened > lifetime_; });
  // One person's sign-ins cannot fill the memory: their oldest session goes.
  std::size_t theirs = 0;
  auto oldest = sessions_.end();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->second.person != person) continue;
    ++theirs;
    if (oldest == sessions_.end() || it->second.opened < oldest->second.opened) oldest = it;
  }
  if (theirs >= per_person_) sessions_.erase(oldest);

  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  sessions_[hex] = {person, now};
  return hex;
}

const std::string* SessionCookies::find(std::string_view token) {
  const auto it = sessions_.find(std::string(token));
  if (it == sessions_.end()) return nullptr;
  if (Clock::now() - it->second.opened > lifetime_) {
    sessions_.erase(it);
    return nullptr;
  }
  return &it->second.person;
}

void SessionCookies::close(std::string_view token) {
  sessions_.erase(std::string(token));
}

}  // namespace webdesk

// Signed-in pages: a random token (libsodium's randombytes) in an
// HttpOnly, SameSite=Strict cookie, mapped here to the account.
//
//   webdesk::SessionCookies sessions;
//   const std::string token = sessions.open("ana");
//   response.set(http::field::set_cookie, webdesk::session_cookie(token, tls));
//   // later, on any request:
//   if (auto t = webdesk::cookie_value(request[http::field::cookie], webdesk::kSessionCookie))
//     if (const std::string* who = sessions.find(*t)) ...;   // the account's name
//
// Scripts in the page cannot read the cookie (HttpOnly), and the browser
// sends it only with requests from the desk's own pages (SameSite=Strict),
// so another site's page cannot use a person's session.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace webdesk {

inline constexpr std::string_view kSessionCookie = "patter_session";

/// The value of cookie `name` in a Cookie header ("a=1; patter_session=..."), if there.
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name);
/// Set-Cookie for a session; `secure` when served over TLS.
std::string session_cookie(std::string_view token, bool secure);
/// Set-Cookie that removes the session cookie.
std::string cleared_cookie(bool secure);

class SessionCookies {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SessionCookies(Clock::duration lifetime = std::chrono::hours(12),
                          std::size_t per_person = 16);

  /// A new session for the account named `person`; their oldest goes past `per_person`.
  std::string open(const std::string& person);
  /// The account of a live session, or nullptr (unknown, expired, signed out).
  const std::string* find(std::string_view token);
  void close(std::string_view token);
  std::size_t size() const { return sessions_.size(); }

 private:
  struct Session {
    std::string person;
    Clock::time_point opened;
  };
  Clock::duration lifetime_;
  std::size_t per_person_;
  std::unordered_map<std::string, Session> sessions_;
};

}  // namespace webdesk

// Who may sign in to the web desk: one person a line in a file the
// operator writes, passwords kept only as libsodium's Argon2id hashes.
//
//   # NAME  ROLE        WHERE                          PASSWORD HASH
//   ana     agent       seat=agent01                   $argon2id$v=19$m=65536,t=2,p=1$...
//   tom     trainee     seat=trainee01 follows=agent01 $argon2id$v=19$...
//   sue     supervisor                                 $argon2id$v=19$...
//
//   webdesk::AccountsLoad a = webdesk::load_accounts("desk.accounts");
//   for (const std::string& e : a.errors) std::cerr << e << '\n';  // FILE:LINE:COL: ...
//   const webdesk::Account* who = a.accounts.sign_in("ana", password);  // nullptr: refused
//
// An agent's seat is the campaign's agent whose robots they supervise; a
// trainee's seat is their own training robots and `follows` the agent they
// listen in on; a supervisor sees every call and acts on none.
// `patter_web_desk hash-password` prints the hash for a line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace webdesk {

enum class Role { agent, trainee, supervisor };
std::string_view role_name(Role r);

struct Account {
  std::string name;  ///< what the person types to sign in
  Role role = Role::agent;
  std::string seat;        ///< agent, trainee: the campaign person they are
  std::string follows;     ///< trainee: the agent they listen in on
  std::string hash;        ///< crypto_pwhash_str's output
  std::uint32_t line = 0;  ///< in the file, for diagnostics about the seat
};

class Accounts {
 public:
  Accounts() = default;
  explicit Accounts(std::vector<Account> list);

  const std::vector<Account>& all() const { return list_; }
  const Account* find(std::string_view name) const;
  /// The account when the password is its own, else nullptr. An unknown
  /// name costs the same time as a wrong password, so timing does not tell
  /// which names exist.
  const Account* sign_in(std::string_view name, std::string_view password) const;

 private:
  std::vector<Account> list_;
};

struct AccountsLoad {
  Accounts accounts;
  std::vector<std::string> errors;  ///< "FILE:LINE:COL: error: ..., what to do"
  bool ok() const { return errors.empty(); }
};

/// Parses the file's text; `file` names it in the errors.
AccountsLoad parse_accounts(std::string_view text, const std::string& file);
/// Reads and parses the file (at most 1 MiB).
AccountsLoad load_accounts(const std::string& path);

/// libsodium's Argon2id string for `password` (interactive limits), or
/// nullopt when libsodium cannot (out of memory).
std::optional<std::string> hash_password(std::string_view password);

}  // namespace webdesk

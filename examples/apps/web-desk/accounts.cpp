#include "accounts.hpp"

#include <sodium.h>

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace webdesk {
namespace {

constexpr std::size_t kMaxFileBytes = 1u << 20;

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!name_char(c)) return false;
  return true;
}

struct Word {
  std::string_view text;
  std::size_t column = 0;  // 1-based
};

std::vector<Word> words(std::string_view line) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back({line.substr(start, i - start), start + 1});
  }
  return out;
}

/// One line's account, or why not (with the column it is about).
class LineReader {
 public:
  LineReader(const std::string& file, std::uint32_t line, std::vector<std::string>& errors)
      : file_(file), line_(line), errors_(errors) {}

  std::optional<Account> read(const std::vector<Word>& w) {
    Account a;
    a.line = line_;
    if (w.size() < 3)
      return fail(w.back().column + w.back().text.size(),
                  "a line is NAME ROLE [seat=NAME] [follows=NAME] HASH; this one ends early");
    if (!valid_name(w[0].text))
      return fail(w[0].column, quoted(w[0].text) +
                                   " is not a name: use 1 to 64 letters, digits, `.`, `_` or `-`");
    a.name = w[0].text;
    if (!role(w[1], a.role)) return std::nullopt;
    for (std::size_t i = 2; i + 1 < w.size(); ++i)
      if (!field(w[i], a)) return std::nullopt;
    const Word& hash = w.back();
    if (!hash.text.starts_with("$argon2"))
      return fail(hash.column,
                  "the line must end with a password hash: run `patter_web_desk "
                  "hash-password` and paste what it prints");
    a.hash = hash.text;
    if (!roles_fields_agree(a, w)) return std::nullopt;
    return a;
  }

 private:
  bool role(const Word& w, Role& out) {
    if (w.text == "agent")
      out = Role::agent;
    else if (w.text == "trainee")
      out = Role::trainee;
    else if (w.text == "supervisor")
      out = Role::supervisor;
    else
      return fail(w.column, "unknown role " + quoted(w.text) + ": agent, trainee or supervisor")
          .has_value();
    return true;
  }

  bool field(const Word& w, Account& a) {
    const std::size_t eq = w.text.find('=');
    const std::string_view key = w.text.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : w.text.substr(eq + 1);
    std::string* into = key == "seat" ? &a.seat : key == "follows" ? &a.follows : nullptr;
    if (!into || eq == std::string_view::npos)
      return fail(w.column,
                  quoted(w.text) + " is not seat=NAME or follows=NAME (the hash goes last)")
          .has_value();
    if (!valid_name(value))
      return fail(w.column + eq + 1, quoted(value) + " is not a name for " + std::string(key))
          .has_value();
    if (!into->empty()) return fail(w.column, std::string(key) + " given twice").has_value();
    *into = value;
    return true;
  }

  bool roles_fields_agree(const Account& a, const std::vector<Word>& w) {
    const std::size_t col = w[1].column;
    if (a.role == Role::supervisor && (!a.seat.empty() || !a.follows.empty()))
      return fail(col, "a supervisor sees every call: remove seat= and follows=").has_value();
    if (a.role != Role::supervisor && a.seat.empty())
      return fail(col, "an " + std::string(role_name(a.role)) +
                           " needs seat=NAME: the campaign's person they are (agent01, ...)")
          .has_value();
    if (a.role == Role::agent && !a.follows.empty())
      return fail(col, "follows= is for trainees: remove it").has_value();
    if (a.role == Role::trainee && a.follows.empty())
      return fail(col, "a trainee needs follows=AGENT: the agent they listen in on").has_value();
    return true;
  }

  /// `s`, at most 40 bytes of it: a diagnostic never quotes a whole line back.
  static std::string quoted(std::string_view s) {
    std::string out = "`";
    out.append(s.substr(0, 40));
    if (s.size() > 40) out.append("...");
    out.push_back('`');
    return out;
  }

  std::optional<Account> fail(std::size_t column, const std::string& why) {
    errors_.push_back(file_ + ":" + std::to_string(line_) + ":" + std::to_string(column) +
                      ": error: " + why);
    return std::nullopt;
  }

  const std::string& file_;
  std::uint32_t line_;
  std::vector<std::string>& errors_;
};

void check_unique(const std::vector<Account>& list, const std::string& file,
                  std::vector<std::string>& errors) {
  for (std::size_t i = 0; i < list.size(); ++i)
    for (std::size_t j = 0; j < i; ++j) {
      const std::string at = file + ":" + std::to_string(list[i].line) + ":1: error: ";
      const std::string first = " (line " + std::to_string(list[j].line) + ")";
      if (list[i].name == list[j].name)
        errors.push_back(at + "`" + list[i].name + "` has an account already" + first +
                         ": give each person one line");
      else if (!list[i].seat.empty() && list[i].seat == list[j].seat)
        errors.push_back(at + "seat " + list[i].seat + " is " + list[j].name + "'s already" +
                         first + ": give each person their own seat");
    }
}

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
}

}  // namespace

std::string_view role_name(Role r) {
  switch (r) {
    case Role::agent: return "agent";
    case Role::trainee: return "trainee";
    case Role::supervisor: break;
  }
  return "supervisor";
}

AccountsLoad parse_accounts(std::string_view text, const std::string& file) {
  AccountsLoad out;
  std::vector<Account> list;
  std::uint32_t number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    const std::vector<Word> w = words(line);
    if (w.empty() || w[0].text.starts_with('#')) continue;
    if (auto a = LineReader(file, number, out.errors).read(w)) list.push_back(std::move(*a));
  }
  check_unique(list, file, out.errors);
  out.accounts = Accounts(std::move(list));
  return out;
}

AccountsLoad load_accounts(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    AccountsLoad out;
    out.errors.push_back(path +
                         ":1:1: error: cannot read the accounts file: give one with "
                         "--accounts FILE (README.md shows how to write it)");
    return out;
  }
  std::string text(kMaxFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxFileBytes) {
    AccountsLoad out;
    out.errors.push_back(path +
                         ":1:1: error: the accounts file is over 1 MiB: is it the "
                         "right file?");
    return out;
  }
  return parse_accounts(text, path);
}

Accounts::Accounts(std::vector<Account> list) : list_(std::move(list)) {}

const Account* Accounts::find(std::string_view name) const {
  for (const Account& a : list_)
    if (a.name == name) return &a;
  return nullptr;
}

const Account* Accounts::sign_in(std::string_view name, std::string_view password) const {
  init_sodium();
  // A hash made once, so an unknown name is checked as long as a known one.
  static const std::string decoy = hash_password("decoy").value_or("");
  const Account* a = find(name);
  const std::string& hash = a ? a->hash : decoy;
  const bool ok = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  return ok && a ? a : nullptr;
}

std::optional<std::string> hash_password(std::string_view password) {
  init_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return std::nullopt;
  return std::string(out);
}

}  // namespace webdesk

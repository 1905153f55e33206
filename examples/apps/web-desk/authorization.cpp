#include "authorization.hpp"

namespace webdesk {

View home_view(const Account& a) {
  View v;
  switch (a.role) {
    case Role::agent:
      v.kind = View::Kind::agent;
      v.name = a.seat;
      break;
    case Role::trainee:
      v.kind = View::Kind::trainee;
      v.name = a.seat;
      v.follow = a.follows;
      break;
    case Role::supervisor: v.kind = View::Kind::supervisor; break;
  }
  return v;
}

std::string home_query(const Account& a) {
  const View v = home_view(a);
  std::string q = "view=" + std::string(v.kind_name());
  if (!v.name.empty()) q += "&name=" + v.name;
  if (!v.follow.empty()) q += "&follow=" + v.follow;
  return q;
}

std::optional<View> view_for(const Account& a, std::string_view query, std::string* error) {
  const View home = home_view(a);
  if (query.empty()) return home;
  std::string why;
  const std::optional<View> asked = View::parse(query, &why);
  const bool same = asked && asked->kind == home.kind && asked->name == home.name &&
                    (asked->follow.empty() || asked->follow == home.follow);
  if (same) return home;
  if (error)
    *error = "signed in as " + a.name + " (" + std::string(role_name(a.role)) +
             (a.seat.empty() ? "" : " " + a.seat) + "): open /?" + home_query(a);
  return std::nullopt;
}

namespace {

bool about_a_call(Command::Kind k) {
  return k == Command::Kind::grab || k == Command::Kind::reply || k == Command::Kind::hand_back ||
         k == Command::Kind::end;
}

bool supervisors_only(Command::Kind k) {
  using K = Command::Kind;
  return k == K::watch || k == K::whisper || k == K::barge || k == K::take_over ||
         k == K::reassign || k == K::note || k == K::leave;
}

/// A supervisor steps into any call; whether they are on it (to speak or
/// end it) the desk says.
std::optional<std::string> supervisor_refusal(Command::Kind kind, const CallFacts& facts) {
  using K = Command::Kind;
  if (!supervisors_only(kind) && kind != K::reply && kind != K::end)
    return "a supervisor's page watches and steps in (whisper, barge, take over, reassign): "
           "agents grab and hand back";
  if (!facts.exists) return "that call has ended";
  return std::nullopt;
}

}  // namespace

std::optional<std::string> refusal(const View& view, Command::Kind kind, const CallFacts& facts) {
  if (kind == Command::Kind::open || kind == Command::Kind::close) return std::nullopt;
  if (view.kind == View::Kind::supervisor) return supervisor_refusal(kind, facts);
  if (supervisors_only(kind)) return "only a supervisor may do that: your account is not one";
  if (kind == Command::Kind::start_training)
    return view.kind == View::Kind::trainee ? std::nullopt
                                            : std::optional<std::string>("only trainees train");
  if (kind == Command::Kind::take_next)
    return view.kind == View::Kind::agent
               ? std::nullopt
               : std::optional<std::string>("a trainee takes only their own training calls");
  if (!about_a_call(kind)) return "unknown command";
  if (!facts.exists) return "that call has ended";
  if (kind == Command::Kind::grab) {
    if (facts.robots_of == view.name) return std::nullopt;
    if (view.kind == View::Kind::trainee)
      return "a trainee listens in on " + facts.robots_of + "'s calls: only their agent takes them";
    return "that call is not one of your robots'";
  }
  if (facts.with != view.name) return "take the call first";
  return std::nullopt;
}

}  // namespace webdesk

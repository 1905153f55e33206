// Who may see and do what, from the signed-in account alone:
//
//   role        sees                                   may
//   agent       their robots' calls, calls they are on  grab their robots' calls, take the
//                                                      next from the queue, reply, hand back
//                                                      and end the call they are on
//   trainee     their assigned agent's calls (read      grab, reply, hand back and end their
//               only) and their training robots'        own training calls; start training
//   supervisor  every call                             whisper, barge in, take over, reassign
//                                                      a waiting call, note; speak on and end
//                                                      a call they barged into or took over
//
//   std::string why;
//   std::optional<webdesk::View> v = webdesk::view_for(account, "view=agent&name=agent01", &why);
//   if (auto no = webdesk::refusal(v->kind, v->name, command.kind, facts)) refuse(*no);
//
// A page's address only chooses among what the account may see; asking for
// another person's view is refused, never widened.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "accounts.hpp"
#include "live_campaign.hpp"
#include "view.hpp"

namespace webdesk {

/// The account's own view.
View home_view(const Account& a);
/// The query string of the account's own page ("view=agent&name=agent01").
std::string home_query(const Account& a);
/// The view a page of `a` asked for in `query` (empty: the account's own),
/// or nullopt with why in `error` when it is not theirs to see.
std::optional<View> view_for(const Account& a, std::string_view query, std::string* error);

/// What the campaign knows of the call a command names.
struct CallFacts {
  bool exists = false;
  std::string robots_of;  ///< the person whose robot placed it
  std::string with;       ///< the person on it now, if any
};

/// Why the page of `view` may not send `kind` about a call with `facts`, or
/// nullopt when it may.
std::optional<std::string> refusal(const View& view, Command::Kind kind, const CallFacts& facts);

}  // namespace webdesk

// The calls both session benchmarks drive through the bundled
// screening.zh-CN.yaml: customer replies as a recogniser hands them over,
// each with the node it must lead to.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "patter/loader.hpp"
#include "patter/session.hpp"

namespace patter::bench {

[[noreturn]] inline void die(const std::string& why) {
  std::fprintf(stderr, "patter session benchmark: %s\n", why.c_str());
  std::abort();
}

inline const std::shared_ptr<const patter::Script>& screening() {
  static const auto script = [] {
    patter::LoadResult r =
        patter::load_file(PATTER_SOURCE_DIR "/examples/scripts/screening.zh-CN.yaml");
    if (!r.ok()) die("examples/scripts/screening.zh-CN.yaml does not load");
    return r.script;
  }();
  return script;
}

/// A customer's side of one call: each reply and the node it must lead to.
struct Reply {
  std::string_view text;
  std::string_view node;
};
using Call = std::vector<Reply>;

/// Calls as customers answer them, through most of the script: qualified and
/// handed to a teacher; not interested; questions on the way; a bachelor who
/// declines; an opt-out; a lead who forgot, is reassured and takes WeChat.
inline const std::vector<Call>& calls() {
  static const std::vector<Call> all = {
      {{"喂，是我，你说吧", "intro"},
       {"对，之前在抖音上填过", "ask_education"},
       {"我是大专毕业的", "ask_goal"},
       {"想考公务员，学历不够", "ask_time"},
       {"越快越好，这个月就想报", "transfer_hot"}},
      {{"是我，什么事", "intro"}, {"不感兴趣，谢谢", "retain"}, {"真的不需要", "polite_close"}},
      {{"嗯，是的", "intro"},
       {"你们是哪个公司的？", "intro"},
       {"那学费大概多少钱啊", "intro"},
       {"可以，我想了解一下", "ask_education"},
       {"高中毕业，好多年了", "ask_goal"},
       {"单位评职称要求本科", "ask_time"},
       {"明年吧，不着急", "ask_age"},
       {"我三十二岁了", "offer_assessment"},
       {"好的，可以", "transfer_hot"}},
      {{"对，我就是", "intro"},
       {"好的，可以", "ask_education"},
       {"我本科毕业", "bachelor_offer"},
       {"不用了，谢谢", "polite_close"}},
      {{"是我", "intro"}, {"你们烦不烦啊，别再打了", "optout_close"}},
      {{"是的，你说", "intro"},
       {"没有，记不清了", "not_remember"},
       {"有点兴趣，想了解", "ask_education"},
       {"中专", "ask_goal"},
       {"就是想换个好点的工作", "ask_time"},
       {"工作太忙了，怕考不过", "reassure"},
       {"不行，我还是没时间学", "send_wechat"},
       {"好的，你加吧", "wechat_close"}},
  };
  return all;
}

inline constexpr patter::VariableValue kCustomer[] = {{"customer_name", "张先生"},
                                                      {"lead_source", "抖音"}};

/// A new call, answered: at the opening line, listening.
inline patter::Session new_call() {
  patter::Started s =
      patter::Session::start(screening(), std::span<const patter::VariableValue>(kCustomer));
  if (!s.ok()) die(s.message());
  patter::Turn t;
  s->step(patter::Event::answered(0), t);
  return std::move(*s);
}

/// The time of reply `k` of a call: replies come a few seconds apart.
inline std::uint64_t reply_at(std::size_t k) {
  return 4000 * (k + 1);
}

}  // namespace patter::bench

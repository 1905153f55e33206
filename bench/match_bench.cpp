// How long it takes to understand one customer utterance, and to build the
// matcher that does it, for scripts of 100, 1,000 and 10,000 phrases in
// Chinese and in English. Phrases, scripts and utterances are generated in
// memory (not timed) and look like real telesales traffic: 2-6 character
// Chinese phrases and 1-3 word English ones, five to an intent, and 64
// speech-recognised utterances per language and size (20 Chinese characters,
// or 20-30 English letters), half of them holding one of the phrases.
//
// patter is measured through its parts (normalise, match, both, compile) and
// next to the two peers a user would reach for, on the same normalised
// utterances and the same phrases: Hyperscan's literal matcher and RE2::Set.
// Every benchmark iteration handles one utterance, taken round-robin, so the
// reported time is the time per utterance.
#include <benchmark/benchmark.h>
#ifdef PATTER_HAVE_HYPERSCAN
#include <hs.h>
#endif
#ifdef PATTER_HAVE_RE2
#include <re2/re2.h>
#include <re2/set.h>
#endif

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compile/matcher_input.hpp"
#include "match/matcher_impl.hpp"
#include "patter/loader.hpp"
#include "patter/matcher.hpp"
#include "patter/normalizer.hpp"
#include "patter/random.hpp"
#include "patter/script.hpp"

namespace {

using Rng = patter::Random;

enum class Lang { zh, en };

constexpr std::size_t kUtterances = 64;  // a power of two: round-robin by mask

/// Characters in UTF-8 text (code points).
std::size_t chars(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// ---- Chinese ---------------------------------------------------------------

// What customers say on such calls, as a script author would list it.
const std::vector<std::string> kZhCore = {
    "感兴趣",   "不感兴趣", "没兴趣",   "不需要",     "不用了",     "用不上",     "多少钱",
    "什么价格", "怎么收费", "太贵了",   "有点贵",     "便宜点",     "有优惠吗",   "打个折",
    "在开车",   "在开会",   "不方便",   "没时间",     "很忙",       "在上班",     "正忙着",
    "别再打",   "不要再打", "别打了",   "已经买了",   "已经有了",   "买过了",     "考虑一下",
    "再考虑",   "想一想",   "商量一下", "问问家里",   "发个资料",   "发短信",     "加微信",
    "发微信",   "留个电话", "你是谁",   "哪个公司",   "哪里来的",   "谁给的号码", "打错了",
    "不是本人", "可以啊",   "好的",     "没问题",     "要的",       "需要",       "怎么报名",
    "在哪里",   "地址在哪", "什么时候", "几点开始",   "周末有空",   "晚上再说",   "下次再说",
    "以后再说", "回头再说", "投诉你们", "骗子",       "推销的吧",   "不买",       "不要",
    "不考虑",   "孩子还小", "没有孩子", "离得太远",   "太远了",     "效果怎么样", "靠谱吗",
    "有保障吗", "能退款吗", "签合同",   "免费试听",   "免费吗",     "真的免费",   "还有名额吗",
    "预约一下", "约个时间", "转人工",   "找你们领导", "说重点",     "听不清",     "信号不好",
    "再说一遍", "你说什么", "正在忙",   "稍后联系",   "等会再打",   "明天再打",   "我不在家",
    "出差了",   "不在本地", "搬家了",   "换号了",     "号码不用了", "家里有人管", "我做不了主",
    "问我老公", "问我老婆", "同意",     "答应",       "报个名",     "来试试",     "去看看",
    "过去看看", "有兴趣",   "了解一下", "介绍一下",   "详细说说",   "讲清楚点",   "有什么活动",
    "送什么",   "有赠品吗", "分期付款", "可以刷卡",   "能开发票吗", "怎么付款",   "先交定金",
    "要交押金", "退订",     "取消",     "不想要了",   "已经退了",   "换一个",     "别的套餐",
    "升级套餐", "续费",     "到期了",   "没收到",     "还没到",     "质量不好",   "不满意",
    "挺满意",   "还不错",   "一般般",   "不太好",     "算了吧",     "再见",       "拜拜",
    "挂了",     "没空",
};

const std::vector<std::string> kZhPrefix = {
    "真的", "确实", "现在", "暂时", "目前", "有点", "还是", "就是", "我",
    "我们", "你们", "先",   "也",   "其实", "那",   "可能", "这个", "反正",
};
const std::vector<std::string> kZhSuffix = {"吧", "了", "啊", "呢", "的", "呀", "哈", "嘛"};

// The other half of the phrase list: who-does-what-to-which-product.
const std::vector<std::string> kZhSubject = {"", "我", "我们", "家里"};
const std::vector<std::string> kZhAdverb = {
    "", "不", "不想", "没", "已经", "暂时不", "现在不", "还没", "不用", "可以", "想", "要", "打算",
};
const std::vector<std::string> kZhVerb = {
    "买", "办", "要",   "学",   "报", "交", "签", "试",
    "听", "看", "考虑", "了解", "续", "退", "换", "开",
};
const std::vector<std::string> kZhObject = {
    "保险", "贷款", "课程", "会员", "套餐", "宽带", "理财",   "信用卡", "资料", "房子",
    "车险", "装修", "英语", "培训", "基金", "网课", "健身卡", "体检",   "家政", "旅游",
};

// Speech around the phrase: small talk from calls, no script words meant.
constexpr std::string_view kZhChatter =
    "喂你好请问是哪里我这边刚刚没太听明白你再讲一下吧我在外面走路风有点大你们这个到底是做什么的"
    "我记得之前好像接到过类似的电话那个时候讲的也是这件事情我一会儿还要去接人现在手上拿着东西"
    "不太好拿手机你慢慢讲我听着呢就是想知道你们是从哪儿知道我这个号码的以前也有人这样打过来";

// ---- English ---------------------------------------------------------------

const std::vector<std::string> kEnCore = {
    "not interested",
    "no thanks",
    "how much",
    "too expensive",
    "driving",
    "busy right now",
    "call me later",
    "send me info",
    "already have one",
    "stop calling",
    "remove my number",
    "who is this",
    "wrong number",
    "sounds good",
    "sure",
    "okay",
    "yes please",
    "maybe later",
    "let me think",
    "ask my wife",
    "ask my husband",
    "in a meeting",
    "at work",
    "bad time",
    "call back",
    "call tomorrow",
    "next week",
    "email me",
    "text me",
    "what company",
    "how did you",
    "is it free",
    "free trial",
    "any discount",
    "cheaper",
    "price",
    "cost",
    "monthly fee",
    "cancel",
    "unsubscribe",
    "do not call",
    "scam",
    "complaint",
    "manager",
    "real person",
    "human",
    "repeat that",
    "can't hear",
    "bad line",
    "say again",
    "sign me up",
    "book it",
    "schedule",
    "appointment",
    "tomorrow morning",
    "this afternoon",
    "weekend",
    "saturday",
    "sounds great",
    "tell me more",
    "more details",
    "how long",
    "contract",
    "no contract",
    "refund",
    "money back",
    "guarantee",
    "warranty",
    "insurance",
    "loan",
    "credit card",
    "pay monthly",
    "payment plan",
    "already paid",
    "already bought",
    "too far",
    "where are you",
    "address",
    "directions",
    "not the owner",
    "renting",
    "landlord",
    "moved",
    "new number",
    "deceased",
    "not home",
    "on vacation",
    "out of town",
    "i'll pass",
    "not now",
    "never",
    "absolutely",
    "definitely",
    "of course",
    "why not",
    "go ahead",
    "fine",
    "alright",
    "perfect",
    "great",
    "agreed",
    "deal",
    "no way",
    "forget it",
    "leave me alone",
    "take me off",
    "goodbye",
    "bye",
    "hang up",
    "hold on",
    "one moment",
};

const std::vector<std::string> kEnAdverb = {
    "",      "not",   "never", "just",    "really", "maybe",  "please", "already",
    "can't", "won't", "don't", "can you", "i want", "i need", "let's",
};
const std::vector<std::string> kEnVerb = {
    "call",   "send",     "email",   "text",    "buy",     "need",    "want",     "pay",
    "cancel", "book",     "try",     "check",   "sign",    "stop",    "visit",    "order",
    "switch", "renew",    "upgrade", "return",  "compare", "discuss", "schedule", "confirm",
    "refund", "transfer", "install", "explain", "mail",    "change",
};
const std::vector<std::string> kEnObject = {
    "me",          "it",      "later",        "info",     "details", "price",    "brochure",
    "contract",    "offer",   "plan",         "deal",     "quote",   "discount", "trial",
    "appointment", "account", "number",       "address",  "manager", "policy",   "loan",
    "card",        "package", "subscription", "service",  "product", "course",   "lesson",
    "panels",      "survey",  "membership",   "coverage", "payment", "order",    "invoice",
    "samples",     "catalog", "tickets",      "upgrade",  "today",
};

// Words around the phrase; small talk, no script words meant.
const std::vector<std::string> kEnChatter = {
    "well",  "yeah",   "so",       "hello",  "sorry", "look",      "honestly",
    "right", "i mean", "you know", "listen", "hey",   "what",      "uh",
    "hmm",   "like",   "see",      "anyway", "um",    "well then", "oh",
};
const std::vector<std::string> kEnSmallTalk = {
    "hello who is speaking there",    "sorry i could not catch that",
    "what was that you said",         "hang on the kids are shouting",
    "yeah hello is anybody there",    "who gave you this line",
    "i was just about to go out",     "can you speak up a little",
    "my phone battery is low",        "wait what is this about then",
    "i think you have the wrong guy", "who are you calling for",
    "is this some kind of survey",    "you are breaking up a bit",
    "what time is it over there",     "sorry my dog is barking",
    "is this about my delivery",      "how are you doing today then",
};

// ---- data ------------------------------------------------------------------

struct Corpus {
  Lang lang;
  std::string locale;
  std::vector<std::string> fillers;
  std::vector<std::string> phrases;     ///< as written in the script
  std::vector<std::string> normalized;  ///< the same, normalised: what the peers search for
  std::string yaml;
  std::vector<std::string> raw;         ///< utterances as the recogniser hands them over
  std::vector<std::string> utterances;  ///< the same, normalised
  std::shared_ptr<const patter::Script> script;
};

patter::NormalizeOptions normalize_options(Lang lang) {
  if (lang == Lang::zh) return {.locale = "zh-CN", .fillers = {"嗯", "啊", "呃"}};
  return {.locale = "en-US", .fillers = {"um", "uh", "er"}};
}

/// All candidate phrases, hand-listed ones first, each distinct after
/// normalisation, in a fixed order; sizes take a prefix of it.
std::vector<std::string> phrase_pool(Lang lang, const patter::Normalizer& norm) {
  Rng rng(lang == Lang::zh ? 0x5A17u : 0xE417u);
  std::vector<std::string> core, rest;
  if (lang == Lang::zh) {
    core = kZhCore;
    for (const auto& p : kZhPrefix)
      for (const auto& c : kZhCore)
        for (std::size_t s = 0; s <= kZhSuffix.size(); ++s)
          rest.push_back(p + c + (s ? kZhSuffix[s - 1] : ""));
    for (const auto& s : kZhSubject)
      for (const auto& a : kZhAdverb)
        for (const auto& v : kZhVerb)
          for (const auto& o : kZhObject)
            for (const char* t : {"", "了", "吧"}) rest.push_back(s + a + v + o + t);
  } else {
    core = kEnCore;
    const auto join = [](std::initializer_list<std::string_view> words) {
      std::string out;
      for (const auto w : words) {
        if (w.empty()) continue;
        if (!out.empty()) out += ' ';
        out += w;
      }
      return out;
    };
    for (const auto& a : kEnAdverb)
      for (const auto& v : kEnVerb) {
        rest.push_back(join({a, v}));
        for (const auto& o : kEnObject) rest.push_back(join({a, v, o}));
      }
    for (const auto& c : kEnCore)
      for (const auto& a : {"really", "just", "right now", "today", "please"}) {
        rest.push_back(join({a, c}));
        rest.push_back(join({c, a}));
      }
  }
  rng.shuffle(core);
  rng.shuffle(rest);
  std::vector<std::string> pool;
  std::set<std::string> seen;
  for (auto* list : {&core, &rest}) {
    for (auto& p : *list) {
      const std::size_t n = chars(p);
      const bool fits =
          lang == Lang::zh ? n >= 2 && n <= 6 : std::count(p.begin(), p.end(), ' ') <= 2;
      if (fits && seen.insert(norm.normalize(p)).second) pool.push_back(std::move(p));
    }
  }
  return pool;
}

std::string yaml_quote(std::string_view s) {
  return '"' + std::string(s) + '"';
}

/// A script whose intents hold the phrases, five each, and whose one node
/// routes every intent to a hang-up, so it loads with nothing to warn about.
std::string make_script(Lang lang, const std::vector<std::string>& phrases,
                        const patter::NormalizeOptions& opts) {
  const std::size_t intents = (phrases.size() + 4) / 5;
  std::string y;
  y.reserve(phrases.size() * 40 + intents * 12 + 512);
  y += "patter: 1\n";
  y += "id: match-bench-" + std::string(lang == Lang::zh ? "zh-" : "en-") +
       std::to_string(phrases.size()) + "\n";
  y += "version: \"1\"\n";
  y += "locale: " + opts.locale + "\n";
  y += "settings:\n  fillers: [";
  for (std::size_t i = 0; i < opts.fillers.size(); ++i)
    y += (i ? ", " : "") + yaml_quote(opts.fillers[i]);
  y += "]\n";
  y += "intents:\n";
  for (std::size_t i = 0; i < intents; ++i) {
    y += "  i" + std::to_string(i) + ":\n    phrases:\n";
    for (std::size_t p = i * 5; p < std::min(phrases.size(), i * 5 + 5); ++p)
      y += "      - " + yaml_quote(phrases[p]) + "\n";
  }
  y += "start: ask\n";
  y += "nodes:\n";
  y += "  ask:\n";
  y += lang == Lang::zh ? "    say: 您好，请问您现在方便吗？\n"
                        : "    say: Hi, is now a good time?\n";
  y += "    routes:\n      - intent: [";
  for (std::size_t i = 0; i < intents; ++i) y += (i ? ", i" : "i") + std::to_string(i);
  y += "]\n        to: bye\n";
  y += "    no_match: {then: bye}\n    no_input: {then: bye}\n";
  y += "  bye:\n";
  y += lang == Lang::zh ? "    say: 好的，再见。\n" : "    say: Thanks, goodbye.\n";
  y += "    hangup: completed\n";
  return y;
}

/// `n` characters of Chinese small talk, from a random place.
std::string zh_chatter(Rng& rng, std::size_t n) {
  // Every character of kZhChatter is three bytes of UTF-8.
  const std::size_t total = kZhChatter.size() / 3;
  const std::size_t at = rng.below(total - n + 1);
  return std::string(kZhChatter.substr(at * 3, n * 3));
}

/// Half the utterances hold one phrase of the script in small talk; the
/// other half are small talk alone. Raw text has punctuation and fillers,
/// as recognisers deliver it.
std::vector<std::string> make_utterances(Lang lang, const std::vector<std::string>& phrases) {
  Rng rng(0xC0FFEEu ^ (phrases.size() * 31) ^ (lang == Lang::zh ? 1u : 2u));
  std::vector<std::string> out;
  for (std::size_t k = 0; k < kUtterances; ++k) {
    const bool with_phrase = k % 2 == 0;
    std::string u;
    if (lang == Lang::zh) {
      // A stretch of small talk with the phrase said somewhere inside it,
      // a pause (comma) here and there.
      const std::string phrase = with_phrase ? rng.pick(phrases) : std::string();
      const std::string talk = zh_chatter(rng, 20 - chars(phrase));
      const std::size_t at = rng.below(chars(talk) + 1) * 3;
      if (rng.below(3) == 0) u += "嗯，";
      u += talk.substr(0, at);
      if (at > 0 && rng.below(2) == 0) u += "，";
      u += phrase;
      u += talk.substr(at);
      u += rng.below(2) ? "。" : "？";
    } else {
      if (with_phrase) {
        const std::string& phrase = rng.pick(phrases);
        std::string before, after;
        while (chars(before) + chars(after) + phrase.size() < 20) {
          const std::string& w = rng.pick(kEnChatter);
          if (rng.below(2))
            before += (before.empty() ? "" : " ") + w;
          else
            after += " " + w;
        }
        u = before.empty() ? phrase : before + ", " + phrase;
        u += after;
      } else {
        u = rng.pick(kEnSmallTalk);
      }
      if (!u.empty()) u[0] = static_cast<char>(u[0] - 'a' + 'A');  // recognisers capitalise
      u += rng.below(2) ? "." : "?";
    }
    out.push_back(std::move(u));
  }
  return out;
}

/// The data of each language and size, generated and checked once.
const Corpus& corpus(Lang lang, std::size_t size) {
  static std::map<std::pair<Lang, std::size_t>, std::unique_ptr<Corpus>> cache;
  auto& slot = cache[{lang, size}];
  if (slot) return *slot;
  auto c = std::make_unique<Corpus>();
  c->lang = lang;
  const patter::NormalizeOptions opts = normalize_options(lang);
  c->locale = opts.locale;
  c->fillers = opts.fillers;
  const patter::Normalizer norm(opts);
  std::vector<std::string> pool = phrase_pool(lang, norm);
  if (pool.size() < size) {
    std::fprintf(stderr, "only %zu distinct %s phrases for a set of %zu\n", pool.size(),
                 opts.locale.c_str(), size);
    std::abort();
  }
  pool.resize(size);
  c->phrases = std::move(pool);
  for (const auto& p : c->phrases) c->normalized.push_back(norm.normalize(p));
  c->yaml = make_script(lang, c->phrases, opts);
  c->raw = make_utterances(lang, c->phrases);
  for (const auto& u : c->raw) c->utterances.push_back(norm.normalize(u));

  const patter::LoadResult r =
      patter::load_string(c->yaml, "bench/generated-match-" + opts.locale + ".yaml");
  std::size_t shown = 0;
  for (const auto& d : r.diagnostics)
    if (d.severity == patter::Severity::error || shown++ < 5)
      std::fprintf(stderr, "%s\n", patter::format(d).c_str());
  if (!r.ok() || patter::has_errors(r.diagnostics) ||
      r.script->intents().size() != (size + 4) / 5) {
    std::fprintf(stderr, "generated %s script of %zu phrases does not load cleanly\n",
                 opts.locale.c_str(), size);
    std::abort();
  }
  c->script = r.script;
  slot = std::move(c);
  return *slot;
}

/// One utterance per iteration: the time column is the time per utterance.
/// `found` counts utterances in which something matched.
void report_per_utterance(benchmark::State& state, std::size_t phrases, std::int64_t found) {
  state.SetItemsProcessed(state.iterations());
  state.counters["per_utt"] =
      benchmark::Counter(static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["phrases"] = static_cast<double>(phrases);
  if (found >= 0)
    state.counters["hit%"] =
        100.0 * static_cast<double>(found) / static_cast<double>(state.iterations());
}

void report_compile(benchmark::State& state, std::size_t phrases) {
  state.counters["phrases"] = static_cast<double>(phrases);
  state.counters["phrases/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * phrases), benchmark::Counter::kIsRate);
  state.SetComplexityN(static_cast<std::int64_t>(phrases));
}

// ---- patter ----------------------------------------------------------------

/// Normalising alone: the text pipeline that runs before any matching.
void BM_Normalize(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  const patter::Normalizer& norm = c.script->matcher().normalizer();
  std::string out;
  out.reserve(256);
  std::size_t i = 0;
  for (auto _ : state) {
    norm.normalize(c.raw[i], out);
    benchmark::DoNotOptimize(out.data());
    i = (i + 1) & (kUtterances - 1);
  }
  report_per_utterance(state, size, -1);
}

/// Matching alone, on the normalised utterances the peers see: all phrases
/// found, word boundaries, leftmost-longest, negation, best intent.
void BM_Match(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  const patter::Matcher& m = c.script->matcher();
  patter::Understanding u;
  std::int64_t found = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    patter::detail::MatcherTesting::match_normalized(m, c.utterances[i], u);
    found += u.matched();
    i = (i + 1) & (kUtterances - 1);
  }
  report_per_utterance(state, size, found);
}

/// Building the matcher alone from a compiled script: the part of
/// BM_Compile that the peers' compile times compare with.
void BM_MatcherBuild(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  const patter::detail::MatcherInput input = patter::detail::matcher_input(*c.script);
  for (auto _ : state) {
    patter::Matcher m = patter::detail::build_matcher(input);
    benchmark::DoNotOptimize(&m);
  }
  report_compile(state, size);
}

/// What a call pays per turn: normalise the raw utterance, then match.
void BM_Understand(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  const patter::Matcher& m = c.script->matcher();
  patter::Understanding u;
  std::int64_t found = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    m.understand(c.raw[i], u);
    found += u.matched();
    i = (i + 1) & (kUtterances - 1);
  }
  report_per_utterance(state, size, found);
}

/// Loading the generated script: reading, checking and compiling, the
/// matcher included.
void BM_Compile(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  for (auto _ : state) {
    patter::LoadResult r = patter::load_string(c.yaml, "bench/generated-match.yaml");
    benchmark::DoNotOptimize(r.script);
  }
  report_compile(state, size);
}

// ---- Hyperscan -------------------------------------------------------------

#ifdef PATTER_HAVE_HYPERSCAN
/// A literal database in block mode and the scratch space to scan with it.
class HyperscanSet {
 public:
  explicit HyperscanSet(const std::vector<std::string>& literals) {
    std::vector<const char*> exprs;
    std::vector<std::size_t> lens;
    std::vector<unsigned> flags(literals.size(), 0), ids;
    for (std::size_t i = 0; i < literals.size(); ++i) {
      exprs.push_back(literals[i].data());
      lens.push_back(literals[i].size());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* error = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                             static_cast<unsigned>(literals.size()), HS_MODE_BLOCK, nullptr, &db_,
                             &error) != HS_SUCCESS) {
      error_ = error && error->message ? error->message : "hs_compile_lit_multi failed";
      hs_free_compile_error(error);
      return;
    }
    if (hs_alloc_scratch(db_, &scratch_) != HS_SUCCESS) error_ = "hs_alloc_scratch failed";
  }
  ~HyperscanSet() {
    hs_free_scratch(scratch_);
    hs_free_database(db_);
  }
  HyperscanSet(const HyperscanSet&) = delete;
  HyperscanSet& operator=(const HyperscanSet&) = delete;

  const std::string& error() const { return error_; }
  hs_database_t* db() const { return db_; }
  hs_scratch_t* scratch() const { return scratch_; }

 private:
  hs_database_t* db_ = nullptr;
  hs_scratch_t* scratch_ = nullptr;
  std::string error_;
};

/// Where the callback writes what it finds; allocated once.
struct HyperscanHits {
  struct Hit {
    unsigned id;
    unsigned long long to;
  };
  std::array<Hit, 64> hits;
  std::size_t count = 0;

  static int on_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
    auto* self = static_cast<HyperscanHits*>(ctx);
    if (self->count < self->hits.size()) self->hits[self->count] = {id, to};
    ++self->count;
    return 0;  // keep scanning: every phrase, as patter finds them
  }
};

/// The peer: one hs_scan per normalised utterance, all phrases as literals.
void BM_Hyperscan(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  const HyperscanSet set(c.normalized);
  if (!set.error().empty()) {
    state.SkipWithError(set.error().c_str());
    return;
  }
  HyperscanHits hits;
  std::int64_t found = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    hits.count = 0;
    const std::string& u = c.utterances[i];
    hs_scan(set.db(), u.data(), static_cast<unsigned>(u.size()), 0, set.scratch(),
            HyperscanHits::on_match, &hits);
    benchmark::DoNotOptimize(hits.hits.data());
    found += hits.count != 0;
    i = (i + 1) & (kUtterances - 1);
  }
  report_per_utterance(state, size, found);
}

void BM_HyperscanCompile(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  for (auto _ : state) {
    HyperscanSet set(c.normalized);
    if (!set.error().empty()) {
      state.SkipWithError(set.error().c_str());
      break;
    }
    benchmark::DoNotOptimize(set.db());
  }
  report_compile(state, size);
}
#endif

// ---- RE2::Set --------------------------------------------------------------

#ifdef PATTER_HAVE_RE2
RE2::Options re2_options() {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(
      std::int64_t{256} << 20);  // the default 8 MiB runs the DFA out of memory at 10,000 phrases
  return o;
}

/// All phrases as quoted literals in one unanchored set; nullptr if it fails.
std::unique_ptr<RE2::Set> re2_set(const std::vector<std::string>& literals, std::string& error) {
  auto set = std::make_unique<RE2::Set>(re2_options(), RE2::UNANCHORED);
  for (const auto& l : literals) {
    if (set->Add(RE2::QuoteMeta(l), &error) < 0) return nullptr;
  }
  if (!set->Compile()) {
    error = "RE2::Set::Compile failed";
    return nullptr;
  }
  return set;
}

/// The second peer: RE2::Set::Match per normalised utterance, reporting
/// which phrases occur.
void BM_RE2Set(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  std::string error;
  const auto set = re2_set(c.normalized, error);
  if (!set) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::vector<int> which;
  which.reserve(64);
  RE2::Set::ErrorInfo info{};
  std::int64_t found = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const bool any = set->Match(c.utterances[i], &which, &info);
    if (!any && info.kind != RE2::Set::kNoError) {
      state.SkipWithError("RE2::Set::Match failed (out of memory?)");
      break;
    }
    benchmark::DoNotOptimize(which.data());
    found += any;
    i = (i + 1) & (kUtterances - 1);
  }
  report_per_utterance(state, size, found);
}

void BM_RE2SetCompile(benchmark::State& state, Lang lang) {
  const auto size = static_cast<std::size_t>(state.range(0));
  const Corpus& c = corpus(lang, size);
  std::string error;
  for (auto _ : state) {
    auto set = re2_set(c.normalized, error);
    if (!set) {
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(set.get());
  }
  report_compile(state, size);
}
#endif

// ---- registration ----------------------------------------------------------

#define PATTER_PHRASES ->Arg(100)->Arg(1000)->Arg(10000)
#define PATTER_SCAN(fn)                                               \
  BENCHMARK_CAPTURE(fn, zh, Lang::zh)                                 \
      ->Name(#fn "_zh") PATTER_PHRASES->Unit(benchmark::kNanosecond); \
  BENCHMARK_CAPTURE(fn, en, Lang::en)->Name(#fn "_en") PATTER_PHRASES->Unit(benchmark::kNanosecond)
#define PATTER_BUILD(fn)                                              \
  BENCHMARK_CAPTURE(fn, zh, Lang::zh)                                 \
      ->Name(#fn "_zh") PATTER_PHRASES->Unit(benchmark::kMillisecond) \
      ->Complexity(benchmark::oN);                                    \
  BENCHMARK_CAPTURE(fn, en, Lang::en)                                 \
      ->Name(#fn "_en") PATTER_PHRASES->Unit(benchmark::kMillisecond) \
      ->Complexity(benchmark::oN)

PATTER_SCAN(BM_Normalize);
PATTER_SCAN(BM_Match);
PATTER_SCAN(BM_Understand);
PATTER_BUILD(BM_Compile);
PATTER_BUILD(BM_MatcherBuild);
#ifdef PATTER_HAVE_HYPERSCAN
PATTER_SCAN(BM_Hyperscan);
PATTER_BUILD(BM_HyperscanCompile);
#endif
#ifdef PATTER_HAVE_RE2
PATTER_SCAN(BM_RE2Set);
PATTER_BUILD(BM_RE2SetCompile);
#endif

}  // namespace

BENCHMARK_MAIN();

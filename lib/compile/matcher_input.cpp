#include "compile/matcher_input.hpp"

namespace patter::detail {

MatcherInput matcher_input(const Script& script) {
  MatcherInput in;
  const Settings& st = script.settings();
  in.normalize = NormalizeOptions{script.locale(), st.fillers};
  in.options.negation_window = st.negation_window;
  in.options.similarity_threshold = st.similarity_threshold;
  in.intents.reserve(script.intents().size());
  for (const Intent& i : script.intents())
    in.intents.push_back({i.phrases, i.patterns, i.examples, {}, i.opposite, i.priority, i.kind});
  in.variables.reserve(script.variables().size());
  for (const Variable& v : script.variables())
    in.variables.push_back({v.name, v.type == Variable::Type::number});
  return in;
}

}  // namespace patter::detail

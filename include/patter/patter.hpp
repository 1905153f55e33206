// patter/patter.hpp — the core in one include: load, script, match, session,
// desk. What a dialer links (patter::patter); authors' tools (conversation
// tests, simulation, funnels, evaluation) are in patter/tooling.hpp and link
// patter::tooling.
//
//   #include <patter/patter.hpp>
//
//   auto loaded = patter::load_file("script.yaml");
//   if (!loaded.ok()) {
//     for (auto& d : loaded.diagnostics) std::cerr << patter::format(d) << '\n';
//     return 1;
//   }
//   std::cout << patter::to_dot(*loaded.script);
#pragma once

#include "patter/desk.hpp"
#include "patter/diagnostic.hpp"
#include "patter/dot.hpp"
#include "patter/expr.hpp"
#include "patter/graph.hpp"
#include "patter/handoff.hpp"
#include "patter/ids.hpp"
#include "patter/loader.hpp"
#include "patter/matcher.hpp"
#include "patter/normalizer.hpp"
#include "patter/script.hpp"
#include "patter/session.hpp"
#include "patter/spec.hpp"
#include "patter/suggestions.hpp"
#include "patter/time_mention.hpp"
#include "patter/version.hpp"

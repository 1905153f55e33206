// patter/tooling.hpp — the core and the tools for script authors, in one
// include: conversation tests, simulated campaigns, funnels, measuring
// understanding, training. Link patter::tooling (it brings patter::patter).
//
//   #include <patter/tooling.hpp>
//
//   auto loaded = patter::load_file("script.yaml");
//   patter::TestLoad tests = patter::load_tests_file("script.tests.yaml");
//   patter::Stats stats(loaded.script);  // funnels of the calls you add
#pragma once

#include "patter/patter.hpp"
#include "patter/tooling/campaign.hpp"
#include "patter/tooling/campaign_options.hpp"
#include "patter/tooling/conversation_test.hpp"
#include "patter/tooling/evaluation.hpp"
#include "patter/tooling/simulation.hpp"
#include "patter/tooling/stats.hpp"
#include "patter/tooling/training.hpp"
#include "patter/tooling/training_assessment.hpp"

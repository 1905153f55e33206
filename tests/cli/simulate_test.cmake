# End-to-end tests of `patter simulate` and `patter stats` through the built
# tool (included from cli.cmake, which sets _patter and _expect).
set(_scripts_dir ${PROJECT_SOURCE_DIR}/examples/scripts)
set(_out ${CMAKE_CURRENT_BINARY_DIR}/simulate)
file(MAKE_DIRECTORY ${_out})

# Every bundled script simulates with its own personas, found in examples/personas.
file(GLOB _persona_files CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/personas/*.personas.yaml)
foreach(_p IN LISTS _persona_files)
  get_filename_component(_n ${_p} NAME)
  string(REPLACE ".personas.yaml" ".yaml" _n "${_n}")
  set(_s ${_scripts_dir}/${_n})
  string(REPLACE "." "_" _n "${_n}")
  add_test(NAME cli_simulate_${_n}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};simulate;${_s};--calls;500;--agents;2;--robots-per-agent;3"
            -DEXIT=0 "-DMATCH=[0-9]+ personas.*funnel.*grades:.*escalations:.*agents over" -P ${_expect})
endforeach()

# A campaign with transcripts, results written as JSON lines ...
add_test(NAME cli_simulate_results
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--calls;300;--agents;2;--robots-per-agent;2;--seed;5;--transcripts;2;--grab-score;40;--results;${_out}/results.jsonl"
          -DEXIT=0 "-DMATCH=── [a-z_]+, grade [A-E]: .*robot +喂.*simulated 300 calls.*seed 5"
          -DFILE=${_out}/results.jsonl "-DFILE_MATCH=^{\"script\":\"edu_screening\".*\"call\":{\"persona\":" -P ${_expect})
set_tests_properties(cli_simulate_results PROPERTIES FIXTURES_SETUP simulate_results)
# ... read back by stats, with the traffic overlay.
add_test(NAME cli_stats_from_results
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};stats;${_out}/results.jsonl;--script;${_scripts_dir}/screening.zh-CN.yaml;--dot;${_out}/traffic.dot"
          -DEXIT=0 "-DMATCH=300 calls of edu_screening.*funnel.*opening.*agents over"
          -DFILE=${_out}/traffic.dot "-DFILE_MATCH=^digraph .*penwidth=10\\.00" -P ${_expect})
set_tests_properties(cli_stats_from_results PROPERTIES FIXTURES_REQUIRED simulate_results FIXTURES_SETUP simulate_dot)
add_test(NAME cli_stats_json
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};stats;--json;${_out}/results.jsonl"
          -DEXIT=0 "-DMATCH=^{\"script\":\"edu_screening\",\"calls\":300,.*\"funnel\":\\[" -P ${_expect})
set_tests_properties(cli_stats_json PROPERTIES FIXTURES_REQUIRED simulate_results)
find_program(PATTER_DOT_EXECUTABLE dot)
if(PATTER_DOT_EXECUTABLE)
  add_test(NAME cli_stats_dot_renders
    COMMAND ${PATTER_DOT_EXECUTABLE} -Tsvg ${_out}/traffic.dot -o ${_out}/traffic.svg)
  set_tests_properties(cli_stats_dot_renders PROPERTIES FIXTURES_REQUIRED simulate_dot)
endif()

# The same seed gives the same report, byte for byte (JSON, no timings).
add_test(NAME cli_simulate_json
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/invitation.zh-CN.yaml;--calls;200;--agents;1;--robots-per-agent;3;--json"
          -DEXIT=0 "-DMATCH=^{\"script\":\"member_day_invitation\",\"calls\":200,.*\"simulation\":{\"agents\":1,.*\"errors\":0}}"
          -P ${_expect})

# Bad lines are named and skipped; the exit status says so.
file(WRITE ${_out}/bad.jsonl
  "{\"script\":\"x\",\"outcome\":\"hangup\",\"grade\":\"D\",\"path\":[\"a\",\"b\"]}\n"
  "not json\n"
  "\n"
  "{\"outcome\":\"hangup\"}\n")
add_test(NAME cli_stats_bad_lines
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};stats;${_out}/bad.jsonl" -DEXIT=1
          "-DMATCH=1 call of x.*2 lines skipped.*bad\\.jsonl:2: skipped: not JSON.*bad\\.jsonl:4: skipped: no \"path\""
          -P ${_expect})

# Persona mistakes point at the file, line and column.
file(WRITE ${_out}/typo.personas.yaml
  "patter_personas: 1\n"
  "variables: {customer_name: [张先生]}\n"
  "personas:\n"
  "  hot:\n"
  "    nodes:\n"
  "      ask_eduction: {affirm: 1}\n")
add_test(NAME cli_simulate_bad_personas
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--personas;${_out}/typo.personas.yaml"
          -DEXIT=1 "-DMATCH=typo\\.personas\\.yaml:6:7: error\\[P021\\]: the script has no node `ask_eduction`; did you mean `ask_education`\\?"
          -P ${_expect})

# Usage mistakes exit 2.
add_test(NAME cli_simulate_usage
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--calls;0"
          -DEXIT=2 "-DMATCH=`--calls` needs a number above 0" -P ${_expect})
add_test(NAME cli_stats_dot_needs_script
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};stats;x.jsonl;--dot;x.dot" -DEXIT=2 "-DMATCH=`--dot` needs `--script`"
          -P ${_expect})

# `--opt=value` as well as `--opt value`; each number says which it takes.
add_test(NAME cli_simulate_option_equals_value
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/invitation.zh-CN.yaml;--calls=100;--agents=2;--seed=7;--json"
          -DEXIT=0 "-DMATCH=^{\"script\":\"member_day_invitation\",\"calls\":100,.*\"simulation\":{\"agents\":2,\"robots_per_agent\":3,\"seed\":7,"
          -P ${_expect})
add_test(NAME cli_simulate_number_out_of_range
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--agents=0"
          -DEXIT=2 "-DMATCH=`--agents` needs a number from 1 to 100000" -P ${_expect})
add_test(NAME cli_simulate_not_a_number
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--seed;many"
          -DEXIT=2 "-DMATCH=`--seed` needs a number\n" -P ${_expect})
add_test(NAME cli_simulate_needs_script
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};simulate;--calls;10" -DEXIT=2
          "-DMATCH=simulate needs a SCRIPT\n\n.*usage: patter simulate" -P ${_expect})

# Pacing: the robots hold their dial when people fall behind; the report
# says which share of escalations was never taken.
add_test(NAME cli_simulate_pacing
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--calls;300;--agents;2;--pacing;--abandon-target;5%"
          -DEXIT=0 "-DMATCH=escalations: [0-9]+ raised.*never taken \\([0-9.]+%\\).*agents over.*utilisation" -P ${_expect})
add_test(NAME cli_simulate_bad_abandon_target
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--pacing;--abandon-target;120%"
          -DEXIT=2 "-DMATCH=`--abandon-target` takes a share above 0% and below 100% \\(3% or 0.03\\), not `120%`" -P ${_expect})
add_test(NAME cli_simulate_pacing_by_age_needs_pacing
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--pacing-by-age"
          -DEXIT=2 "-DMATCH=`--pacing-by-age` needs `--pacing`" -P ${_expect})
add_test(NAME cli_simulate_idle_grab_score_needs_pacing
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--idle-grab-score;1"
          -DEXIT=2 "-DMATCH=`--idle-grab-score` needs `--pacing`" -P ${_expect})
add_test(NAME cli_simulate_pacing_idle_grabs
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--calls;300;--agents;2;--pacing;--idle-grab-score;1"
          -DEXIT=0 "-DMATCH=never taken \\([0-9.]+%\\); [1-9][0-9]* grabbed early" -P ${_expect})
add_test(NAME cli_simulate_abandon_target_needs_pacing
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};simulate;${_scripts_dir}/screening.zh-CN.yaml;--abandon-target;3%"
          -DEXIT=2 "-DMATCH=`--abandon-target` needs `--pacing`" -P ${_expect})

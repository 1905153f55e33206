# End-to-end tests of the built `patter` tool.
if(NOT TARGET patter_cli)
  return()
endif()
set(_patter $<TARGET_FILE:patter_cli>)
set(_expect ${CMAKE_CURRENT_LIST_DIR}/expect.cmake)

# Every bundled script validates, and says what it is.
file(GLOB _scripts CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/scripts/*.yaml)
foreach(_s IN LISTS _scripts)
  get_filename_component(_n ${_s} NAME)
  string(REPLACE "." "_" _n "${_n}")
  add_test(NAME cli_validate_${_n}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;--werror;${_s}" -DEXIT=0 "-DMATCH=: ok" -P ${_expect})
  add_test(NAME cli_graph_${_n}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};graph;${_s};-o;${CMAKE_CURRENT_BINARY_DIR}/${_n}.dot" -DEXIT=0
            -DFILE=${CMAKE_CURRENT_BINARY_DIR}/${_n}.dot "-DFILE_MATCH=^digraph .*->" -P ${_expect})
endforeach()

# Every fixture fails (or warns) with its own code, compiler style.
file(GLOB _fixtures ${PROJECT_SOURCE_DIR}/tests/fixtures/P*.yaml)
foreach(_f IN LISTS _fixtures)
  get_filename_component(_n ${_f} NAME)
  string(SUBSTRING ${_n} 0 4 _code)
  if(IS_DIRECTORY ${_f})
    add_test(NAME cli_fixture_${_code}
      COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${_f}" -DEXIT=1 "-DMATCH=error\\[${_code}\\]" -P ${_expect})
    continue()
  endif()
  file(STRINGS ${_f} _header LIMIT_COUNT 3 REGEX "^# (expect|options):")
  if(_header MATCHES "options:")
    continue()  # needs LoadOptions the tool does not expose; covered by diagnostic_test
  endif()
  string(REGEX MATCH "expect: P[0-9]+ ([0-9]+):([0-9]+)" _m "${_header}")
  set(_line ${CMAKE_MATCH_1})
  set(_col ${CMAKE_MATCH_2})
  if(_line STREQUAL "0")
    set(_where "${_n}: ")
  else()
    set(_where "${_n}:${_line}:${_col}: ")
  endif()
  string(SUBSTRING ${_code} 1 1 _family)
  if(_code MATCHES "^P04[03]$|^P04[567]$|^P064$|^P06[67]$|^P073$|^P084$")
    set(_sev warning)
    set(_exit 0)
  elseif(_code STREQUAL "P044")
    set(_sev note)
    set(_exit 0)
  else()
    set(_sev error)
    set(_exit 1)
  endif()
  string(REPLACE "." "\\." _where_re "${_where}")
  add_test(NAME cli_fixture_${_code}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${_f}" -DEXIT=${_exit}
            "-DMATCH=${_where_re}${_sev}\\[${_code}\\]" -P ${_expect})
endforeach()

# Warnings fail with --werror; --json is machine-readable.
add_test(NAME cli_validate_werror
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;--werror;${PROJECT_SOURCE_DIR}/tests/fixtures/P040-unreachable_node.yaml"
          -DEXIT=1 "-DMATCH=warning\\[P040\\]" -P ${_expect})
add_test(NAME cli_validate_json
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;--json;${PROJECT_SOURCE_DIR}/tests/fixtures/P021-unknown_node.yaml"
          -DEXIT=1 "-DMATCH=\"code\":\"P021\",\"name\":\"unknown_node\"" -P ${_expect})
add_test(NAME cli_graph_stdout
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};graph;${PROJECT_SOURCE_DIR}/examples/scripts/screening.zh-CN.yaml"
          -DEXIT=0 "-DMATCH=^digraph" -P ${_expect})
add_test(NAME cli_graph_of_a_bad_script
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};graph;${PROJECT_SOURCE_DIR}/tests/fixtures/P042-trap_cycle.yaml"
          -DEXIT=1 "-DMATCH=error\\[P042\\]" -DNOMATCH=digraph -P ${_expect})
add_test(NAME cli_usage_no_command
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter}" -DEXIT=2 "-DMATCH=usage: patter" -P ${_expect})
add_test(NAME cli_usage_unknown_command
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};valdate" -DEXIT=2 "-DMATCH=unknown command `valdate`" -P ${_expect})
add_test(NAME cli_usage_unknown_option
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;--jsn;x.yaml" -DEXIT=2 "-DMATCH=unknown option" -P ${_expect})
add_test(NAME cli_version
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};version" -DEXIT=0 "-DMATCH=patter [0-9]+\\.[0-9]+\\.[0-9]+" -P ${_expect})

# Shared libraries validate on their own.
file(GLOB _libraries CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/intents/*.yaml)
foreach(_l IN LISTS _libraries)
  get_filename_component(_n ${_l} NAME)
  string(REPLACE "." "_" _n "${_n}")
  add_test(NAME cli_validate_library_${_n}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;--werror;${_l}" -DEXIT=0 "-DMATCH=: ok — library" -P ${_expect})
endforeach()

# simulate and stats, in a file of their own.
include(${CMAKE_CURRENT_LIST_DIR}/simulate_test.cmake)

# eval: its own file.
include(${CMAKE_CURRENT_LIST_DIR}/eval_test.cmake)

# chat and test: their own file.
include(${CMAKE_CURRENT_LIST_DIR}/chat_test.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/train_test.cmake)

# The command line: every command has its own --help; `--opt=value` and
# `--opt value` mean the same; a mistyped command or option gets the one meant.
foreach(_cmd validate graph chat test simulate stats eval)
  add_test(NAME cli_help_${_cmd}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};${_cmd};--help" -DEXIT=0
            "-DMATCH=^[^\n]+\nusage: patter ${_cmd} \\[OPTIONS\\].*Options:.*-h,--help.*exit status: 0 ok" -P ${_expect})
  add_test(NAME cli_help_of_${_cmd}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};help;${_cmd}" -DEXIT=0 "-DMATCH=usage: patter ${_cmd} \\[OPTIONS\\]"
            -P ${_expect})
endforeach()
add_test(NAME cli_help_lists_commands
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};--help" -DEXIT=0
          "-DMATCH=usage: patter .*Commands:.*validate.*graph.*chat.*test.*simulate.*stats.*eval.*version" -P ${_expect})
add_test(NAME cli_help_of_unknown_command
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};help;simulat" -DEXIT=2
          "-DMATCH=unknown command `simulat`; did you mean `simulate`\\?" -P ${_expect})
add_test(NAME cli_usage_unknown_command_suggests
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};valdate;x.yaml" -DEXIT=2
          "-DMATCH=unknown command `valdate`; did you mean `validate`\\?" -P ${_expect})
add_test(NAME cli_usage_unknown_option_suggests
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};simulate;x.yaml;--cals=100" -DEXIT=2
          "-DMATCH=unknown option `--cals` for simulate; did you mean `--calls`\\?\n\n.*usage: patter simulate"
          -P ${_expect})
add_test(NAME cli_usage_unknown_option_far_from_any
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};graph;x.yaml;--zzzzzz" -DEXIT=2 "-DMATCH=unknown option `--zzzzzz` for graph\n"
          -DNOMATCH=did -P ${_expect})
add_test(NAME cli_usage_unknown_top_option
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};--hepl" -DEXIT=2 "-DMATCH=unknown option `--hepl`; did you mean `--help`\\?"
          -P ${_expect})
add_test(NAME cli_usage_extra_positional
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};graph;a.yaml;b.yaml" -DEXIT=2
          "-DMATCH=graph takes one FILE, not also `b.yaml`" -P ${_expect})
add_test(NAME cli_usage_missing_value
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};graph;a.yaml;-o" -DEXIT=2 "-DMATCH=-o.*usage: patter graph" -P ${_expect})
add_test(NAME cli_version_option
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};--version" -DEXIT=0 "-DMATCH=^patter [0-9]+\\.[0-9]+\\.[0-9]+" -P ${_expect})

# What a new user meets first: its own file.
include(${CMAKE_CURRENT_LIST_DIR}/usability_test.cmake)
# Alias bombs are refused within a small memory limit.
include(${CMAKE_CURRENT_LIST_DIR}/alias_bomb_test.cmake)

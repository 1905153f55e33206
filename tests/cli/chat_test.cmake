# End-to-end tests of `patter chat` (driven through stdin) and `patter test`.
# Included from cli.cmake; uses its _patter and _expect.
set(_scripts_dir ${PROJECT_SOURCE_DIR}/examples/scripts)
set(_cli_dir ${CMAKE_CURRENT_LIST_DIR})

# ---- patter chat ----------------------------------------------------------------
add_test(NAME cli_chat_screening_to_a_person
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;${_scripts_dir}/screening.zh-CN.yaml;--var;customer_name=张先生"
          -DINPUT=${_cli_dir}/chat/screening.txt -DEXIT=0
          "-DMATCH=robot> 喂，您好，请问是张先生吗？.*customer> 是我\nrobot> 我是学程教育的课程顾问小林.*escalate: interested, priority high.*\\(suggestion\\) 学费要看学校.*call ended: outcome escalated, hang-up reason completed, escalated \\(interested\\), grade A.*result: \\{\"script\":\"edu_screening\""
          -P ${_expect})
add_test(NAME cli_chat_explain
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;${_scripts_dir}/screening.zh-CN.yaml;--explain;--var=customer_name=张先生"
          -DINPUT=${_cli_dir}/chat/screening.txt -DEXIT=0
          "-DMATCH=  \\? route 2 of `opening` \\(intent affirm, ask_who\\) -> `intro`" -P ${_expect})
add_test(NAME cli_chat_commands
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;${_scripts_dir}/appointment.en-US.yaml;--var;first_name=Dana"
          -DINPUT=${_cli_dir}/chat/appointment.txt -DEXIT=0
          "-DMATCH=/silence .*the listen times out.*robot> I'm Emma, calling from BrightSun Solar.*! bad_key.*! /key takes one key.*robot> Great. First, do you own your home.*! wrong_phase.*node ask_owner, phase robot.*! /back needs a node of the script, not `nowhere`.*robot> Great. First.*robot> I'm sorry for the trouble.*hang up: opt_out.*call ended: outcome escalated, hang-up reason opt_out"
          -DNOMATCH=anything -P ${_expect})
add_test(NAME cli_chat_unfinished_call
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;${_scripts_dir}/reactivation.zh-CN.yaml;--var;customer_name=陈先生"
          -DINPUT=${_cli_dir}/chat/unfinished.txt -DEXIT=0
          "-DMATCH=robot> 您.*在我们这儿咨询过房子装修.*call left unfinished: outcome none" -P ${_expect})
add_test(NAME cli_chat_missing_variable
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;${_scripts_dir}/screening.zh-CN.yaml"
          -DINPUT=${_cli_dir}/chat/unfinished.txt -DEXIT=2 "-DMATCH=customer_name.*--var customer_name=VALUE" -P ${_expect})
add_test(NAME cli_chat_bad_script
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;${PROJECT_SOURCE_DIR}/tests/fixtures/P021-unknown_node.yaml"
          -DINPUT=${_cli_dir}/chat/unfinished.txt -DEXIT=1 "-DMATCH=error\\[P021\\]" -P ${_expect})
add_test(NAME cli_chat_usage
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;--var;oops" -DEXIT=2 "-DMATCH=--var takes NAME=VALUE" -P ${_expect})

# ---- patter test ------------------------------------------------------------------
# Every bundled script has test cases beside it that pass and reach every node.
file(GLOB _tested CONFIGURE_DEPENDS ${_scripts_dir}/tests/*.tests.yaml)
foreach(_t IN LISTS _tested)
  get_filename_component(_n ${_t} NAME)
  string(REPLACE ".tests.yaml" ".yaml" _s ${_n})
  string(REPLACE "." "_" _id "${_s}")
  add_test(NAME cli_test_${_id}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;${_scripts_dir}/${_s}" -DEXIT=0
            "-DMATCH=  pass  .*nodes +[0-9]+/[0-9]+ +100%.*routes.*\n[0-9]+ passed, 0 failed\n$" -DNOMATCH=FAIL -P ${_expect})
endforeach()
add_test(NAME cli_test_folder
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;--quiet;${_scripts_dir}" -DEXIT=0
          "-DMATCH=appointment.*invitation.*reactivation.*screening.*\n[0-9]+ passed, 0 failed\n$" "-DNOMATCH=  pass  |FAIL" -P ${_expect})
# The ports of scripts written for other engines (examples/ports/*/): every
# node, route, intent and handler reached, every case passing.
add_test(NAME cli_test_ports
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;--quiet;${PROJECT_SOURCE_DIR}/examples/ports" -DEXIT=0
          "-DMATCH=coverage of formbot.*every node, route, intent and handler is reached\n.*coverage of sellbot.*every node, route, intent and handler is reached\n\n[0-9]+ passed, 0 failed\n$"
          "-DNOMATCH=FAIL|not reached" -P ${_expect})
file(GLOB _ports CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/examples/ports/*/*.yaml)
foreach(_s IN LISTS _ports)
  get_filename_component(_n ${_s} NAME)
  string(REPLACE "." "_" _n "${_n}")
  add_test(NAME cli_validate_port_${_n}
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;--werror;${_s}" -DEXIT=0 "-DMATCH=: ok" -P ${_expect})
endforeach()
add_test(NAME cli_test_failure_diff
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;${_cli_dir}/failing.tests.yaml" -DEXIT=1
          "-DMATCH=  pass  passes\n  FAIL  expects the wrong node\n  turn 2 \\([^)]*failing.tests.yaml:14:9\\): customer: 大专\n    node\n      - expected: ask_goal\n      \\+ actual:   intro\n    why:\n.*1 passed, 1 failed\n$"
          -P ${_expect})
add_test(NAME cli_test_json
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;--json;${_cli_dir}/failing.tests.yaml" -DEXIT=1
          "-DMATCH=^\\{\"files\":\\[\\{\"file\":.*\"what\":\"node\",\"expected\":\"ask_goal\",\"actual\":\"intro\".*\"coverage\":\\{\"nodes\":\\{\"covered\":2,.*\"passed\":1,\"failed\":1\\}\n$"
          -P ${_expect})
add_test(NAME cli_test_bad_file
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;${_cli_dir}/bad.tests.yaml" -DEXIT=1
          "-DMATCH=bad.tests.yaml:7:9: error\\[P010\\]: unknown key `nod` in a turn; did you mean `node`\\?"
          -P ${_expect})
add_test(NAME cli_test_no_tests
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;${PROJECT_SOURCE_DIR}/tests/fixtures/P040-unreachable_node.yaml" -DEXIT=1
          "-DMATCH=no test file for" -P ${_expect})
add_test(NAME cli_test_usage
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test" -DEXIT=2 "-DMATCH=usage: patter" -P ${_expect})
add_test(NAME cli_test_unknown_option
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;--jsn;x.yaml" -DEXIT=2 "-DMATCH=unknown option `--jsn`" -P ${_expect})

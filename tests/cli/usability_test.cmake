# The tool as a new user meets it: --werror says why it failed, validate
# takes the test and persona files beside the scripts, a missing variable
# is named with the option that gives it, one grade per call, pictures
# drawn with a CJK font (or a message naming the package to install).
# Included from cli.cmake; uses its _patter and _expect.
set(_scripts_dir ${PROJECT_SOURCE_DIR}/examples/scripts)
set(_out ${CMAKE_CURRENT_BINARY_DIR}/usability)
file(MAKE_DIRECTORY ${_out})

add_test(NAME cli_validate_werror_says_why
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;--werror;${PROJECT_SOURCE_DIR}/tests/fixtures/P040-unreachable_node.yaml"
          -DEXIT=1 "-DMATCH=P040-unreachable_node.yaml: failed — 1 warning, and --werror makes warnings fail"
          "-DNOMATCH=: ok" -P ${_expect})
add_test(NAME cli_validate_warning_without_werror
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${PROJECT_SOURCE_DIR}/tests/fixtures/P040-unreachable_node.yaml"
          -DEXIT=0 "-DMATCH=: ok — [a-z_]+, 4 nodes, 2 intents, 1 warning\n" -P ${_expect})

# Tests and personas beside the scripts are checked as what they are.
add_test(NAME cli_validate_tests_and_personas
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};validate;--werror;${PROJECT_SOURCE_DIR}/examples/personas/screening.zh-CN.personas.yaml;${_scripts_dir}/tests/screening.zh-CN.tests.yaml;${_scripts_dir}/screening.zh-CN.yaml"
          -DEXIT=0
          "-DMATCH=screening.zh-CN.personas.yaml: ok — personas, [0-9]+ for edu_screening\n.*screening.zh-CN.tests.yaml: ok — tests, [0-9]+ cases for edu_screening\n.*screening.zh-CN.yaml: ok — edu_screening"
          -DNOMATCH=error -P ${_expect})
add_test(NAME cli_validate_bad_tests_file
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${CMAKE_CURRENT_LIST_DIR}/bad.tests.yaml"
          -DEXIT=1 "-DMATCH=bad.tests.yaml:7:9: error\\[P010\\]: unknown key `nod` in a turn" -P ${_expect})
file(WRITE ${_out}/lone.personas.yaml "patter_personas: 1\nscript: nowhere_to_be_found\npersonas: []\n")
add_test(NAME cli_validate_personas_without_script
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${_out}/lone.personas.yaml"
          -DEXIT=0 "-DMATCH=lone.personas.yaml: skipped — personas for script `nowhere_to_be_found`, not checked: give the script too"
          -DNOMATCH=P010 -P ${_expect})
file(WRITE ${_out}/wrong.personas.yaml
     "patter_personas: 1\nscript: edu_screening\npersonas:\n  - name: x\n    share: 1\n    nodes:\n      no_such_node: {affirm: 1}\n")
add_test(NAME cli_validate_bad_personas
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${_scripts_dir}/screening.zh-CN.yaml;${_out}/wrong.personas.yaml"
          -DEXIT=1 "-DMATCH=wrong.personas.yaml:4:3: error\\[P011\\]: `personas` must be a map" -P ${_expect})

# chat: the missing variable by name, with the option that gives it.
add_test(NAME cli_chat_missing_variable_named
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;${_scripts_dir}/screening.zh-CN.yaml"
          -DINPUT=${CMAKE_CURRENT_LIST_DIR}/chat/unfinished.txt -DEXIT=2
          "-DMATCH=`customer_name`.*give it with --var customer_name=VALUE" -DNOMATCH=Options: -P ${_expect})
# One grade: the summary and the result line agree on a call left unfinished.
add_test(NAME cli_chat_one_grade
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};chat;${_scripts_dir}/screening.zh-CN.yaml;--var=customer_name=张先生"
          -DINPUT=${CMAKE_CURRENT_LIST_DIR}/chat/unfinished_graded.txt -DEXIT=0
          "-DMATCH=call left unfinished: outcome none, grade C,.*result: .*\"grade\":\"C\"" -P ${_expect})

# Pictures: Graphviz with a CJK font, or the package to install.
find_program(PATTER_DOT_EXECUTABLE dot)
if(PATTER_DOT_EXECUTABLE)
  add_test(NAME cli_graph_svg_cjk
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};graph;${_scripts_dir}/screening.zh-CN.yaml;--svg=${_out}/screening.svg"
            -DEXIT=0 -DNOMATCH=fonts-noto-cjk -DFILE=${_out}/screening.svg
            "-DFILE_MATCH=<svg.*font-family=\"(Noto Sans CJK SC|WenQuanYi Zen Hei)\".*喂" -P ${_expect})
  add_test(NAME cli_graph_png
    COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};graph;${_scripts_dir}/screening.zh-CN.yaml;--png;${_out}/screening.png"
            -DEXIT=0 -DFILE=${_out}/screening.png "-DFILE_MATCH=PNG" -P ${_expect})
endif()
add_test(NAME cli_graph_without_graphviz
  COMMAND ${CMAKE_COMMAND} "-DCMD=${CMAKE_COMMAND};-E;env;PATH=${_out}/no-such-dir;${_patter};graph;${_scripts_dir}/screening.zh-CN.yaml;--svg;${_out}/never.svg"
          -DEXIT=1 "-DMATCH=needs Graphviz's `dot`.*apt-get install graphviz fonts-noto-cjk" -P ${_expect})

# YAML and script slips whose first messages did not name their cause.
set(_msg ${CMAKE_CURRENT_LIST_DIR}/messages)
add_test(NAME cli_message_tab_indent
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${_msg}/tab.yaml" -DEXIT=1
          "-DMATCH=tab.yaml:9:1: error\\[P004\\]: a tab character indents this line; YAML indents with spaces only; replace the tab with spaces"
          -P ${_expect})
add_test(NAME cli_message_line_starts_with_brace
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${_msg}/brace.yaml" -DEXIT=1
          "-DMATCH=brace.yaml:10:7: error\\[P004\\]: `{name}, hello` starts with `{`, which YAML reads as the start of a map.*put the text in quotes: \"{name}, hello\""
          -P ${_expect})
add_test(NAME cli_message_capture_name_underscore
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${_msg}/capture.yaml" -DEXIT=1
          "-DMATCH=capture.yaml:9:31: error\\[P028\\]: capture name `bill_amount` .* has `_`: capture names take only letters and digits.*rename it `billamount`, here and under `variables:`"
          -P ${_expect})
add_test(NAME cli_message_quoted_number
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${_msg}/score.yaml" -DEXIT=1
          "-DMATCH=score.yaml:14:15: error\\[P027\\]: in `score >= '30'`: cannot compare a number with text using `>=`; '30' is text because of its quotes; write the number without them: 30"
          -DNOMATCH=quotes.on.both -P ${_expect})
# A test file known by its header, whatever its name.
add_test(NAME cli_validate_tests_by_header
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};validate;${CMAKE_CURRENT_LIST_DIR}/headers/screening-regressions.yaml"
          -DEXIT=0 "-DMATCH=screening-regressions.yaml: ok — tests, 1 cases for edu_screening" -DNOMATCH=P010 -P ${_expect})
add_test(NAME cli_test_file_with_header
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};test;${CMAKE_CURRENT_LIST_DIR}/headers/screening-regressions.yaml"
          -DEXIT=0 "-DMATCH=  pass  the customer answers.*1 passed, 0 failed" -P ${_expect})

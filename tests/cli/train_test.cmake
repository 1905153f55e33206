# End-to-end tests of `patter train`: commands piped through stdin, and a
# real terminal driven through tmux (train_tmux.sh). Included from cli.cmake;
# uses its _patter and _expect.
set(_train_script ${PROJECT_SOURCE_DIR}/examples/scripts/appointment.en-US.yaml)
set(_train_personas ${PROJECT_SOURCE_DIR}/examples/personas/appointment.en-US.personas.yaml)
set(_train_args train;${_train_script};--personas;${_train_personas};--calls;2;--seed;3)

add_test(NAME cli_train_piped_session
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};${_train_args};--forbid;best price"
          -DINPUT=${CMAKE_CURRENT_LIST_DIR}/train/session.txt -DEXIT=0
          "-DMATCH=!! the script escalates \\(interested\\): /grab takes the call\n> hello before taking the call\n  ! not_taken: take the call first.*you have the call.*! /back needs a node of the script, not `nowhere`.*`maybe` is not a hang-up reason.*unknown command `/nonsense`.*customer> .*ended: escalated.*call 1 \\(keen_owner\\): took over at offer_survey; grab on_time \\(\\+0.0 s\\); ended escalated, completed\n  key points 7/10:\n    \\+ \\[offer_survey\\] We offer a free.*    - \\[confirm_booking\\] Perfect.*  forbidden: \"risk-free\" in line 2.*call 2 \\(not_a_fit\\): not taken; no grab decision.*totals: 2 calls, 1 taken; grabs 1 on time, 0 early, 0 late, 0 missed.*key points 7/10 \\(70%\\); forbidden phrases 1\nscore 60.0/100: not passed \\(a forbidden phrase was said\\)\n$"
          -P ${_expect})
add_test(NAME cli_train_json_report_on_quit
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};${_train_args};--json"
          -DINPUT=${CMAKE_CURRENT_LIST_DIR}/train/quit.txt -DEXIT=0
          "-DMATCH=> /quit\n\n\\{\"script\":\"solar_survey_booking 1.1.0\",\"calls\":\\[\\{\"call\":1,\"persona\":\"keen_owner\",\"grab\":null,\"taken_at\":\"\",\"ended\":false.*\"passed\":true\\}\n$"
          -P ${_expect})
add_test(NAME cli_train_needs_personas
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};train;${_train_script}" -DEXIT=2
          "-DMATCH=train needs a SCRIPT and `--personas FILE`" -P ${_expect})
add_test(NAME cli_train_bad_calls
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};train;${_train_script};--personas;${_train_personas};--calls;0" -DEXIT=2
          "-DMATCH=`--calls` needs a number from 1 to 1000" -P ${_expect})
add_test(NAME cli_train_bad_personas
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};train;${_train_script};--personas;${PROJECT_SOURCE_DIR}/examples/personas/screening.zh-CN.personas.yaml"
          -DEXIT=1 "-DMATCH=screening.zh-CN.personas.yaml:[0-9]+:[0-9]+: error" -P ${_expect})

find_program(PATTER_TMUX tmux)
add_test(NAME cli_train_in_a_terminal
  COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/train_tmux.sh ${_patter} ${_train_script} ${_train_personas})
set_tests_properties(cli_train_in_a_terminal PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)

# End-to-end tests of `patter eval` through the built tool (included from
# cli.cmake, which sets _patter and _expect). The floors the evaluation sets
# must reach are PATTER_EVAL_FLOOR and PATTER_EVAL_OPT_OUT_FLOOR, set in
# tests/CMakeLists.txt.
set(_eval ${PROJECT_SOURCE_DIR}/tests/data/eval)
set(_eval_fx ${CMAKE_CURRENT_LIST_DIR}/eval)

# Each bundled evaluation set, on its script, at the floors.
foreach(_loc zh-CN en-US)
  add_test(NAME cli_eval_${_loc}
    COMMAND ${CMAKE_COMMAND}
            "-DCMD=${_patter};eval;${_eval}/${_loc}.tsv;--script;${_eval}/common.${_loc}.yaml;--floor;${PATTER_EVAL_FLOOR};--opt-out-floor;${PATTER_EVAL_OPT_OUT_FLOOR};${PATTER_EVAL_ARGS}"
            -DEXIT=0 "-DMATCH=replies understood, accuracy.*opt_out.*refusal_then_opt_out.*confusion" -P ${_expect})
endforeach()

# Below a floor: exit 1, and says which.
add_test(NAME cli_eval_below_floor
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};eval;${_eval_fx}/tiny.tsv;--script;${_eval_fx}/tiny.yaml;--floor;0.9"
          -DEXIT=1 "-DMATCH=2 of 3 replies understood.*accuracy 66.6667% is below the floor of 90%" -P ${_expect})
add_test(NAME cli_eval_opt_out_floor
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};eval;${_eval_fx}/tiny.tsv;--script;${_eval_fx}/tiny.yaml;--floor;0.5;--opt-out-floor;1"
          -DEXIT=1 "-DMATCH=opt-out recall 50% is below the floor of 100%" -P ${_expect})
# --misses lists what went wrong, with the matcher's explanation; --json is one object.
add_test(NAME cli_eval_misses
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};eval;${_eval_fx}/tiny.tsv;--script;${_eval_fx}/tiny.yaml;--misses"
          -DEXIT=0 "-DMATCH=misses \\(1\\).*tiny.tsv:5: expected opt_out, got none \\[refusal_then_opt_out\\]: 不用了 以后甭打了"
          -P ${_expect})
add_test(NAME cli_eval_json
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};eval;${_eval_fx}/tiny.tsv;--script;${_eval_fx}/tiny.yaml;--json"
          -DEXIT=0 "-DMATCH=^{\"script\":\"eval_tiny\",\"total\":3,\"correct\":2,.*\"confusion\":\\[\\[" -P ${_expect})
# A label the script lacks: an error at its line, unless allowed.
add_test(NAME cli_eval_unknown_label
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};eval;${_eval_fx}/unknown-label.tsv;--script;${_eval_fx}/tiny.yaml"
          -DEXIT=1 "-DMATCH=unknown-label.tsv:4:1: error\\[P023\\]: label `considering` names an intent the script `eval_tiny` does not have"
          -P ${_expect})
add_test(NAME cli_eval_unknown_label_allowed
  COMMAND ${CMAKE_COMMAND}
          "-DCMD=${_patter};eval;${_eval_fx}/unknown-label.tsv;--script;${_eval_fx}/tiny.yaml;--allow-unknown-labels"
          -DEXIT=0 "-DMATCH=2 of 3 replies understood.*warning\\[P023\\]" -P ${_expect})
# A broken set: its line and column.
add_test(NAME cli_eval_bad_set
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};eval;${_eval_fx}/missing-column.tsv;--script;${_eval_fx}/tiny.yaml"
          -DEXIT=1 "-DMATCH=missing-column.tsv:3:13: error\\[P012\\]: the category column is missing" -P ${_expect})
# Wrong usage: 2.
add_test(NAME cli_eval_usage
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};eval;${_eval_fx}/tiny.tsv" -DEXIT=2 "-DMATCH=needs `--script SCRIPT`"
          -P ${_expect})
add_test(NAME cli_eval_bad_floor
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};eval;${_eval_fx}/tiny.tsv;--script;${_eval_fx}/tiny.yaml;--floor;95"
          -DEXIT=2 "-DMATCH=takes a fraction from 0 to 1, not `95`" -P ${_expect})
add_test(NAME cli_eval_floor_equals_value
  COMMAND ${CMAKE_COMMAND} "-DCMD=${_patter};eval;${_eval_fx}/tiny.tsv;--script=${_eval_fx}/tiny.yaml;--floor=0.9"
          -DEXIT=1 "-DMATCH=accuracy 66.6667% is below the floor of 90%" -P ${_expect})

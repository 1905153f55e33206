# An alias bomb (one long phrase repeated through nested aliases, ten times
# a level) given to `patter validate` under a 200 MB address-space limit:
# a 64 KB file that stands for 64 TB, and a 154 KB one for far more, must
# both be refused with P008 at the alias that crossed the budget, never
# run out of memory.
#   cmake -DPATTER=path/to/patter -DDIR=scratch/dir -P alias_bomb_test.cmake
# Included from cli.cmake, it registers itself as a test.
# Under the sanitizers the address-space limit is left out (ASan reserves
# terabytes of shadow memory up front); the release build's run keeps it.
if(NOT CMAKE_SCRIPT_MODE_FILE)
  if(PATTER_SANITIZE OR PATTER_SANITIZE_THREAD)
    set(_limit_kb 0)
  else()
    set(_limit_kb 200000)
  endif()
  add_test(NAME cli_alias_bomb_refused_in_200mb
    COMMAND ${CMAKE_COMMAND} -DPATTER=${_patter} -DDIR=${CMAKE_CURRENT_BINARY_DIR}/alias_bomb
            -DLIMIT_KB=${_limit_kb} -P ${CMAKE_CURRENT_LIST_FILE})
  return()
endif()

file(MAKE_DIRECTORY ${DIR})
foreach(_case "64000;9;64" "154000;12;154")
  list(GET _case 0 _phrase)
  list(GET _case 1 _levels)
  list(GET _case 2 _kb)
  string(REPEAT "x" ${_phrase} _text)
  set(_yaml "patter: 1\nid: laughs\nlocale: en-US\nstart: a\nintents:\n  p0: &p0 [\"${_text}\"]\n")
  foreach(_l RANGE 1 ${_levels})
    math(EXPR _p "${_l} - 1")
    set(_items "*p${_p}")
    foreach(_i RANGE 1 9)
      string(APPEND _items ", *p${_p}")
    endforeach()
    string(APPEND _yaml "  p${_l}: &p${_l} [${_items}]\n")
  endforeach()
  string(APPEND _yaml "nodes:\n  a: {say: hi, hangup: completed}\n")
  set(_file ${DIR}/bomb-${_kb}k.yaml)
  file(WRITE ${_file} "${_yaml}")
  file(SIZE ${_file} _size)
  math(EXPR _limit "${_kb} * 1024 + 1024")
  if(_size GREATER _limit)
    message(FATAL_ERROR "${_file} is ${_size} bytes, meant to be about ${_kb} KB")
  endif()
  if(LIMIT_KB)
    set(_run "ulimit -v ${LIMIT_KB} && exec \"$0\" validate \"$1\"")
  else()
    set(_run "exec \"$0\" validate \"$1\"")
  endif()
  execute_process(
    COMMAND sh -c "${_run}" ${PATTER} ${_file}
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err TIMEOUT 20)
  set(_all "${_out}${_err}")
  if(NOT _rc STREQUAL "1" OR NOT _all MATCHES "bomb-${_kb}k\\.yaml:9:[0-9]+: error\\[P008\\]"
     OR _all MATCHES "bad_alloc")
    message(FATAL_ERROR "${_kb} KB bomb: exit ${_rc}, expected 1 and P008 on line 9\n${_all}")
  endif()
endforeach()

# Runs the layer check on tests/layers/fixture/, a tree that breaks the
# layers, and requires it to fail naming each finding's file and line.
#   cmake -DCHECK=<patter_layer_check> -DROOT=<fixture> -P expect_findings.cmake
execute_process(COMMAND ${CHECK} ${ROOT} --docs README.md
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message(STATUS "the check said:\n${out}${err}")
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "the check exited with ${rc} on a tree that breaks the layers; expected 1")
endif()
foreach(expected
    "lib/LAYERS:5:1: error: `lib/ghost/` does not exist"
    "lib/low/a.hpp:3:10: error: includes \"high/b.hpp\" of layer `high`, above its own layer `low`"
    "lib/stray/c.cpp:1:1: error: belongs to no layer"
    "README.md:1:1: error: does not show the layers as lib/LAYERS orders them; write \"low → high → ghost\""
    "4 finding\\(s\\)")
  if(NOT err MATCHES "${expected}")
    message(FATAL_ERROR "expected a line matching\n  ${expected}")
  endif()
endforeach()
if(err MATCHES "lib/high/b.hpp")
  message(FATAL_ERROR "an include down the layers (lib/high/b.hpp) was reported")
endif()

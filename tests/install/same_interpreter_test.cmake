# Configure patter with every optional part but Python off, without naming
# an interpreter, and check it chose EXPECTED with EXPECTED's own headers.
#   cmake -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -DEXPECTED=... -P same_interpreter_test.cmake
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR} -G ${GENERATOR} -DPATTER_BUILD_TESTS=OFF
          -DPATTER_BUILD_BENCH=OFF -DPATTER_BUILD_EXAMPLES=OFF -DPATTER_BUILD_TOOLS=OFF
          -DPATTER_BUILD_PYTHON=ON
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed (${rc}):\n${out}${err}")
endif()
load_cache(${WORK_DIR} READ_WITH_PREFIX got_ Python3_EXECUTABLE Python3_INCLUDE_DIR)
if(NOT got_Python3_EXECUTABLE STREQUAL EXPECTED)
  message(FATAL_ERROR "with tests off the build chose ${got_Python3_EXECUTABLE}, with tests on ${EXPECTED}")
endif()
execute_process(COMMAND ${EXPECTED} -c "import sysconfig; print(sysconfig.get_path('include'))"
                OUTPUT_VARIABLE include OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT got_Python3_INCLUDE_DIR STREQUAL include)
  message(FATAL_ERROR "headers from ${got_Python3_INCLUDE_DIR}, but ${EXPECTED} has ${include}")
endif()
message(STATUS "the same interpreter either way: ${EXPECTED}, headers ${include}")

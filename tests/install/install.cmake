# Installing the Python package the two ways the docs give, end to end
# (label `install`; the first run compiles the library once more):
#
#   install_pip_venv        `pip install --no-build-isolation .` into a fresh venv,
#                           import it there and run a call; `pip wheel` makes a wheel
#   install_cmake_python    `cmake --install` to a prefix; the interpreter imports the
#                           package from that prefix's site directory (sysconfig)
#
# Included by bindings/python/CMakeLists.txt (it knows the interpreter).
#
# The pip build compiles the library without optimisation (-O0 through
# CMAKE_ARGS): what the test checks is the packaging, and an optimised
# build of every source would take the longest of all the tests. It starts
# first (COST), so the other tests run beside it.
find_program(PATTER_CCACHE ccache)
set(_patter_install_cmake_args "-DCMAKE_CXX_FLAGS_RELEASE=-O0")
if(PATTER_CCACHE)
  string(APPEND _patter_install_cmake_args " -DCMAKE_CXX_COMPILER_LAUNCHER=${PATTER_CCACHE}")
endif()
set(_patter_install_env "CMAKE_BUILD_PARALLEL_LEVEL=2" "CMAKE_ARGS=${_patter_install_cmake_args}")
add_test(NAME install_pip_venv
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/pip_install_test.py
          ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/install-test/pip)
set_tests_properties(install_pip_venv PROPERTIES LABELS install TIMEOUT 1800 COST 1000
  ENVIRONMENT "${_patter_install_env}" PASS_REGULAR_EXPRESSION "ok: installed in a venv")

add_test(NAME install_cmake_python
  COMMAND ${CMAKE_COMMAND} -DPYTHON=${Python3_EXECUTABLE} -DBUILD_DIR=${PROJECT_BINARY_DIR}
          -DPREFIX=${PROJECT_BINARY_DIR}/install-test/prefix
          -P ${CMAKE_CURRENT_LIST_DIR}/cmake_install_python_test.cmake)
set_tests_properties(install_cmake_python PROPERTIES LABELS install TIMEOUT 300)

# A vendored copy (add_subdirectory) configures without the Python module.
add_test(NAME install_vendored_no_python
  COMMAND ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR}/vendored -B ${PROJECT_BINARY_DIR}/install-test/vendored
          -G ${CMAKE_GENERATOR} -DPATTER_SOURCE_DIR=${PROJECT_SOURCE_DIR})
set_tests_properties(install_vendored_no_python PROPERTIES LABELS install
  PASS_REGULAR_EXPRESSION "vendored patter: the library only")

# Without -DPython3_EXECUTABLE, the interpreter does not depend on the options:
# a configure with tests, examples and tools off picks the same one, and its
# headers are that interpreter's own (sysconfig).
if(PATTER_PYTHON_CHOSEN STREQUAL Python3_EXECUTABLE)
  add_test(NAME install_same_interpreter
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
            -DWORK_DIR=${PROJECT_BINARY_DIR}/install-test/options-off
            -DGENERATOR=${CMAKE_GENERATOR} -DEXPECTED=${Python3_EXECUTABLE}
            -P ${CMAKE_CURRENT_LIST_DIR}/same_interpreter_test.cmake)
  set_tests_properties(install_same_interpreter PROPERTIES LABELS install)
endif()

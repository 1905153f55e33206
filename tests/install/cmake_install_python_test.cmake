# `cmake --install BUILD --prefix PREFIX`, then PYTHON imports patter from
# PREFIX's site directory as sysconfig names it (scheme posix_prefix, the
# directory docs/python.md gives), with PYTHONPATH unset, from outside the
# source and build trees: the installed copy, not the build's.
#   cmake -DPYTHON=... -DBUILD_DIR=... -DPREFIX=... -P cmake_install_python_test.cmake
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}${err}")
endif()
string(REGEX MATCH "patter: the Python package goes to ([^\n]*)" _ "${out}")
message(STATUS "installed: ${CMAKE_MATCH_1}")
set(_check [=[
import site, sys, sysconfig, pathlib
prefix = sys.argv[1]
site_dir = sysconfig.get_path("platlib", "posix_prefix", vars={"base": prefix, "platbase": prefix})
site.addsitedir(site_dir)
import patter
where = pathlib.Path(patter.__file__).resolve()
assert where.is_relative_to(pathlib.Path(prefix).resolve()), f"imported {where}, not from {prefix}"
script = patter.load_file(sys.argv[2])
print("imported", where, "script", script.id, "nodes", len(script.nodes))
]=])
get_filename_component(_root ${CMAKE_CURRENT_LIST_DIR}/../.. ABSOLUTE)
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=PYTHONPATH
                        ${PYTHON} -c "${_check}" ${PREFIX} ${_root}/examples/scripts/appointment.en-US.yaml
                WORKING_DIRECTORY ${PREFIX}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the installed package does not import (${rc}):\n${out}${err}")
endif()
message(STATUS "${out}")

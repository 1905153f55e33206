# Included by the top-level CMakeLists.txt: decides whether the Python
# bindings are built.
#
# PATTER_BUILD_PYTHON: AUTO (the default when patter is the top-level
# project) builds them when Python's development files and pybind11 are
# found (Debian: python3-dev, pybind11-dev) and leaves them out otherwise;
# ON requires them; OFF (the default in a vendored copy, add_subdirectory)
# skips.
#
# One interpreter decides everything: Python3_EXECUTABLE. Its own sysconfig
# gives the headers compiled against, the tests run with it, and the
# install directory is computed from it (CMakeLists.txt). When it is not
# given, it is the first `python3` on PATH that can import pytest, else the
# first `python3` on PATH; the same whatever options are on.
if(PROJECT_IS_TOP_LEVEL)
  set(_patter_python_default AUTO)
else()
  set(_patter_python_default OFF)
endif()
set(PATTER_BUILD_PYTHON ${_patter_python_default} CACHE STRING "Build the Python bindings (AUTO, ON, OFF)")
set_property(CACHE PATTER_BUILD_PYTHON PROPERTY STRINGS AUTO ON OFF)

set(_patter_python_mode ${PATTER_BUILD_PYTHON})
string(TOUPPER "${_patter_python_mode}" _patter_python_mode)
set(PATTER_PYTHON_ENABLED OFF)
if(NOT _patter_python_mode STREQUAL "OFF" AND _patter_python_mode)
  # Debian's python3-pytest (and pybind11-dev) serve the system interpreter,
  # while a python3 earlier on PATH (pyenv, a virtualenv) may lack pytest.
  if(NOT Python3_EXECUTABLE)
    string(REPLACE ":" ";" _patter_path "$ENV{PATH}")
    set(_patter_first_py)
    foreach(_dir IN LISTS _patter_path)
      if(NOT _patter_py AND EXISTS "${_dir}/python3" AND NOT IS_DIRECTORY "${_dir}/python3")
        if(NOT _patter_first_py)
          set(_patter_first_py "${_dir}/python3")
        endif()
        execute_process(COMMAND "${_dir}/python3" -c "import pytest"
                        RESULT_VARIABLE _patter_rc OUTPUT_QUIET ERROR_QUIET)
        if(_patter_rc EQUAL 0)
          set(_patter_py "${_dir}/python3")
        endif()
      endif()
    endforeach()
    if(NOT _patter_py)
      set(_patter_py "${_patter_first_py}")
    endif()
    if(_patter_py)
      set(Python3_EXECUTABLE "${_patter_py}" CACHE FILEPATH "The Python interpreter for the bindings")
      set(PATTER_PYTHON_CHOSEN "${_patter_py}" CACHE INTERNAL "Python3_EXECUTABLE as chosen from PATH")
    endif()
  endif()
  # The headers of that interpreter, not of another Python found elsewhere.
  if(Python3_EXECUTABLE AND NOT Python3_INCLUDE_DIR)
    execute_process(
      COMMAND "${Python3_EXECUTABLE}" -c "import sysconfig; print(sysconfig.get_path('include'))"
      OUTPUT_VARIABLE _patter_py_include OUTPUT_STRIP_TRAILING_WHITESPACE
      RESULT_VARIABLE _patter_rc ERROR_QUIET)
    if(_patter_rc EQUAL 0 AND EXISTS "${_patter_py_include}/Python.h")
      set(Python3_INCLUDE_DIR "${_patter_py_include}" CACHE PATH "Python.h of Python3_EXECUTABLE")
    endif()
  endif()
  find_package(Python3 3.8 COMPONENTS Interpreter Development.Module QUIET)
  if(Python3_FOUND)
    find_package(pybind11 2.6 CONFIG QUIET)
  endif()
  if(Python3_FOUND AND pybind11_FOUND)
    set(PATTER_PYTHON_ENABLED ON)
    message(STATUS "patter: Python bindings for ${Python3_EXECUTABLE} (${Python3_VERSION}), pybind11 ${pybind11_VERSION}")
  elseif(_patter_python_mode STREQUAL "AUTO")
    message(STATUS "patter: Python bindings left out (needs Python 3 development files and pybind11)")
  else()
    message(FATAL_ERROR "PATTER_BUILD_PYTHON=ON needs Python 3 development files and pybind11 "
                        "(Debian: python3-dev pybind11-dev) for ${Python3_EXECUTABLE}")
  endif()
endif()

# An outside project builds against an *installed* patter, the way a dialer
# would: once through find_package(patter) and once through pkg-config.
#
#   consumer_install     cmake --install <build> --prefix <build>/tests/consumer/prefix
#   consumer_cmake       configure, build and run tests/consumer/ against that prefix
#                        (main.cpp links patter::patter, tooling.cpp patter::tooling)
#   consumer_pkg_config  compile main.cpp with `pkg-config --static patter`, tooling.cpp
#                        with `pkg-config --static patter-tooling`
#
# The tests use the library that the build made (ctest runs after the build);
# consumer_install fails with a clear message when it is missing.

set(_patter_consumer_dir ${CMAKE_CURRENT_BINARY_DIR}/consumer)
find_program(PATTER_PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf)

set(_patter_consumer_args
  -DPATTER_BINARY_DIR=${PROJECT_BINARY_DIR}
  -DPATTER_LIBRARY_FILE=$<TARGET_FILE:patter>
  -DPATTER_LIBDIR=${CMAKE_INSTALL_LIBDIR}
  -DCONSUMER_SOURCE_DIR=${CMAKE_CURRENT_LIST_DIR}
  -DWORK_DIR=${_patter_consumer_dir}
  -DCONFIG=$<CONFIG>
  -DGENERATOR=${CMAKE_GENERATOR}
  -DCXX=${CMAKE_CXX_COMPILER}
  -DSANITIZE=${PATTER_SANITIZE}
  -DPKG_CONFIG=${PATTER_PKG_CONFIG_EXECUTABLE})

foreach(_step IN ITEMS install cmake pkg_config)
  add_test(NAME consumer_${_step}
           COMMAND ${CMAKE_COMMAND} -DSTEP=${_step} ${_patter_consumer_args}
                   -P ${CMAKE_CURRENT_LIST_DIR}/consumer_test.cmake)
endforeach()
set_tests_properties(consumer_install PROPERTIES FIXTURES_SETUP patter_installed)
set_tests_properties(consumer_cmake consumer_pkg_config PROPERTIES
  FIXTURES_REQUIRED patter_installed)
if(NOT PATTER_PKG_CONFIG_EXECUTABLE)
  set_tests_properties(consumer_pkg_config PROPERTIES DISABLED TRUE)
endif()

# Run by consumer.cmake's tests as `cmake -DSTEP=... -P consumer_test.cmake`.
# STEP is install, cmake or pkg_config; the other variables come from
# consumer.cmake.

set(prefix ${WORK_DIR}/prefix)
set(expected "consumer: patter [0-9]+\\.[0-9]+\\.[0-9]+ loaded `consumer` with 3 nodes")

function(run what)
  execute_process(COMMAND ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

function(check_output what)
  message(STATUS "${what}: ${run_output}")
  if(NOT run_output MATCHES "${expected}")
    message(FATAL_ERROR "${what} printed\n${run_output}\nexpected a line matching\n${expected}")
  endif()
endfunction()

# The conversation-test consumer (tooling.cpp) runs one passing case.
function(check_tooling_output what)
  message(STATUS "${what}: ${run_output}")
  if(NOT run_output MATCHES "consumer tooling: 1 passed, 0 failed")
    message(FATAL_ERROR "${what} printed\n${run_output}\nexpected `consumer tooling: 1 passed, 0 failed`")
  endif()
endfunction()

if(SANITIZE)
  set(sanitize_flags -fsanitize=address,undefined)
endif()

if(STEP STREQUAL "install")
  if(NOT EXISTS "${PATTER_LIBRARY_FILE}")
    message(FATAL_ERROR "${PATTER_LIBRARY_FILE} does not exist: build the project "
                        "(cmake --build ${PATTER_BINARY_DIR}) before running the tests")
  endif()
  file(REMOVE_RECURSE ${prefix})
  set(config_args)
  if(CONFIG)
    set(config_args --config ${CONFIG})
  endif()
  run("cmake --install" ${CMAKE_COMMAND} --install ${PATTER_BINARY_DIR} --prefix ${prefix}
      ${config_args})
  foreach(f include/patter/patter.hpp ${PATTER_LIBDIR}/cmake/patter/patterConfig.cmake
            ${PATTER_LIBDIR}/cmake/patter/patterConfigVersion.cmake
            ${PATTER_LIBDIR}/cmake/patter/patterTargets.cmake
            ${PATTER_LIBDIR}/pkgconfig/patter.pc
            include/patter/tooling.hpp ${PATTER_LIBDIR}/pkgconfig/patter-tooling.pc)
    if(NOT EXISTS ${prefix}/${f})
      message(FATAL_ERROR "the install did not produce ${prefix}/${f}")
    endif()
  endforeach()
  message(STATUS "installed into ${prefix}")

elseif(STEP STREQUAL "cmake")
  set(build ${WORK_DIR}/cmake-build)
  file(REMOVE_RECURSE ${build})
  set(build_type ${CONFIG})
  if(NOT build_type)
    set(build_type Release)
  endif()
  string(JOIN " " linker_flags ${sanitize_flags})
  run("configuring the consumer" ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${build}
      -G ${GENERATOR} -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=${build_type}
      -DCMAKE_PREFIX_PATH=${prefix} "-DCMAKE_EXE_LINKER_FLAGS=${linker_flags}"
      # Only the prefix: a patter installed elsewhere on the machine must not be found.
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
  run("building the consumer" ${CMAKE_COMMAND} --build ${build})
  run("running the consumer" ${build}/patter_consumer)
  check_output("find_package consumer")
  run("running the tooling consumer" ${build}/patter_consumer_tooling)
  check_tooling_output("find_package tooling consumer")

elseif(STEP STREQUAL "pkg_config")
  set(ENV{PKG_CONFIG_PATH} ${prefix}/${PATTER_LIBDIR}/pkgconfig)
  run("pkg-config --modversion patter" ${PKG_CONFIG} --modversion patter)
  run("pkg-config --cflags patter" ${PKG_CONFIG} --cflags patter)
  separate_arguments(cflags UNIX_COMMAND "${run_output}")
  # The language level is the consumer's to choose (docs/embedding.md).
  if(run_output MATCHES "-std=")
    message(FATAL_ERROR "pkg-config --cflags patter forces a language level: `${run_output}`")
  endif()
  list(APPEND cflags -std=c++20)
  # The library is static: --static adds Requires.private (yaml-cpp, ICU, fmt).
  run("pkg-config --static --libs patter" ${PKG_CONFIG} --static --libs patter)
  separate_arguments(libs UNIX_COMMAND "${run_output}")
  # The .pc file is relocatable (paths relative to ${pcfiledir}): its include
  # directory must be the one in the prefix, wherever the prefix is.
  set(found_include FALSE)
  file(REAL_PATH ${prefix}/include want_include)
  foreach(flag IN LISTS cflags)
    if(flag MATCHES "^-I(.+)$")
      file(REAL_PATH "${CMAKE_MATCH_1}" dir)
      if(dir STREQUAL want_include)
        set(found_include TRUE)
      endif()
    endif()
  endforeach()
  if(NOT found_include)
    message(FATAL_ERROR "pkg-config --cflags patter gave `${cflags}`, without ${prefix}/include")
  endif()
  file(MAKE_DIRECTORY ${WORK_DIR}/pkg-config-build)
  set(exe ${WORK_DIR}/pkg-config-build/patter_consumer)
  run("compiling with pkg-config flags" ${CXX} ${sanitize_flags} ${cflags}
      ${CONSUMER_SOURCE_DIR}/main.cpp -o ${exe} ${libs}
      # For a shared build (-DBUILD_SHARED_LIBS=ON): find libpatter.so at run time.
      -Wl,-rpath,${prefix}/${PATTER_LIBDIR})
  run("running the pkg-config consumer" ${exe})
  check_output("pkg-config consumer")
  # The tooling library, through its own .pc (which requires patter's).
  run("pkg-config --static --libs patter-tooling" ${PKG_CONFIG} --static --libs patter-tooling)
  separate_arguments(libs UNIX_COMMAND "${run_output}")
  set(exe ${WORK_DIR}/pkg-config-build/patter_consumer_tooling)
  run("compiling the tooling consumer with pkg-config flags" ${CXX} ${sanitize_flags} ${cflags}
      ${CONSUMER_SOURCE_DIR}/tooling.cpp -o ${exe} ${libs} -Wl,-rpath,${prefix}/${PATTER_LIBDIR})
  run("running the pkg-config tooling consumer" ${exe})
  check_tooling_output("pkg-config tooling consumer")

else()
  message(FATAL_ERROR "unknown STEP `${STEP}`")
endif()

# The soak test: many calls through sessions and a desk in one process,
# resident memory flat, every invariant kept (tests/soak/soak.cpp).
# A short run is part of the suite; the million-call run has the label
# `soak` (ctest -L soak), which the usual runs leave out.
add_executable(patter_soak ${CMAKE_CURRENT_LIST_DIR}/soak.cpp)
target_link_libraries(patter_soak PRIVATE patter::patter patter_warnings)
target_compile_definitions(patter_soak PRIVATE PATTER_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_test(NAME soak_20k_calls COMMAND patter_soak --calls 20000)
add_test(NAME soak_1m_calls COMMAND patter_soak --calls 1000000)
set_tests_properties(soak_1m_calls PROPERTIES LABELS soak TIMEOUT 1200)

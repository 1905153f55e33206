# The layers of lib/LAYERS hold: every #include under lib/, include/ and
# tools/ goes down the order or stays in its layer, and the README and
# docs/architecture.md show the same order (layers_in_order). The check
# itself fails, naming file and line, on a tree that breaks the layers
# (layers_catch_upward_includes, on tests/layers/fixture/).
add_executable(patter_layer_check ${CMAKE_CURRENT_LIST_DIR}/layer_check.cpp)
target_link_libraries(patter_layer_check PRIVATE patter_warnings)
add_test(NAME layers_in_order
         COMMAND patter_layer_check ${PROJECT_SOURCE_DIR} --docs README.md docs/architecture.md)
add_test(NAME layers_catch_upward_includes
         COMMAND ${CMAKE_COMMAND} -DCHECK=$<TARGET_FILE:patter_layer_check>
                 -DROOT=${CMAKE_CURRENT_LIST_DIR}/fixture
                 -P ${CMAKE_CURRENT_LIST_DIR}/expect_findings.cmake)

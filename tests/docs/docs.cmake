# Every fenced code block of README.md and docs/*.md against this build:
# C++ compiled (the README's example run), Python run, `patter` commands
# executed, YAML and JSON parsed, scripts validated. See check_docs.py for
# what each info string gets. Label `docs`.
set(_patter_docs_libs $<TARGET_FILE:patter_tooling> $<TARGET_FILE:patter>
    $<TARGET_LINKER_FILE:yaml-cpp> $<TARGET_LINKER_FILE:ICU::i18n> $<TARGET_LINKER_FILE:ICU::uc>
    $<TARGET_LINKER_FILE:fmt::fmt>)
set(_patter_docs_flags -I${PROJECT_SOURCE_DIR}/include)
if(PATTER_SANITIZE)
  list(APPEND _patter_docs_flags -fsanitize=address,undefined)
endif()
add_test(NAME docs_code_blocks
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_docs.py
          --root ${PROJECT_SOURCE_DIR} --patter $<TARGET_FILE:patter_cli>
          --pythonpath ${PROJECT_BINARY_DIR}/bindings/python --cxx ${CMAKE_CXX_COMPILER}
          "--cxxflags=${_patter_docs_flags}" "--libs=${_patter_docs_libs}")
# The lists above are ;-separated in CMake; the script splits on spaces.
# It compiles every C++ block: started early (COST), beside the short tests.
set_tests_properties(docs_code_blocks PROPERTIES LABELS docs TIMEOUT 1200 COST 300)

# JSON Schema for script files, and the bundled example scripts checked
# against it. Uses Debian's python3 with python3-jsonschema and python3-yaml.
add_test(NAME schema_validates_bundled_scripts
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_LIST_DIR}/test_schema.py
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
# Exit code 77: the python modules are missing; reported as skipped.
set_tests_properties(schema_validates_bundled_scripts PROPERTIES SKIP_RETURN_CODE 77)

// YAML tree -> authoring model, with a diagnostic for every shape problem.
#pragma once

#include <string>
#include <vector>

#include "patter/diagnostic.hpp"
#include "patter/spec.hpp"
#include "yaml/yaml_tree.hpp"

namespace patter::detail {

enum class FileRole { script, library };

/// Read one file's tree into `out`. For libraries only intents, variables,
/// globals and nodes are allowed. `file_id` goes into every Mark;
/// `max_visits` bounds the work when aliases make the tree a DAG; returns
/// false when it ran out (the spec is then cut short and not worth compiling).
bool read_spec(const YamlTree& tree, const std::string& file, std::uint32_t file_id, FileRole role,
               std::size_t max_visits, ScriptSpec& out, std::vector<Diagnostic>& diagnostics);

}  // namespace patter::detail

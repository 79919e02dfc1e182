#pragma once

// A model the catalogue does not list, described by the user in the catalogue's own
// model-entry format (data/schema/model.schema.json) and checked by the same reader.

#include <edgeplan/core/catalog.hpp>
#include <edgeplan/core/result.hpp>

#include <string>

namespace edgeplan {

/// Reads one model entry: a bare entry object, or {"models": [entry]} with exactly one
/// entry. `name` is how messages name the file (the path as the user typed it). Problems
/// fail with ExitCode::bad_input, located as "<name>: <JSON pointer>" (pointers into a bare
/// entry start at its root: "/architecture/layers"), plus how many more problems there are.
Result<Model> read_model_spec(const std::string& text, const std::string& name);

} // namespace edgeplan

// Locating and loading the committed test data (test/vectors, test/geoip).
#pragma once

#include "json/json.h"

#include <memory>
#include <string>

namespace downstream::testing {

// The repository's test/ folder: $DOWNSTREAM_TEST_DIR if set, else found from the working
// directory (the Makefile runs tests from the repository root).
std::string test_dir();

// The text of test/<relative>; a missing or unreadable file fails the calling test loudly.
std::string read_test_file(const std::string& relative);

// test/vectors/<name> parsed as JSON; a missing or malformed file fails the test loudly.
std::unique_ptr<json::Document> load_vectors(const std::string& name);

}  // namespace downstream::testing

#include "support/test_data.h"

#include "json/json_parse.h"

#include <cppunit/TestAssert.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace downstream::testing {

std::string test_dir() {
    if (const char* dir = std::getenv("DOWNSTREAM_TEST_DIR")) return dir;
    struct stat st {};
    for (const char* candidate : {"test", "../test", "../../test"}) {
        const std::string probe = std::string(candidate) + "/vectors";
        if (stat(probe.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return candidate;
    }
    return "test";
}

std::string read_test_file(const std::string& relative) {
    const std::string path = test_dir() + "/" + relative;
    std::ifstream in(path, std::ios::binary);
    if (!in) CPPUNIT_FAIL("test data file missing: " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::unique_ptr<json::Document> load_vectors(const std::string& name) {
    const std::string text = read_test_file("vectors/" + name);
    json::ParseLimits limits;
    limits.max_depth = 64;
    auto doc = json::parse_json(text, limits);
    if (!doc.ok()) CPPUNIT_FAIL("vector file " + name + " does not parse: " + doc.error().message);
    return std::move(doc).value();
}

}  // namespace downstream::testing

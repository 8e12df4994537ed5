#include "integration/faults/db_fingerprint.h"

#include "integration/api/api_stack.h"

#include <cppunit/TestAssert.h>

#include <array>
#include <cstdio>
#include <memory>

namespace downstream::testing {

std::string database_fingerprint() {
    static const char* const kTables[] = {"schema_migrations", "node_settings", "addresses",
                                          "ip_token_counts",   "tokens",        "token_deletions",
                                          "files",             "chunk_pool",    "contracts"};
    std::string sql = "CHECKSUM TABLE ";
    std::string counts = "SELECT CONCAT_WS(' '";
    for (const char* table : kTables) {
        if (sql.back() != ' ') sql += ", ";
        sql += std::string("downstream.") + table;
        counts += std::string(", (SELECT COUNT(*) FROM downstream.") + table + ")";
    }
    const std::string command = "scripts/mariadb.sh sql " + stack_dir() + "/mariadb -N -e \"" + sql + "; " +
                                counts + ")\" 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) CPPUNIT_FAIL("cannot run " + command);
    std::string out;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) out.append(buffer.data(), n);
    const int status = pclose(pipe.release());
    if (status != 0 || out.find("downstream.contracts") == std::string::npos)
        CPPUNIT_FAIL("database fingerprint failed: " + out);
    return out;
}

}  // namespace downstream::testing

#include "store/migrations.h"

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <regex>

using namespace downstream::store;

class MigrationsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MigrationsTest);
    CPPUNIT_TEST(splitsAtSemicolonsOutsideQuotesAndComments);
    CPPUNIT_TEST(dropsCommentOnlyStatements);
    CPPUNIT_TEST(reportsUnterminatedQuotesAndComments);
    CPPUNIT_TEST(embeddedMigrationsAreNumberedFromOne);
    CPPUNIT_TEST(embeddedStatementsAreRepeatable);
    CPPUNIT_TEST(checksumIsSha256OfText);
    CPPUNIT_TEST_SUITE_END();

public:
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        auto parts = split_sql_statements(
            "CREATE TABLE a (x INT); -- a comment; with a semicolon\n"
            "INSERT INTO a VALUES ('it''s; fine'), (\"x;y\"), ('back\\'slash;');\n"
            "/* block; comment */ SELECT `we;ird` FROM a # trailing; comment\n");
        CPPUNIT_ASSERT(parts.ok());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, parts->size());
        CPPUNIT_ASSERT_EQUAL(std::string("CREATE TABLE a (x INT)"), (*parts)[0]);
        CPPUNIT_ASSERT_EQUAL(std::string("INSERT INTO a VALUES ('it''s; fine'), (\"x;y\"), ('back\\'slash;')"),
                             (*parts)[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("SELECT `we;ird` FROM a"), (*parts)[2]);
    }

    void dropsCommentOnlyStatements() {
        auto parts = split_sql_statements("-- only\n;  ;\n/* x */;\n# y\n");
        CPPUNIT_ASSERT(parts.ok());
        CPPUNIT_ASSERT(parts->empty());
        // "--" without a following space is not a comment in MySQL (it is minus minus).
        auto minus = split_sql_statements("SELECT 1--1");
        CPPUNIT_ASSERT_EQUAL(std::string("SELECT 1--1"), (*minus)[0]);
    }

    void reportsUnterminatedQuotesAndComments() {
        CPPUNIT_ASSERT(!split_sql_statements("SELECT 'open").ok());
        CPPUNIT_ASSERT(!split_sql_statements("SELECT 1 /* open").ok());
        CPPUNIT_ASSERT(!split_sql_statements("SELECT `open").ok());
    }

    void embeddedMigrationsAreNumberedFromOne() {
        const auto& all = embedded_migrations();
        CPPUNIT_ASSERT(!all.empty());
        for (std::size_t i = 0; i < all.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(static_cast<int>(i + 1), all[i].version);
            CPPUNIT_ASSERT(!all[i].name.empty());
        }
        CPPUNIT_ASSERT_EQUAL(std::string("init"), all[0].name);
    }

    void embeddedStatementsAreRepeatable() {
        // Every DDL statement must be safe to run again (a half-applied migration is re-run).
        const std::regex create(R"(^CREATE\s+(TABLE|INDEX|UNIQUE\s+INDEX)\s+IF\s+NOT\s+EXISTS\b)",
                                std::regex::icase);
        int tables = 0;
        for (const auto& m : embedded_migrations()) {
            auto statements = split_sql_statements(m.sql);
            CPPUNIT_ASSERT_MESSAGE(m.name, statements.ok());
            for (const auto& s : *statements) {
                if (s.rfind("CREATE", 0) == 0) {
                    CPPUNIT_ASSERT_MESSAGE(s.substr(0, 60), std::regex_search(s, create));
                    ++tables;
                    CPPUNIT_ASSERT_MESSAGE(s.substr(0, 60), s.find("PRIMARY KEY") != std::string::npos);
                    CPPUNIT_ASSERT_MESSAGE(s.substr(0, 60), s.find("ENGINE=InnoDB") != std::string::npos);
                    CPPUNIT_ASSERT_MESSAGE(s.substr(0, 60), s.find("utf8mb4") != std::string::npos);
                }
            }
        }
        CPPUNIT_ASSERT_EQUAL(8, tables);
    }

    void checksumIsSha256OfText() {
        const Migration m{1, "x", "abc"};
        CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                             migration_checksum(m));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MigrationsTest);

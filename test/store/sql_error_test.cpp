#include "store/sql_error.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace downstream::store;

// Messages as Poco 1.11's MySQL connector formats them (captured from MariaDB 10.11).
namespace {
const std::string kDeadlock =
    "MySQL: [MySQL]: [Comment]: mysql_stmt_execute error\t[mysql_stmt_error]: Deadlock found when "
    "trying to get lock; try restarting transaction\t[mysql_stmt_errno]: 1213\t"
    "[mysql_stmt_sqlstate]: 40001\t[statemnt]: UPDATE d SET v=2 WHERE id=1";
const std::string kGoneAwayOnCommit =
    "MySQL: [MySQL]: [Comment]: Commit failed.\t[mysql_error]: Server has gone away\t"
    "[mysql_errno]: 2006\t[mysql_sqlstate]: HY000";
const std::string kLost =
    "MySQL: [MySQL]: [Comment]: mysql_stmt_execute error\t[mysql_stmt_error]: Lost connection to "
    "server during query\t[mysql_stmt_errno]: 2013\t[mysql_stmt_sqlstate]: HY000\t[statemnt]: "
    "SELECT SLEEP(4)";
const std::string kUnknownColumn =
    "MySQL: [MySQL]: [Comment]: mysql_stmt_prepare error\t[mysql_stmt_error]: Unknown column "
    "'nope' in 'SELECT'\t[mysql_stmt_errno]: 1054\t[mysql_stmt_sqlstate]: 42S22\t[statemnt]: "
    "SELECT nope FROM t";
}  // namespace

class SqlErrorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SqlErrorTest);
    CPPUNIT_TEST(findsErrorNumbers);
    CPPUNIT_TEST(classifiesErrors);
    CPPUNIT_TEST(extractsServerText);
    CPPUNIT_TEST_SUITE_END();

public:
    void findsErrorNumbers() {
        CPPUNIT_ASSERT_EQUAL(1213, mysql_errno_in(kDeadlock));
        CPPUNIT_ASSERT_EQUAL(2006, mysql_errno_in(kGoneAwayOnCommit));
        CPPUNIT_ASSERT_EQUAL(2013, mysql_errno_in(kLost));
        CPPUNIT_ASSERT_EQUAL(1054, mysql_errno_in(kUnknownColumn));
        CPPUNIT_ASSERT_EQUAL(0, mysql_errno_in("Connection attempt failed: Can't connect to server"));
        CPPUNIT_ASSERT_EQUAL(0, mysql_errno_in("[mysql_errno]: "));
    }

    void classifiesErrors() {
        for (int n : {2002, 2003, 2006, 2013, 2055, 1927, 1053, 2030})
            CPPUNIT_ASSERT(classify_mysql_errno(n) == SqlErrorKind::Connection);
        for (int n : {1213, 1205})
            CPPUNIT_ASSERT(classify_mysql_errno(n) == SqlErrorKind::Conflict);
        for (int n : {0, 1054, 1062, 1146, 1064})
            CPPUNIT_ASSERT(classify_mysql_errno(n) == SqlErrorKind::Other);
    }

    void extractsServerText() {
        CPPUNIT_ASSERT_EQUAL(std::string("Deadlock found when trying to get lock; try restarting transaction"),
                             mysql_error_text(kDeadlock));
        CPPUNIT_ASSERT_EQUAL(std::string("Server has gone away"), mysql_error_text(kGoneAwayOnCommit));
        CPPUNIT_ASSERT_EQUAL(std::string("plain text"), mysql_error_text("plain text"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SqlErrorTest);

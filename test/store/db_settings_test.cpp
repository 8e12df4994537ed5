#include "store/db_settings.h"

#include <cppunit/extensions/HelperMacros.h>

using downstream::store::DbSettings;
using downstream::store::describe;
using downstream::store::parse_db_uri;

class DbSettingsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DbSettingsTest);
    CPPUNIT_TEST(parsesTcpUri);
    CPPUNIT_TEST(parsesSocketUriAndDefaults);
    CPPUNIT_TEST(decodesPercentEscapes);
    CPPUNIT_TEST(parsesTimeoutsAndIpv6);
    CPPUNIT_TEST(rejectsBadUris);
    CPPUNIT_TEST(describeHidesPassword);
    CPPUNIT_TEST_SUITE_END();

public:
    void parsesTcpUri() {
        auto s = parse_db_uri("mysql://node:secret@127.0.0.1:3410/downstream");
        CPPUNIT_ASSERT(s.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("node"), s->user);
        CPPUNIT_ASSERT_EQUAL(std::string("secret"), s->password);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), s->host);
        CPPUNIT_ASSERT_EQUAL(3410, s->port);
        CPPUNIT_ASSERT_EQUAL(std::string("downstream"), s->database);
        CPPUNIT_ASSERT(s->socket.empty());
    }

    void parsesSocketUriAndDefaults() {
        auto s = parse_db_uri("mariadb://downstream@localhost/dsn?socket=/run/mysqld/mysqld.sock");
        CPPUNIT_ASSERT(s.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("downstream"), s->user);
        CPPUNIT_ASSERT(s->password.empty());
        CPPUNIT_ASSERT_EQUAL(3306, s->port);
        CPPUNIT_ASSERT_EQUAL(std::string("dsn"), s->database);
        CPPUNIT_ASSERT_EQUAL(std::string("/run/mysqld/mysqld.sock"), s->socket);
        CPPUNIT_ASSERT_EQUAL(5, s->connect_timeout_s);
        CPPUNIT_ASSERT_EQUAL(60, s->read_timeout_s);
    }

    void decodesPercentEscapes() {
        auto s = parse_db_uri("mysql://us%40er:p%40ss%3Aw%2Fd@db.example:3306/my%5Fdb");
        CPPUNIT_ASSERT(s.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("us@er"), s->user);
        CPPUNIT_ASSERT_EQUAL(std::string("p@ss:w/d"), s->password);
        CPPUNIT_ASSERT_EQUAL(std::string("db.example"), s->host);
        CPPUNIT_ASSERT_EQUAL(std::string("my_db"), s->database);
        CPPUNIT_ASSERT(!parse_db_uri("mysql://u:bad%4@h/d").ok());
        CPPUNIT_ASSERT(!parse_db_uri("mysql://u:bad%zz@h/d").ok());
    }

    void parsesTimeoutsAndIpv6() {
        auto s = parse_db_uri("mysql://u@[::1]:3307/d?connect_timeout=2&read_timeout=0");
        CPPUNIT_ASSERT(s.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), s->host);
        CPPUNIT_ASSERT_EQUAL(3307, s->port);
        CPPUNIT_ASSERT_EQUAL(2, s->connect_timeout_s);
        CPPUNIT_ASSERT_EQUAL(0, s->read_timeout_s);
    }

    void rejectsBadUris() {
        const char* bad[] = {
            "postgres://u@h/d",                    // scheme
            "mysql://h/d",                         // no user
            "mysql://u@h",                         // no database
            "mysql://u@h/",                        // empty database
            "mysql://u@h:0/d",                     // port range
            "mysql://u@h:70000/d",
            "mysql://u@h:12x/d",
            "mysql://u@h/d?colour=blue",           // unknown parameter
            "mysql://u@db.example/d?socket=/s",    // socket needs localhost
            "mysql://u:a;b@h/d",                   // ';' cannot pass through Poco
            "mysql://u@h/d?connect_timeout=0",
        };
        for (const char* uri : bad)
            CPPUNIT_ASSERT_MESSAGE(uri, !parse_db_uri(uri).ok());
        // The error never repeats the password.
        auto e = parse_db_uri("mysql://u:topsecret@h:99999/d");
        CPPUNIT_ASSERT(!e.ok());
        CPPUNIT_ASSERT(e.error().message.find("topsecret") == std::string::npos);
    }

    void describeHidesPassword() {
        auto s = parse_db_uri("mysql://node:secret@127.0.0.1:3410/downstream");
        CPPUNIT_ASSERT_EQUAL(std::string("node@127.0.0.1:3410/downstream"), describe(*s));
        auto local = parse_db_uri("mysql://node@localhost/downstream?socket=/tmp/s.sock");
        CPPUNIT_ASSERT_EQUAL(std::string("node@localhost/downstream via socket /tmp/s.sock"),
                             describe(*local));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DbSettingsTest);

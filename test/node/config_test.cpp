#include "node/config.h"
#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace downstream::node;
using downstream::Status;

class ConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigTest);
    CPPUNIT_TEST(defaultsMatchTheDesign);
    CPPUNIT_TEST(parsesKeysCommentsAndBlankLines);
    CPPUNIT_TEST(unknownKeyNamesKeyAndLine);
    CPPUNIT_TEST(badLinesAndValuesAreErrorsAndApplyNothing);
    CPPUNIT_TEST(duplicateKeyInOneFileIsAnError);
    CPPUNIT_TEST(laterFilesWin);
    CPPUNIT_TEST(renderedConfigParsesBackToTheSameValues);
    CPPUNIT_TEST(committedExampleIsTheRenderedDefault);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaultsMatchTheDesign() {
        const Config c = default_config();
        CPPUNIT_ASSERT_EQUAL(std::string("/run/downstream-node/fcgi.sock"), c.fcgi_socket);
        CPPUNIT_ASSERT_EQUAL(4, c.threads);
        CPPUNIT_ASSERT_EQUAL(0, c.workers);
        CPPUNIT_ASSERT(c.effective_workers() >= 1);
        CPPUNIT_ASSERT(c.heartbeat_type == HeartbeatType::Merkle);
        CPPUNIT_ASSERT_EQUAL(std::string("/var/lib/downstream-node/heartbeat.key"), c.heartbeat_key_file);
        CPPUNIT_ASSERT_EQUAL(0.01, c.heartbeat_check_fraction);
        CPPUNIT_ASSERT_EQUAL(256, c.heartbeat_challenges);
        CPPUNIT_ASSERT_EQUAL(std::string("/usr/share/GeoIP/GeoLite2-City.mmdb"), c.geoip_mmdb);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{32768}, c.chunk_default_size);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{60}, c.contract_interval_s);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, c.limits_max_tokens_per_ip);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10000}, c.limits_min_balance);
        CPPUNIT_ASSERT(c.limits_require_signature);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1024}, c.limits_max_message_size);
        CPPUNIT_ASSERT_EQUAL(10, c.limits_max_chunks_per_request);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1073741824}, c.limits_max_size_per_address);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{16777216}, c.limits_max_body_size);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, c.proxy_trusted.size());
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), c.proxy_trusted[0]);
    }

    void parsesKeysCommentsAndBlankLines() {
        Config c = default_config();
        const Status s = apply_config_text(c,
                                           "# a comment\n"
                                           "\n"
                                           "   db.uri   =   mysql://u:p#not-a-comment@127.0.0.1:3410/d  \r\n"
                                           "workers = 3\n"
                                           "heartbeat.type=swizzle\n"
                                           "heartbeat.check_fraction = 0.25\n"
                                           "limits.require_signature = no\n"
                                           "proxy.trusted = 10.0.0.1, 10.0.0.2\n"
                                           "  # indented comment\n",
                                           "test.conf");
        CPPUNIT_ASSERT_MESSAGE(s.ok() ? "" : s.error().message, s.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("mysql://u:p#not-a-comment@127.0.0.1:3410/d"), c.db_uri);
        CPPUNIT_ASSERT_EQUAL(3, c.workers);
        CPPUNIT_ASSERT_EQUAL(3, c.effective_workers());
        CPPUNIT_ASSERT(c.heartbeat_type == HeartbeatType::Swizzle);
        CPPUNIT_ASSERT_EQUAL(0.25, c.heartbeat_check_fraction);
        CPPUNIT_ASSERT(!c.limits_require_signature);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, c.proxy_trusted.size());
        CPPUNIT_ASSERT_EQUAL(std::string("10.0.0.2"), c.proxy_trusted[1]);
        CPPUNIT_ASSERT_EQUAL(4, c.threads);  // untouched keys keep their defaults
    }

    void unknownKeyNamesKeyAndLine() {
        Config c = default_config();
        const Status s = apply_config_text(c, "threads = 2\n\n# x\ndb.url = mysql://u@h/d\n", "node.conf");
        CPPUNIT_ASSERT(!s.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("node.conf:4: unknown key 'db.url'"), s.error().message);
        CPPUNIT_ASSERT_EQUAL(4, c.threads);  // nothing applied
    }

    void badLinesAndValuesAreErrorsAndApplyNothing() {
        const char* bad[][2] = {
            {"threads 4\n", "node.conf:1: expected 'key = value'"},
            {"threads = four\n", "node.conf:1: threads: expected a whole number"},
            {"threads = 0\n", "node.conf:1: threads: must be between 1 and 256"},
            {"heartbeat.type = md5\n", "node.conf:1: heartbeat.type: must be merkle or swizzle"},
            {"heartbeat.check_fraction = 0\n", "node.conf:1: heartbeat.check_fraction: must be > 0 and <= 1"},
            {"limits.require_signature = maybe\n", "node.conf:1: limits.require_signature: must be true or false"},
            {"db.uri = postgres://x\n", "node.conf:1: db.uri: must start with mysql://"},
            {"threads = 3\nworkers = lots\n", "node.conf:2: workers: expected a whole number"},
            {"geoip.mmdb =\n", "node.conf:1: geoip.mmdb: must not be empty"},
        };
        for (const auto& [text, expected] : bad) {
            Config c = default_config();
            const Status s = apply_config_text(c, text, "node.conf");
            CPPUNIT_ASSERT_MESSAGE(text, !s.ok());
            CPPUNIT_ASSERT_MESSAGE(s.error().message, s.error().message.rfind(expected, 0) == 0);
            CPPUNIT_ASSERT_EQUAL(0, c.workers);
        }
    }

    void duplicateKeyInOneFileIsAnError() {
        Config c = default_config();
        const Status s = apply_config_text(c, "threads = 2\nthreads = 3\n", "a.conf");
        CPPUNIT_ASSERT(!s.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("a.conf:2: key 'threads' was already set on line 1"),
                             s.error().message);
    }

    void laterFilesWin() {
        char dir_template[] = "/tmp/config-test-XXXXXX";
        const std::string dir = mkdtemp(dir_template);
        const std::string a = dir + "/a.conf", b = dir + "/b.conf";
        std::ofstream(a) << "threads = 2\nlimits.min_balance = 5\n";
        std::ofstream(b) << "threads = 8\n";
        auto c = load_config({a, b});
        CPPUNIT_ASSERT(c.ok());
        CPPUNIT_ASSERT_EQUAL(8, c->threads);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, c->limits_min_balance);
        auto missing = load_config({a, dir + "/nope.conf"});
        CPPUNIT_ASSERT(!missing.ok());
        CPPUNIT_ASSERT(missing.error().message.find("nope.conf") != std::string::npos);
        std::remove(a.c_str());
        std::remove(b.c_str());
        rmdir(dir.c_str());
    }

    void renderedConfigParsesBackToTheSameValues() {
        Config c = default_config();
        CPPUNIT_ASSERT(apply_config_text(c, "workers = 7\nheartbeat.check_fraction = 0.3\n"
                                            "proxy.trusted = 1.2.3.4, ::1\n", "x").ok());
        Config back = default_config();
        const Status s = apply_config_text(back, render_config(c), "rendered");
        CPPUNIT_ASSERT_MESSAGE(s.ok() ? "" : s.error().message, s.ok());
        CPPUNIT_ASSERT_EQUAL(render_config(c), render_config(back));
        CPPUNIT_ASSERT_EQUAL(7, back.workers);
        CPPUNIT_ASSERT_EQUAL(0.3, back.heartbeat_check_fraction);
    }

    void committedExampleIsTheRenderedDefault() {
        // docs/node.conf.example is generated by `downstream-node config`; keep them equal.
        const std::string example =
            downstream::testing::read_test_file("../docs/node.conf.example");
        CPPUNIT_ASSERT_EQUAL(render_config(default_config()), example);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigTest);

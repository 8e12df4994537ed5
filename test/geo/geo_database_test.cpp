#include "geo/geo_database.h"

#include "support/test_data.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>
#include <unistd.h>
#include <vector>

namespace geo = downstream::geo;

namespace {

// The facts of test/geoip/README.md (MaxMind's synthetic test database; the coordinates as
// mmdblookup prints them).
geo::GeoDatabase open_test_database() {
    const std::string path = downstream::testing::test_dir() + "/geoip/GeoIP2-City-Test.mmdb";
    downstream::testing::read_test_file("geoip/GeoIP2-City-Test.mmdb");  // fails loudly if missing
    auto db = geo::GeoDatabase::open(path);
    if (!db.ok()) CPPUNIT_FAIL(db.error().message);
    return std::move(db).value();
}

// A file in /tmp holding `bytes`, removed when the object goes away.
class TempFile {
public:
    explicit TempFile(const std::string& bytes) {
        char name[] = "/tmp/geo_database_test_XXXXXX";
        const int fd = mkstemp(name);
        CPPUNIT_ASSERT(fd >= 0);
        close(fd);
        path_ = name;
        std::ofstream(path_, std::ios::binary) << bytes;
    }
    ~TempFile() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

void assert_near(double expected, const std::optional<double>& actual) {
    CPPUNIT_ASSERT(actual.has_value());
    CPPUNIT_ASSERT_DOUBLES_EQUAL(expected, *actual, 1e-6);
}

}  // namespace

class GeoDatabaseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GeoDatabaseTest);
    CPPUNIT_TEST(londonHasCityStateAndCountryButNoPostalCode);
    CPPUNIT_TEST(boxfordHasPostalCode);
    CPPUNIT_TEST(miltonInWashington);
    CPPUNIT_TEST(linkopingIsUtf8);
    CPPUNIT_TEST(sanDiegoOverIpv6);
    CPPUNIT_TEST(bhutanIsCountryOnly);
    CPPUNIT_TEST(addressesNotInTheFileAreUnknown);
    CPPUNIT_TEST(unparsableTextIsUnknown);
    CPPUNIT_TEST(missingFileIsAnError);
    CPPUNIT_TEST(corruptFileIsAnError);
    CPPUNIT_TEST(movedDatabaseKeepsWorking);
    CPPUNIT_TEST(concurrentLookupsAgree);
    CPPUNIT_TEST_SUITE_END();

public:
    void londonHasCityStateAndCountryButNoPostalCode() {
        const auto db = open_test_database();
        for (const char* ip : {"81.2.69.142", "81.2.69.160", "81.2.69.207", "::ffff:81.2.69.142"}) {
            const auto l = db.locate(ip);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ip, std::string("London"), l.city.value_or("-"));
            CPPUNIT_ASSERT_EQUAL(std::string("United Kingdom"), l.country.value_or("-"));
            CPPUNIT_ASSERT_EQUAL(std::string("England"), l.state.value_or("-"));
        }
        const auto l = db.locate("81.2.69.142");
        CPPUNIT_ASSERT(!l.zip);
        assert_near(51.5142, l.lat);
        assert_near(-0.0931, l.lon);
    }

    void boxfordHasPostalCode() {
        const auto l = open_test_database().locate("2.125.160.216");
        CPPUNIT_ASSERT_EQUAL(std::string("Boxford"), l.city.value_or("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("OX1"), l.zip.value_or("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("England"), l.state.value_or("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("United Kingdom"), l.country.value_or("-"));
        assert_near(51.75, l.lat);
        assert_near(-1.25, l.lon);
    }

    void miltonInWashington() {
        const auto l = open_test_database().locate("216.160.83.56");
        CPPUNIT_ASSERT_EQUAL(std::string("Milton"), l.city.value_or("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("Washington"), l.state.value_or("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("98354"), l.zip.value_or("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("United States"), l.country.value_or("-"));
        assert_near(47.2513, l.lat);
        assert_near(-122.3149, l.lon);
    }

    void linkopingIsUtf8() {
        const auto l = open_test_database().locate("89.160.20.112");
        CPPUNIT_ASSERT_EQUAL(std::string("Link\xc3\xb6ping"), l.city.value_or("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xc3\x96sterg\xc3\xb6tland County"), l.state.value_or("-"));
        CPPUNIT_ASSERT_EQUAL(std::string("Sweden"), l.country.value_or("-"));
        CPPUNIT_ASSERT(!l.zip);
        assert_near(58.4167, l.lat);
        assert_near(15.6167, l.lon);
    }

    void sanDiegoOverIpv6() {
        const auto db = open_test_database();
        for (const char* ip : {"2001:480:10::1", "2001:0480:0010:0000:0000:0000:0000:0001", "2001:480:10:ffff::"}) {
            const auto l = db.locate(ip);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ip, std::string("San Diego"), l.city.value_or("-"));
            CPPUNIT_ASSERT_EQUAL(std::string("California"), l.state.value_or("-"));
            CPPUNIT_ASSERT_EQUAL(std::string("United States"), l.country.value_or("-"));
            CPPUNIT_ASSERT_EQUAL(std::string("92101"), l.zip.value_or("-"));
            assert_near(32.7203, l.lat);
            assert_near(-117.1552, l.lon);
        }
    }

    void bhutanIsCountryOnly() {
        const auto l = open_test_database().locate("67.43.156.1");
        CPPUNIT_ASSERT_EQUAL(std::string("Bhutan"), l.country.value_or("-"));
        CPPUNIT_ASSERT(!l.city);
        CPPUNIT_ASSERT(!l.state);
        CPPUNIT_ASSERT(!l.zip);
        assert_near(27.5, l.lat);
        assert_near(90.5, l.lon);
    }

    void addressesNotInTheFileAreUnknown() {
        const auto db = open_test_database();
        for (const char* ip : {"127.0.0.1", "17.0.0.1", "::1", "0.0.0.0", "255.255.255.255"})
            CPPUNIT_ASSERT_MESSAGE(ip, db.locate(ip).unknown());
    }

    void unparsableTextIsUnknown() {
        const auto db = open_test_database();
        const std::vector<std::string> texts = {"", "localhost", "81.2.69.142:80", " 81.2.69.142", "81.2.69.142 ", "81.2.69", "81.2.69.142.1",
              "81.2.69.1420", "0x51.2.69.142", "fe80::1%eth0", "2001:480:10::1::1",
              std::string("81.2.69.142\0", 12), std::string(100, '1'), "\xff\xfe"};
        for (const std::string& ip : texts) CPPUNIT_ASSERT_MESSAGE(ip, db.locate(ip).unknown());
    }

    void missingFileIsAnError() {
        const auto db = geo::GeoDatabase::open("/nonexistent/GeoLite2-City.mmdb");
        CPPUNIT_ASSERT(!db.ok());
        CPPUNIT_ASSERT(db.error().message.find("/nonexistent/GeoLite2-City.mmdb") != std::string::npos);
        CPPUNIT_ASSERT(db.error().message.find("No such file") != std::string::npos);
    }

    void corruptFileIsAnError() {
        const TempFile garbage(std::string(4096, '\x5a'));
        const auto db = geo::GeoDatabase::open(garbage.path());
        CPPUNIT_ASSERT(!db.ok());
        CPPUNIT_ASSERT(db.error().message.find(garbage.path()) != std::string::npos);
        // The real file cut short loses its metadata section, which sits at the end.
        const std::string real = downstream::testing::read_test_file("geoip/GeoIP2-City-Test.mmdb");
        const TempFile truncated(real.substr(0, real.size() / 2));
        CPPUNIT_ASSERT(!geo::GeoDatabase::open(truncated.path()).ok());
        const TempFile empty("");
        CPPUNIT_ASSERT(!geo::GeoDatabase::open(empty.path()).ok());
    }

    void movedDatabaseKeepsWorking() {
        auto first = open_test_database();
        geo::GeoDatabase second = std::move(first);
        CPPUNIT_ASSERT_EQUAL(std::string("London"), second.locate("81.2.69.142").city.value_or("-"));
        const geo::Locator& locator = second;
        CPPUNIT_ASSERT_EQUAL(std::string("Milton"), locator.locate("216.160.83.56").city.value_or("-"));
    }

    void concurrentLookupsAgree() {
        const auto db = open_test_database();
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&db, &wrong] {
                for (int i = 0; i < 2000; ++i) {
                    if (db.locate("89.160.20.112").city.value_or("") != "Link\xc3\xb6ping") ++wrong;
                    if (db.locate("2001:480:10::1").zip.value_or("") != "92101") ++wrong;
                    if (!db.locate("127.0.0.1").unknown()) ++wrong;
                }
            });
        for (auto& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(0, wrong.load());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(GeoDatabaseTest);

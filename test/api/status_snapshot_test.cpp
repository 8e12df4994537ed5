#include "api/status_snapshot.h"

#include "api/status_farmers.h"
#include "crypto/hmac_sha256.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstring>
#include <string>

using namespace downstream;
using testing::farmer_row;
using testing::kNow;

namespace {

std::string ids(const api::StatusSnapshot& s) {
    std::string text;
    for (const auto& f : s.farmers) text += (text.empty() ? "" : " ") + std::string(f.farmer_id().substr(18));
    return text;
}

store::TokenRecord simple(const std::string& id, std::int64_t heartbeats, store::Location where = {}) {
    return farmer_row(id, "1Addr" + id, heartbeats, -1, 0, 0, 0, 0, 0, std::move(where));
}

}  // namespace

class StatusSnapshotTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusSnapshotTest);
    CPPUNIT_TEST(entriesAreCompact);
    CPPUNIT_TEST(buildSortsByIdAndFinds);
    CPPUNIT_TEST(keepsTheIpOnlyAsItsKeyedHash);
    CPPUNIT_TEST(internsLocations);
    CPPUNIT_TEST(longAddressesSurviveDeltas);
    CPPUNIT_TEST(applyReplacesAddsAndDeletes);
    CPPUNIT_TEST(newsDropsRowsAlreadyKnown);
    CPPUNIT_TEST(publishedLocationTablesNeverChange);
    CPPUNIT_TEST(skipsMalformedIds);
    CPPUNIT_TEST(memoryIsCounted);
    CPPUNIT_TEST_SUITE_END();

    api::SnapshotBuilder builder_{"key"};

public:
    void entriesAreCompact() { CPPUNIT_ASSERT_EQUAL(std::size_t{144}, sizeof(api::FarmerEntry)); }

    void buildSortsByIdAndFinds() {
        auto s = builder_.build(testing::six_farmers());
        CPPUNIT_ASSERT_EQUAL(std::string("0a 0b 0c 0d 0e 0f"), ids(*s));
        const api::FarmerEntry* d = s->find("0000000000000000000d");
        CPPUNIT_ASSERT(d);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{7}, d->heartbeats);
        CPPUNIT_ASSERT_EQUAL(std::string("1Aaa"), std::string(s->address(*d)));
        CPPUNIT_ASSERT_EQUAL(std::string("Milton"), *s->place(*d).location.city);
        CPPUNIT_ASSERT_EQUAL(kNow + 10000, static_cast<std::int64_t>(d->online().end()));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{400000}, static_cast<std::int64_t>(d->online().covered()));
        CPPUNIT_ASSERT(!s->find("0000000000000000000a")->online().has_contracts());
        CPPUNIT_ASSERT(!s->find("00000000000000000001"));
        CPPUNIT_ASSERT(!s->find("0000000000000000000"));  // too short
        CPPUNIT_ASSERT(!s->find(""));
    }

    void keepsTheIpOnlyAsItsKeyedHash() {
        auto row = simple("00000000000000000001", 1);
        row.ip = "81.2.69.142";
        auto s = builder_.build({row});
        const std::string want = crypto::hmac_sha256("key", "81.2.69.142").substr(0, 16);
        CPPUNIT_ASSERT_EQUAL(0, std::memcmp(want.data(), s->farmers[0].ip_hash, 16));
    }

    void internsLocations() {
        auto s = builder_.build({simple("00000000000000000001", 1, testing::london()),
                                 simple("00000000000000000002", 1, testing::london()),
                                 simple("00000000000000000003", 1, testing::bhutan()),
                                 simple("00000000000000000004", 1)});
        // Nowhere, London, Bhutan.
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, s->locations->places.size());
        CPPUNIT_ASSERT_EQUAL(s->farmers[0].location, s->farmers[1].location);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{0}, s->farmers[3].location);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"city":null,"country":null,"lat":null,"lon":null,"state":null,"zip":null})"),
                             s->place(s->farmers[3]).json);
        CPPUNIT_ASSERT(s->place(s->farmers[0]).located);
        CPPUNIT_ASSERT(!s->place(s->farmers[2]).located);  // a country without coordinates
        CPPUNIT_ASSERT_EQUAL(std::string("Bhutan"), s->locations->countries.at(s->place(s->farmers[2]).country));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{0}, s->place(s->farmers[3]).country);
    }

    void longAddressesSurviveDeltas() {
        const std::string long_address(64, 'z');
        auto a = simple("00000000000000000001", 1);
        a.address = long_address;
        auto s1 = builder_.build({a, simple("00000000000000000003", 1)});
        CPPUNIT_ASSERT_EQUAL(long_address, std::string(s1->address(s1->farmers[0])));
        auto b = simple("00000000000000000002", 5);
        b.address = std::string(36, 'y');
        auto s2 = builder_.apply(*s1, {b}, {"00000000000000000003"});
        CPPUNIT_ASSERT_EQUAL(std::string("01 02"), ids(*s2));
        CPPUNIT_ASSERT_EQUAL(long_address, std::string(s2->address(s2->farmers[0])));
        CPPUNIT_ASSERT_EQUAL(std::string(36, 'y'), std::string(s2->address(s2->farmers[1])));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, s2->long_addresses.size());
        // 35 characters still fit inline.
        auto c = simple("00000000000000000004", 1);
        c.address = std::string(35, 'x');
        auto s3 = builder_.apply(*s2, {c}, {"00000000000000000001"});
        // A deleted farmer's long address stays until the next full load.
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, s3->long_addresses.size());
        CPPUNIT_ASSERT(!s3->find("00000000000000000001"));
        CPPUNIT_ASSERT_EQUAL(std::string(35, 'x'), std::string(s3->address(*s3->find("00000000000000000004"))));
        CPPUNIT_ASSERT_EQUAL(std::string(36, 'y'), std::string(s3->address(*s3->find("00000000000000000002"))));
        // A farmer with a long address changing every refresh reuses its slot.
        auto s4 = *s3;
        for (int i = 0; i < 5; ++i) {
            b.heartbeats += 1;
            s4 = *builder_.apply(s4, {b}, {});
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, s4.long_addresses.size());
        CPPUNIT_ASSERT_EQUAL(std::string(36, 'y'), std::string(s4.address(*s4.find("00000000000000000002"))));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{10}, s4.find("00000000000000000002")->heartbeats);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, builder_.build({}).get()->long_addresses.size());
    }

    void applyReplacesAddsAndDeletes() {
        auto s1 = builder_.build({simple("00000000000000000002", 1), simple("00000000000000000004", 1),
                                  simple("00000000000000000006", 1)});
        auto s2 = builder_.apply(*s1,
                                 {simple("00000000000000000004", 40), simple("00000000000000000001", 10),
                                  simple("00000000000000000007", 70), simple("00000000000000000004", 41),
                                  simple("00000000000000000005", 50)},
                                 {"00000000000000000006", "00000000000000000005", "00000000000000000009"});
        CPPUNIT_ASSERT_EQUAL(std::string("01 02 04 07"), ids(*s2));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{41}, s2->find("00000000000000000004")->heartbeats);  // the last row wins
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, s2->find("00000000000000000002")->heartbeats);
        // The base is untouched.
        CPPUNIT_ASSERT_EQUAL(std::string("02 04 06"), ids(*s1));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, s1->find("00000000000000000004")->heartbeats);
    }

    void newsDropsRowsAlreadyKnown() {
        auto rows = testing::six_farmers();
        auto s = builder_.build(rows);
        CPPUNIT_ASSERT(builder_.news(*s, rows).empty());
        rows[0].heartbeats += 1;                   // 0d
        rows[1].ip = "10.9.9.9";                   // 0a: only the IP (its hash) changed
        rows[2].location = testing::milton();      // 0b
        rows[3].online.extend(kNow + 3600000);     // 0c
        rows.push_back(simple("00000000000000000011", 0));
        const auto news = builder_.news(*s, rows);
        std::string got;
        for (const auto& r : news) got += r.farmer_id.substr(18) + " ";
        CPPUNIT_ASSERT_EQUAL(std::string("0d 0a 0b 0c 11 "), got);
        const auto present = builder_.present(*s, {"0000000000000000000e", "00000000000000000099"});
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, present.size());
        CPPUNIT_ASSERT_EQUAL(std::string("0000000000000000000e"), present[0]);
    }

    void publishedLocationTablesNeverChange() {
        auto s1 = builder_.build({simple("00000000000000000001", 1, testing::london())});
        const auto* table1 = s1->locations.get();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, table1->places.size());
        auto s2 = builder_.apply(*s1, {simple("00000000000000000002", 1, testing::milton())}, {});
        CPPUNIT_ASSERT(s2->locations.get() != table1);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, table1->places.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, s2->locations->places.size());
        CPPUNIT_ASSERT_EQUAL(std::string("London"), *s2->place(*s2->find("00000000000000000001")).location.city);
        // No new place: the table is shared.
        auto s3 = builder_.apply(*s2, {simple("00000000000000000003", 1, testing::london())}, {});
        CPPUNIT_ASSERT(s3->locations == s2->locations);
    }

    void skipsMalformedIds() {
        auto s = builder_.build({simple("00000000000000000001", 1), simple("short", 1),
                                 simple("0000000000000000000g", 1)});
        CPPUNIT_ASSERT_EQUAL(std::string("01"), ids(*s));
    }

    void memoryIsCounted() {
        std::vector<store::TokenRecord> rows;
        for (int i = 0; i < 1000; ++i) {
            char id[21];
            std::snprintf(id, sizeof id, "%020d", i);
            rows.push_back(simple(id, i, i % 2 ? testing::london() : testing::milton()));
        }
        auto s = builder_.build(rows);
        CPPUNIT_ASSERT(s->memory_bytes() >= 1000 * sizeof(api::FarmerEntry));
        CPPUNIT_ASSERT(s->memory_bytes() < 1000 * sizeof(api::FarmerEntry) + 4096);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusSnapshotTest);

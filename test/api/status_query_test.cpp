#include "api/status_query.h"

#include "api/status_farmers.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace downstream;
using api::ListQuery;
using api::SortKey;
using testing::kNow;

namespace {

const std::string kKey = "ip-hash-key";

// The last two hex digits of the selected farmers, in order ("b f c d").
std::string order(const api::StatusSnapshot& s, const std::vector<std::uint32_t>& rows) {
    std::string text;
    for (std::uint32_t r : rows) {
        if (!text.empty()) text += ' ';
        text += std::string(s.farmers.at(r).farmer_id().substr(19));
    }
    return text;
}

}  // namespace

// Orders worked out by hand from the table in status_farmers.h.
class StatusQueryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusQueryTest);
    CPPUNIT_TEST(parsesTheSevenKeysOnly);
    CPPUNIT_TEST(sortsByEveryKeyBothWays);
    CPPUNIT_TEST(onlineFilterUsesTheRequestTime);
    CPPUNIT_TEST(pagesAreZeroBasedAndEmptyPastTheEnd);
    CPPUNIT_TEST(hugePagesDoNotOverflow);
    CPPUNIT_TEST(pagesOfEveryKeyPutTogetherAreTheFullList);
    CPPUNIT_TEST(summaryTotalsAndPoints);
    CPPUNIT_TEST(emptySnapshot);
    CPPUNIT_TEST_SUITE_END();

    api::SnapshotBuilder builder_{kKey};
    std::shared_ptr<const api::StatusSnapshot> snap_;

    std::string run(SortKey key, bool desc, bool online = false, std::optional<std::uint64_t> limit = std::nullopt,
                    std::uint64_t page = 0, std::int64_t now = kNow) {
        ListQuery q;
        q.key = key;
        q.descending = desc;
        q.online_only = online;
        q.limit = limit;
        q.page = page;
        return order(*snap_, api::select_farmers(*snap_, q, now));
    }

public:
    void setUp() override { snap_ = builder_.build(testing::six_farmers()); }

    void parsesTheSevenKeysOnly() {
        CPPUNIT_ASSERT(api::parse_sort_key("id") == SortKey::Id);
        CPPUNIT_ASSERT(api::parse_sort_key("address") == SortKey::Address);
        CPPUNIT_ASSERT(api::parse_sort_key("uptime") == SortKey::Uptime);
        CPPUNIT_ASSERT(api::parse_sort_key("heartbeats") == SortKey::Heartbeats);
        CPPUNIT_ASSERT(api::parse_sort_key("contracts") == SortKey::Contracts);
        CPPUNIT_ASSERT(api::parse_sort_key("size") == SortKey::Size);
        CPPUNIT_ASSERT(api::parse_sort_key("online") == SortKey::Online);
        for (const char* bad : {"", "ip", "Uptime", "uptime ", "d", "location", "ip_hash", "last_due"})
            CPPUNIT_ASSERT_MESSAGE(bad, !api::parse_sort_key(bad));
    }

    void sortsByEveryKeyBothWays() {
        CPPUNIT_ASSERT_EQUAL(std::size_t{6}, snap_->farmers.size());
        CPPUNIT_ASSERT_EQUAL(std::string("a b c d e f"), run(SortKey::Id, false));
        CPPUNIT_ASSERT_EQUAL(std::string("f e d c b a"), run(SortKey::Id, true));
        // Binary order: "1Aaa" < "1Bbb" < "1Ccc" < "1aaa"; ties by id ascending both ways.
        CPPUNIT_ASSERT_EQUAL(std::string("b d a f c e"), run(SortKey::Address, false));
        CPPUNIT_ASSERT_EQUAL(std::string("e c a f b d"), run(SortKey::Address, true));
        // 0, 100, 50, 50, 0.33, 100.
        CPPUNIT_ASSERT_EQUAL(std::string("a e c d b f"), run(SortKey::Uptime, false));
        CPPUNIT_ASSERT_EQUAL(std::string("b f c d e a"), run(SortKey::Uptime, true));
        // 10, 50, 50, 7, 0, 10.
        CPPUNIT_ASSERT_EQUAL(std::string("e d a f b c"), run(SortKey::Heartbeats, false));
        CPPUNIT_ASSERT_EQUAL(std::string("b c a f d e"), run(SortKey::Heartbeats, true));
        // Shown contracts: 0, 3, 0 (offline, unswept 2), 1, 0, 3.
        CPPUNIT_ASSERT_EQUAL(std::string("a c e d b f"), run(SortKey::Contracts, false));
        CPPUNIT_ASSERT_EQUAL(std::string("b f d a c e"), run(SortKey::Contracts, true));
        // Shown size: 0, 3000, 0, 5000, 0, 1000.
        CPPUNIT_ASSERT_EQUAL(std::string("a c e f b d"), run(SortKey::Size, false));
        CPPUNIT_ASSERT_EQUAL(std::string("d b f a c e"), run(SortKey::Size, true));
        // false before true ascending; online first descending.
        CPPUNIT_ASSERT_EQUAL(std::string("a c e b d f"), run(SortKey::Online, false));
        CPPUNIT_ASSERT_EQUAL(std::string("b d f a c e"), run(SortKey::Online, true));
    }

    void onlineFilterUsesTheRequestTime() {
        CPPUNIT_ASSERT_EQUAL(std::string("b d f"), run(SortKey::Id, false, true));
        CPPUNIT_ASSERT_EQUAL(std::string("b f d"), run(SortKey::Uptime, true, true));
        // 1 s later f's interval has ended (end is exclusive); 10 s later d's too.
        CPPUNIT_ASSERT_EQUAL(std::string("b d"), run(SortKey::Id, false, true, std::nullopt, 0, kNow + 1000));
        CPPUNIT_ASSERT_EQUAL(std::string("b"), run(SortKey::Id, false, true, std::nullopt, 0, kNow + 10000));
        // Offline farmers show no contracts: at now + 10 s only b has any.
        CPPUNIT_ASSERT_EQUAL(std::string("b a c d e f"), run(SortKey::Contracts, true, false, std::nullopt, 0, kNow + 10000));
        // Uptime moves with time: at now + 100 s, d has 500 + 10 = 510 s of 1100 (46.36 %),
        // c 200 of 500 (40 %), f 3001 of 3100 (96.81 %), b 150 of 200 (75 %).
        CPPUNIT_ASSERT_EQUAL(std::string("f b d c e a"), run(SortKey::Uptime, true, false, std::nullopt, 0, kNow + 100000));
    }

    void pagesAreZeroBasedAndEmptyPastTheEnd() {
        CPPUNIT_ASSERT_EQUAL(std::string("b f c d"), run(SortKey::Uptime, true, false, 4, 0));
        CPPUNIT_ASSERT_EQUAL(std::string("e a"), run(SortKey::Uptime, true, false, 4, 1));
        CPPUNIT_ASSERT_EQUAL(std::string(""), run(SortKey::Uptime, true, false, 4, 2));
        CPPUNIT_ASSERT_EQUAL(std::string("c d"), run(SortKey::Uptime, true, false, 2, 1));
        CPPUNIT_ASSERT_EQUAL(std::string(""), run(SortKey::Uptime, true, false, 2, 3));
        CPPUNIT_ASSERT_EQUAL(std::string("e"), run(SortKey::Id, false, false, 1, 4));
        CPPUNIT_ASSERT_EQUAL(std::string("b"), run(SortKey::Id, true, false, 1, 4));
        CPPUNIT_ASSERT_EQUAL(std::string("a b c d e f"), run(SortKey::Id, false, false, 100, 0));
        CPPUNIT_ASSERT_EQUAL(std::string(""), run(SortKey::Id, false, false, 0, 0));
        CPPUNIT_ASSERT_EQUAL(std::string("f"), run(SortKey::Uptime, true, true, 1, 1));
        CPPUNIT_ASSERT_EQUAL(std::string("e"), run(SortKey::Address, true, false, 1, 0));
        CPPUNIT_ASSERT_EQUAL(std::string("a f"), run(SortKey::Address, false, false, 2, 1));
    }

    void hugePagesDoNotOverflow() {
        const std::uint64_t big = (std::uint64_t{1} << 63) - 1;
        CPPUNIT_ASSERT_EQUAL(std::string(""), run(SortKey::Uptime, true, false, big, big));
        CPPUNIT_ASSERT_EQUAL(std::string(""), run(SortKey::Uptime, true, false, 3, big));
        CPPUNIT_ASSERT_EQUAL(std::string("b f c d e a"), run(SortKey::Uptime, true, false, big, 0));
    }

    void pagesOfEveryKeyPutTogetherAreTheFullList() {
        for (SortKey key : {SortKey::Id, SortKey::Address, SortKey::Uptime, SortKey::Heartbeats,
                            SortKey::Contracts, SortKey::Size, SortKey::Online})
            for (bool desc : {false, true})
                for (std::uint64_t limit : {1, 2, 4, 5}) {
                    std::string joined;
                    for (std::uint64_t page = 0; page * limit < 6; ++page) {
                        const std::string part = run(key, desc, false, limit, page);
                        if (!part.empty()) joined += (joined.empty() ? "" : " ") + part;
                    }
                    CPPUNIT_ASSERT_EQUAL(run(key, desc), joined);
                }
    }

    void summaryTotalsAndPoints() {
        const api::StatusSummary s = api::summarize(*snap_, kNow);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{6}, s.farmers);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3}, s.online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{2}, s.countries);  // UK and US; Sweden and Bhutan are offline
        CPPUNIT_ASSERT_EQUAL(std::int64_t{9000}, s.size);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{127}, s.heartbeats);
        // Located farmers, online first, then by id; Bhutan has no coordinates.
        CPPUNIT_ASSERT_EQUAL(std::string("b d f c"), order(*snap_, s.points));
        CPPUNIT_ASSERT_EQUAL(std::string("b d"), order(*snap_, api::summarize(*snap_, kNow, 2).points));
        CPPUNIT_ASSERT_EQUAL(std::string("b d f"), order(*snap_, api::summarize(*snap_, kNow, 3).points));
        // 10 s later only b is online (UK); d and f join c offline.
        const api::StatusSummary later = api::summarize(*snap_, kNow + 10000);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, later.online);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, later.countries);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{3000}, later.size);
        CPPUNIT_ASSERT_EQUAL(std::string("b c d f"), order(*snap_, later.points));
    }

    void emptySnapshot() {
        auto empty = builder_.build({});
        ListQuery q;
        CPPUNIT_ASSERT(api::select_farmers(*empty, q, kNow).empty());
        q.limit = 25;
        q.key = SortKey::Uptime;
        CPPUNIT_ASSERT(api::select_farmers(*empty, q, kNow).empty());
        const api::StatusSummary s = api::summarize(*empty, kNow);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, s.farmers);
        CPPUNIT_ASSERT(s.points.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusQueryTest);

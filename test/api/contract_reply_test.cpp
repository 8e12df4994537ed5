#include "api/contract_reply.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace downstream;

namespace {

constexpr UnixMillis kNow = 1'700'000'000'000;

store::IssuedContract sample_contract() {
    store::IssuedContract c;
    for (int i = 0; i < 32; ++i) c.file_hash.push_back(static_cast<char>(i));
    c.seed = "0123456789abcdef0123456789abcdef";
    c.size = 32768;
    c.tag_json = R"({"chunksz":327,"filesz":32768,"tree":{"leaves":[],"nodes":["AAE="]}})";
    c.challenge_json = R"({"index":0,"seed":"c2VlZA=="})";
    c.due_ms = kNow + 59'999;
    return c;
}

}  // namespace

class ContractReplyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ContractReplyTest);
    CPPUNIT_TEST(chunkEntryIsCompactWithSortedKeysAndRawTag);
    CPPUNIT_TEST(chunkEntryDueIsWholeSecondsNeverNegative);
    CPPUNIT_TEST(chunkEntryEscapesTheSeed);
    CPPUNIT_TEST_SUITE_END();

public:
    void chunkEntryIsCompactWithSortedKeysAndRawTag() {
        CPPUNIT_ASSERT_EQUAL(
            std::string(R"({"challenge":{"index":0,"seed":"c2VlZA=="},"due":59,)"
                        R"("file_hash":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",)"
                        R"("seed":"0123456789abcdef0123456789abcdef","size":32768,)"
                        R"("tag":{"chunksz":327,"filesz":32768,"tree":{"leaves":[],"nodes":["AAE="]}}})"),
            api::chunk_entry_json(sample_contract(), kNow));
    }

    void chunkEntryDueIsWholeSecondsNeverNegative() {
        store::IssuedContract c = sample_contract();
        c.due_ms = kNow + 1'000;
        CPPUNIT_ASSERT(api::chunk_entry_json(c, kNow).find(R"(,"due":1,)") != std::string::npos);
        c.due_ms = kNow - 5'000;
        CPPUNIT_ASSERT(api::chunk_entry_json(c, kNow).find(R"(,"due":0,)") != std::string::npos);
    }

    void chunkEntryEscapesTheSeed() {
        store::IssuedContract c = sample_contract();
        c.seed = "a\"b\\c";
        CPPUNIT_ASSERT(api::chunk_entry_json(c, kNow).find(R"("seed":"a\"b\\c",)") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ContractReplyTest);

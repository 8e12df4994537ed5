#include "http/gzip_inflater.h"

#include "farmer/gzip_body.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using downstream::farmer::gzip_compress;
using downstream::http::decode_body;
using downstream::http::GzipInflater;

namespace {

// Python: gzip.compress(b'{"proofs": []}', mtime=0) -- produced by the farmer's language,
// independent of the code under test.
const std::string kPythonGzip(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\x2a\x28\xca\xcf\x4f\x2b\x56\xb2\x52\x88"
    "\x8e\xad\x05\x00\xf8\x53\x77\x0d\x0e\x00\x00\x00",
    34);
const std::string kPythonPlain = "{\"proofs\": []}";

}  // namespace

class GzipInflaterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(GzipInflaterTest);
    CPPUNIT_TEST(inflatesPythonGzip);
    CPPUNIT_TEST(passesPlainBodyThrough);
    CPPUNIT_TEST(plainBodyWithOnlyTheFirstMagicByte);
    CPPUNIT_TEST(emptyBody);
    CPPUNIT_TEST(everySplitPointGivesTheSameBody);
    CPPUNIT_TEST(plainBodySplitAtEveryByte);
    CPPUNIT_TEST(exactlyAtTheLimitPasses);
    CPPUNIT_TEST(bombStopsAtTheLimit);
    CPPUNIT_TEST(plainBodyOverTheLimit);
    CPPUNIT_TEST(corruptGzipIs400);
    CPPUNIT_TEST(truncatedGzipIs400);
    CPPUNIT_TEST(concatenatedMembers);
    CPPUNIT_TEST(trailingGarbageIs400);
    CPPUNIT_TEST(errorsAreSticky);
    CPPUNIT_TEST_SUITE_END();

public:
    void inflatesPythonGzip() {
        std::string out;
        CPPUNIT_ASSERT(!decode_body(kPythonGzip, 1024, out));
        CPPUNIT_ASSERT_EQUAL(kPythonPlain, out);
    }
    void passesPlainBodyThrough() {
        // What the shipped client really sends with "Content-Encoding: gzip".
        std::string out;
        CPPUNIT_ASSERT(!decode_body(kPythonPlain, 1024, out));
        CPPUNIT_ASSERT_EQUAL(kPythonPlain, out);
    }
    void plainBodyWithOnlyTheFirstMagicByte() {
        const std::string body("\x1f{}", 3);
        std::string out;
        CPPUNIT_ASSERT(!decode_body(body, 1024, out));
        CPPUNIT_ASSERT_EQUAL(body, out);
        const std::string lone("\x1f", 1);
        CPPUNIT_ASSERT(!decode_body(lone, 1024, out));
        CPPUNIT_ASSERT_EQUAL(lone, out);
    }
    void emptyBody() {
        std::string out = "x";
        CPPUNIT_ASSERT(!decode_body("", 1024, out));
        CPPUNIT_ASSERT_EQUAL(std::string(), out);
    }
    void everySplitPointGivesTheSameBody() {
        std::string text;
        for (int i = 0; i < 3000; ++i) text += "{\"file_hash\": \"" + std::to_string(i * 7919) + "\"},";
        const std::string packed = gzip_compress(text);
        int checked = 0;
        for (std::size_t cut = 0; cut <= packed.size(); ++cut) {
            GzipInflater inflater(text.size());
            CPPUNIT_ASSERT(!inflater.feed(std::string_view(packed).substr(0, cut)));
            CPPUNIT_ASSERT(!inflater.feed(std::string_view(packed).substr(cut)));
            CPPUNIT_ASSERT(!inflater.finish());
            CPPUNIT_ASSERT(inflater.compressed());
            CPPUNIT_ASSERT(inflater.body() == text);
            ++checked;
        }
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(packed.size()) + 1, checked);
        // And one byte at a time.
        GzipInflater bytewise(text.size());
        for (char c : packed) CPPUNIT_ASSERT(!bytewise.feed(std::string_view(&c, 1)));
        CPPUNIT_ASSERT(!bytewise.finish());
        CPPUNIT_ASSERT(bytewise.body() == text);
    }
    void plainBodySplitAtEveryByte() {
        const std::string body = "{\"proofs\": [1, 2, 3]}";
        for (std::size_t cut = 0; cut <= body.size(); ++cut) {
            GzipInflater inflater(1024);
            CPPUNIT_ASSERT(!inflater.feed(std::string_view(body).substr(0, cut)));
            CPPUNIT_ASSERT(!inflater.feed(std::string_view(body).substr(cut)));
            CPPUNIT_ASSERT(!inflater.finish());
            CPPUNIT_ASSERT(!inflater.compressed());
            CPPUNIT_ASSERT_EQUAL(body, inflater.body());
        }
    }
    void exactlyAtTheLimitPasses() {
        const std::string text(100000, 'a');
        std::string out;
        CPPUNIT_ASSERT(!decode_body(gzip_compress(text), text.size(), out));
        CPPUNIT_ASSERT_EQUAL(text.size(), out.size());
        auto error = decode_body(gzip_compress(text), text.size() - 1, out);
        CPPUNIT_ASSERT(error);
        CPPUNIT_ASSERT_EQUAL(413, error->status);
    }
    void bombStopsAtTheLimit() {
        // 64 MiB of zeros compress to about 64 KiB: a small bomb that must stop at 1 MiB.
        const std::string bomb = gzip_compress(std::string(64u << 20, '\0'));
        CPPUNIT_ASSERT(bomb.size() < 100000);
        GzipInflater inflater(1u << 20);
        auto error = inflater.feed(bomb);
        CPPUNIT_ASSERT(error);
        CPPUNIT_ASSERT_EQUAL(413, error->status);
        CPPUNIT_ASSERT_EQUAL(std::string("request body larger than 1048576 bytes"), error->message);
        CPPUNIT_ASSERT(inflater.body().empty());  // the partial output is released
        CPPUNIT_ASSERT(inflater.body().capacity() < 4096);
    }
    void plainBodyOverTheLimit() {
        std::string out;
        auto error = decode_body(std::string(11, 'x'), 10, out);
        CPPUNIT_ASSERT(error);
        CPPUNIT_ASSERT_EQUAL(413, error->status);
    }
    void corruptGzipIs400() {
        std::string corrupt = kPythonGzip;
        corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
        std::string out;
        auto error = decode_body(corrupt, 1024, out);
        CPPUNIT_ASSERT(error);
        CPPUNIT_ASSERT_EQUAL(400, error->status);
        // A corrupted CRC is caught too.
        std::string bad_crc = kPythonGzip;
        bad_crc[27] = static_cast<char>(bad_crc[27] ^ 1);
        error = decode_body(bad_crc, 1024, out);
        CPPUNIT_ASSERT(error);
        CPPUNIT_ASSERT_EQUAL(400, error->status);
    }
    void truncatedGzipIs400() {
        for (std::size_t keep = 2; keep < kPythonGzip.size(); ++keep) {
            std::string out;
            auto error = decode_body(kPythonGzip.substr(0, keep), 1024, out);
            CPPUNIT_ASSERT_MESSAGE("kept " + std::to_string(keep), error.has_value());
            CPPUNIT_ASSERT_EQUAL(400, error->status);
        }
    }
    void concatenatedMembers() {
        std::string out;
        CPPUNIT_ASSERT(!decode_body(gzip_compress("abc") + gzip_compress("def"), 1024, out));
        CPPUNIT_ASSERT_EQUAL(std::string("abcdef"), out);
    }
    void trailingGarbageIs400() {
        std::string out;
        auto error = decode_body(kPythonGzip + "garbage", 1024, out);
        CPPUNIT_ASSERT(error);
        CPPUNIT_ASSERT_EQUAL(400, error->status);
    }
    void errorsAreSticky() {
        GzipInflater inflater(4);
        CPPUNIT_ASSERT(inflater.feed("12345"));
        auto again = inflater.feed("6");
        CPPUNIT_ASSERT(again);
        CPPUNIT_ASSERT_EQUAL(413, again->status);
        CPPUNIT_ASSERT(inflater.finish());
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(GzipInflaterTest);

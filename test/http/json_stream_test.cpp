#include "http/json_stream.h"

#include "http/string_response_writer.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

namespace http = downstream::http;
using http::JsonStream;
using http::StringResponseWriter;

class JsonStreamTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonStreamTest);
    CPPUNIT_TEST(shortReplyGoesOutWholeWithItsLength);
    CPPUNIT_TEST(emptyReplyHasLengthZero);
    CPPUNIT_TEST(longReplyIsStreamedWithoutLength);
    CPPUNIT_TEST(unfinishedShortStreamSendsNothing);
    CPPUNIT_TEST(finishTwiceSendsOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void shortReplyGoesOutWholeWithItsLength() {
        StringResponseWriter out;
        JsonStream stream(out, 200, {{"Cache-Control", "max-age=60"}}, 16);
        stream.write("{\"report\":[");
        CPPUNIT_ASSERT(!out.started());  // held back until it is known to be short
        stream.write("]}");
        stream.finish();
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"report\":[]}"), out.body());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, out.headers().size());
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), out.header("content-type").value());
        CPPUNIT_ASSERT_EQUAL(std::string("max-age=60"), out.header("Cache-Control").value());
        CPPUNIT_ASSERT_EQUAL(std::string("13"), out.header("Content-Length").value());
        CPPUNIT_ASSERT_EQUAL(0, out.flushes());
    }
    void emptyReplyHasLengthZero() {
        StringResponseWriter out;
        JsonStream stream(out, 404);
        stream.finish();
        CPPUNIT_ASSERT_EQUAL(404, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("0"), out.header("Content-Length").value());
        CPPUNIT_ASSERT(out.body().empty());
    }
    void longReplyIsStreamedWithoutLength() {
        StringResponseWriter out;
        JsonStream stream(out, 200, {}, 16);
        stream.write("[\"0123456789\"");
        CPPUNIT_ASSERT(!out.started());
        stream.write(",\"abc\"");  // 19 bytes gathered: the head and those bytes go out
        CPPUNIT_ASSERT(out.started());
        CPPUNIT_ASSERT_EQUAL(std::string("[\"0123456789\",\"abc\""), out.body());
        CPPUNIT_ASSERT_EQUAL(1, out.flushes());
        stream.write("]");
        CPPUNIT_ASSERT_EQUAL(std::size_t{19}, out.body().size());  // buffered again
        stream.finish();
        CPPUNIT_ASSERT_EQUAL(std::string("[\"0123456789\",\"abc\"]"), out.body());
        CPPUNIT_ASSERT(!out.header("Content-Length"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), out.header("Content-Type").value());
        CPPUNIT_ASSERT_EQUAL(1, out.flushes());
    }
    void unfinishedShortStreamSendsNothing() {
        // A handler that throws mid-reply: its writer is untouched, so the error can still be
        // answered with its own status.
        StringResponseWriter out;
        {
            JsonStream stream(out, 200);
            stream.write("{\"chunks\":[");
        }
        CPPUNIT_ASSERT(!out.started());
        CPPUNIT_ASSERT(out.body().empty());
    }
    void finishTwiceSendsOnce() {
        StringResponseWriter out;
        JsonStream stream(out, 200);
        stream.write("[]");
        stream.finish();
        stream.finish();
        CPPUNIT_ASSERT_EQUAL(std::string("[]"), out.body());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, out.headers().size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonStreamTest);

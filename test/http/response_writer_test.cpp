#include "http/response_writer.h"

#include "http/access_log.h"
#include "http/error_mapping.h"
#include "http/http_error.h"
#include "http/string_response_writer.h"

#include "base/store_unavailable.h"

#include <cppunit/extensions/HelperMacros.h>

#include <new>

namespace http = downstream::http;
using http::ResponseMisuse;
using http::StringResponseWriter;

class ResponseWriterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ResponseWriterTest);
    CPPUNIT_TEST(statusThenBodyPieces);
    CPPUNIT_TEST(bodyBeforeStatusIsRefused);
    CPPUNIT_TEST(flushBeforeStatusIsRefused);
    CPPUNIT_TEST(statusTwiceIsRefused);
    CPPUNIT_TEST(headerInjectionIsRefused);
    CPPUNIT_TEST(invalidStatusIsRefused);
    CPPUNIT_TEST(respondSetsLengthAndType);
    CPPUNIT_TEST(errorJsonEscapes);
    CPPUNIT_TEST(exceptionMapping);
    CPPUNIT_TEST(accessLine);
    CPPUNIT_TEST_SUITE_END();

public:
    void statusThenBodyPieces() {
        StringResponseWriter out;
        CPPUNIT_ASSERT(!out.started());
        out.start(200, {{"Content-Type", "application/json"}});
        out.write("{\"chunks\": [");
        out.flush();
        out.write("");
        out.write("]}");
        CPPUNIT_ASSERT(out.started());
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"chunks\": []}"), out.body());
        CPPUNIT_ASSERT_EQUAL(std::size_t{14}, out.body_bytes());
        CPPUNIT_ASSERT_EQUAL(1, out.flushes());
    }
    void bodyBeforeStatusIsRefused() {
        StringResponseWriter out;
        CPPUNIT_ASSERT_THROW(out.write("x"), ResponseMisuse);
        CPPUNIT_ASSERT(out.body().empty());
        CPPUNIT_ASSERT(!out.started());
    }
    void flushBeforeStatusIsRefused() {
        StringResponseWriter out;
        CPPUNIT_ASSERT_THROW(out.flush(), ResponseMisuse);
    }
    void statusTwiceIsRefused() {
        StringResponseWriter out;
        out.start(200, {});
        CPPUNIT_ASSERT_THROW(out.start(500, {}), ResponseMisuse);
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_THROW(out.respond(200, "text/plain", "x"), ResponseMisuse);
    }
    void headerInjectionIsRefused() {
        StringResponseWriter a, b, c;
        CPPUNIT_ASSERT_THROW(a.start(200, {{"X-A", "v\r\nSet-Cookie: x=1"}}), ResponseMisuse);
        CPPUNIT_ASSERT_THROW(b.start(200, {{"X-A\n", "v"}}), ResponseMisuse);
        CPPUNIT_ASSERT_THROW(c.start(200, {{"X:A", "v"}}), ResponseMisuse);
        CPPUNIT_ASSERT(!a.started());  // a refused start sends nothing
    }
    void invalidStatusIsRefused() {
        StringResponseWriter out;
        CPPUNIT_ASSERT_THROW(out.start(99, {}), ResponseMisuse);
        CPPUNIT_ASSERT_THROW(out.start(600, {}), ResponseMisuse);
        CPPUNIT_ASSERT_EQUAL(std::string("Payload Too Large"), std::string(http::reason_phrase(413)));
    }
    void respondSetsLengthAndType() {
        StringResponseWriter out;
        out.respond_json(201, "{\"msg\": \"ok\"}");
        CPPUNIT_ASSERT_EQUAL(201, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), *out.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string("13"), *out.header("Content-Length"));
    }
    void errorJsonEscapes() {
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"error\",\"message\":\"a \\\"b\\\"\\n\\\\\"}"),
                             http::error_json("a \"b\"\n\\"));
        StringResponseWriter out;
        http::write_error(out, http::HttpError{405, "no", {{"Allow", "GET"}}});
        CPPUNIT_ASSERT_EQUAL(405, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), *out.header("Allow"));
    }
    void exceptionMapping() {
        auto mapped = http::map_exception(std::make_exception_ptr(downstream::StoreUnavailable("down")));
        CPPUNIT_ASSERT_EQUAL(503, mapped.status);
        mapped = http::map_exception(std::make_exception_ptr(std::bad_alloc()));
        CPPUNIT_ASSERT_EQUAL(500, mapped.status);
        CPPUNIT_ASSERT_EQUAL(std::string("internal error"), mapped.message);
        StringResponseWriter started;
        started.start(200, {});
        http::respond_to_exception(std::make_exception_ptr(std::runtime_error("late")), started, "GET /x");
        CPPUNIT_ASSERT_EQUAL(200, started.status());  // a sent status is never taken back
    }
    void accessLine() {
        http::AccessRecord record;
        record.route = "GET /api/downstream/v1/chunk/<token>/<size>";
        record.status = 200;
        record.milliseconds = 1.254;
        record.body_bytes_out = 512;
        CPPUNIT_ASSERT_EQUAL(std::string("access: GET /api/downstream/v1/chunk/<token>/<size> 200 1.25ms in=0 out=512"),
                             http::format_access_line(record));
        record.client_gone = true;
        CPPUNIT_ASSERT(http::format_access_line(record).find("client-gone") != std::string::npos);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ResponseWriterTest);

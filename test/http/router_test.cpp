#include "http/router.h"

#include "base/store_unavailable.h"
#include "http/string_response_writer.h"
#include "json/json_parse.h"

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

namespace http = downstream::http;
using http::HandlerResult;
using http::HttpError;
using http::Request;
using http::ResponseWriter;
using http::RouteParams;
using http::Router;
using http::StringResponseWriter;

namespace {

// A handler that answers with the name it was registered under.
http::Handler named(const std::string& name) {
    return [name](const Request&, const RouteParams&, ResponseWriter& out) -> HandlerResult {
        out.respond(200, "text/plain", name);
        return {};
    };
}

Request request(std::string method, std::string path) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    return r;
}

// The "message" member of a JSON error body, checked to be exactly {"status","message"}.
std::string error_message(const std::string& body) {
    auto doc = downstream::json::parse_json(body);
    CPPUNIT_ASSERT(doc.ok());
    const auto& d = **doc;
    CPPUNIT_ASSERT(d.IsObject());
    CPPUNIT_ASSERT_EQUAL(2u, d.MemberCount());
    CPPUNIT_ASSERT_EQUAL(std::string("error"), std::string(d["status"].GetString()));
    return d["message"].GetString();
}

}  // namespace

class RouterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RouterTest);
    CPPUNIT_TEST(registersUnderBothPrefixesInOneCall);
    CPPUNIT_TEST(prefixRootRoute);
    CPPUNIT_TEST(typedParametersReachTheHandler);
    CPPUNIT_TEST(parametersArePercentDecodedLiteralsAreNot);
    CPPUNIT_TEST(nonNumericUintIs400);
    CPPUNIT_TEST(negativeUintIs400);
    CPPUNIT_TEST(overflowingUintIs400);
    CPPUNIT_TEST(largestUintIsAccepted);
    CPPUNIT_TEST(hexParameterRejectsTraversalAndSql);
    CPPUNIT_TEST(textParameterRejectsControlCharacters);
    CPPUNIT_TEST(malformedEscapeIs400);
    CPPUNIT_TEST(unknownRouteIs404Json);
    CPPUNIT_TEST(emptySegmentDoesNotMatchAParameter);
    CPPUNIT_TEST(wrongMethodIs405WithAllow);
    CPPUNIT_TEST(headFallsBackToGet);
    CPPUNIT_TEST(literalBeatsParameter);
    CPPUNIT_TEST(typedBeatsTextButFallsBack);
    CPPUNIT_TEST(handlerErrorBecomesJson);
    CPPUNIT_TEST(exceptionsAreMappedWithoutLeaking);
    CPPUNIT_TEST(storeUnavailableIs503);
    CPPUNIT_TEST(handlerThatDoesNotRespondIs500);
    CPPUNIT_TEST(errorAfterStartKeepsTheResponse);
    CPPUNIT_TEST(labelsNeverHoldParameterValues);
    CPPUNIT_TEST(redactsTokensInUnknownPaths);
    CPPUNIT_TEST(clientBytesReachMessagesAndLabelsPrintable);
    CPPUNIT_TEST(rejectsBadPatterns);
    CPPUNIT_TEST(wrongAccessorIsALogicError);
    CPPUNIT_TEST_SUITE_END();

public:
    void registersUnderBothPrefixesInOneCall() {
        Router router;
        router.under({"/api/downstream", "/api/downstream/v1"}).add("GET", "/chunk/<token:hex>", named("chunk"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, router.size());
        for (const char* path : {"/api/downstream/chunk/ab", "/api/downstream/v1/chunk/ab"}) {
            StringResponseWriter out;
            router.dispatch(request("GET", path), out);
            CPPUNIT_ASSERT_EQUAL(200, out.status());
            CPPUNIT_ASSERT_EQUAL(std::string("chunk"), out.body());
        }
        StringResponseWriter out;
        router.dispatch(request("GET", "/api/downstream/v2/chunk/ab"), out);
        CPPUNIT_ASSERT_EQUAL(404, out.status());
    }
    void prefixRootRoute() {
        Router router;
        router.under({"/api/downstream", "/api/downstream/v1/"}).add("GET", "/", named("root"));
        for (const char* path : {"/api/downstream/", "/api/downstream/v1/"}) {
            StringResponseWriter out;
            router.dispatch(request("GET", path), out);
            CPPUNIT_ASSERT_EQUAL(std::string("root"), out.body());
        }
        StringResponseWriter out;
        router.dispatch(request("GET", "/api/downstream"), out);
        CPPUNIT_ASSERT_EQUAL(404, out.status());
    }
    void typedParametersReachTheHandler() {
        Router router;
        std::string token;
        std::uint64_t size = 0;
        router.add("GET", "/chunk/<token:hex>/<size:uint>",
                   [&](const Request&, const RouteParams& p, ResponseWriter& out) -> HandlerResult {
                       token = p.text("token");
                       size = p.uint("size");
                       out.respond(200, "text/plain", "");
                       return {};
                   });
        StringResponseWriter out;
        router.dispatch(request("GET", "/chunk/0123456789abcdefABCDEF0123456789/32768"), out);
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("0123456789abcdefABCDEF0123456789"), token);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{32768}, size);
    }
    void parametersArePercentDecodedLiteralsAreNot() {
        Router router;
        std::string address;
        router.add("GET", "/new/<address>", [&](const Request&, const RouteParams& p,
                                               ResponseWriter& out) -> HandlerResult {
            address = p.text("address");
            out.respond(200, "text/plain", "");
            return {};
        });
        StringResponseWriter out;
        router.dispatch(request("GET", "/new/a%2Fb%20c"), out);
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("a/b c"), address);
        StringResponseWriter encoded_literal;
        router.dispatch(request("GET", "/n%65w/x"), encoded_literal);
        CPPUNIT_ASSERT_EQUAL(404, encoded_literal.status());
    }
    void nonNumericUintIs400() {
        assert_size_error("abc", "invalid size \"abc\": must be a non-negative integer");
        assert_size_error("1e3", "invalid size \"1e3\": must be a non-negative integer");
        assert_size_error("0x10", "invalid size \"0x10\": must be a non-negative integer");
        assert_size_error("+5", "invalid size \"+5\": must be a non-negative integer");
        assert_size_error("%205", "invalid size \" 5\": must be a non-negative integer");
        assert_size_error("5.0", "invalid size \"5.0\": must be a non-negative integer");
    }
    void negativeUintIs400() {
        assert_size_error("-5", "invalid size \"-5\": must be a non-negative integer");
        assert_size_error("-0", "invalid size \"-0\": must be a non-negative integer");
    }
    void overflowingUintIs400() {
        // 2^63 and 2^64: one past a signed BIGINT, and one past uint64.
        assert_size_error("9223372036854775808",
                          "invalid size \"9223372036854775808\": larger than 9223372036854775807");
        assert_size_error("18446744073709551616",
                          "invalid size \"18446744073709551616\": larger than 9223372036854775807");
        assert_size_error(std::string(300, '9'), "invalid size \"" + std::string(64, '9') +
                                                     "...\": larger than 9223372036854775807");
    }
    void largestUintIsAccepted() {
        Router router;
        std::uint64_t seen = 0;
        router.add("GET", "/x/<n:uint>", [&](const Request&, const RouteParams& p, ResponseWriter& out) -> HandlerResult {
            seen = p.uint("n");
            out.respond(200, "text/plain", "");
            return {};
        });
        StringResponseWriter out;
        router.dispatch(request("GET", "/x/9223372036854775807"), out);
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{9223372036854775807ULL}, seen);
        StringResponseWriter zero;
        router.dispatch(request("GET", "/x/0000"), zero);
        CPPUNIT_ASSERT_EQUAL(200, zero.status());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, seen);
    }
    void hexParameterRejectsTraversalAndSql() {
        Router router;
        router.add("GET", "/chunk/<token:hex>", named("chunk"));
        for (const char* bad : {"..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "1'%20OR%20'1'='1",
                                "ab;DROP%20TABLE%20tokens", "abg"}) {
            StringResponseWriter out;
            router.dispatch(request("GET", std::string("/chunk/") + bad), out);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 400, out.status());
            CPPUNIT_ASSERT(error_message(out.body()).find("must be hexadecimal") != std::string::npos);
        }
    }
    void textParameterRejectsControlCharacters() {
        Router router;
        router.add("GET", "/new/<address>", named("new"));
        StringResponseWriter out;
        router.dispatch(request("GET", "/new/ab%00cd"), out);
        CPPUNIT_ASSERT_EQUAL(400, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("invalid address \"ab?cd\": contains control characters"),
                             error_message(out.body()));
        StringResponseWriter too_long;
        router.dispatch(request("GET", "/new/" + std::string(513, 'a')), too_long);
        CPPUNIT_ASSERT_EQUAL(400, too_long.status());
    }
    void malformedEscapeIs400() {
        Router router;
        router.add("GET", "/new/<address>", named("new"));
        StringResponseWriter out;
        router.dispatch(request("GET", "/new/abc%zz"), out);
        CPPUNIT_ASSERT_EQUAL(400, out.status());
        CPPUNIT_ASSERT(error_message(out.body()).find("malformed percent-escape") != std::string::npos);
    }
    void unknownRouteIs404Json() {
        Router router;
        router.add("GET", "/chunk/<token:hex>", named("chunk"));
        StringResponseWriter out;
        router.dispatch(request("GET", "/nothing/here"), out);
        CPPUNIT_ASSERT_EQUAL(404, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), *out.header("content-type"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown route GET \"/nothing/here\""), error_message(out.body()));
        StringResponseWriter deeper;
        router.dispatch(request("GET", "/chunk/ab/extra"), deeper);
        CPPUNIT_ASSERT_EQUAL(404, deeper.status());
        StringResponseWriter no_slash;
        router.dispatch(request("GET", "chunk/ab"), no_slash);
        CPPUNIT_ASSERT_EQUAL(404, no_slash.status());
    }
    void emptySegmentDoesNotMatchAParameter() {
        Router router;
        router.add("GET", "/chunk/<token:hex>/<size:uint>", named("chunk"));
        StringResponseWriter out;
        router.dispatch(request("GET", "/chunk//5"), out);
        CPPUNIT_ASSERT_EQUAL(404, out.status());
    }
    void wrongMethodIs405WithAllow() {
        Router router;
        router.add("POST", "/answer/<token:hex>", named("post"));
        router.add("GET", "/answer/<token:hex>", named("get"));
        router.add("DELETE", "/other", named("delete"));
        StringResponseWriter out;
        router.dispatch(request("PUT", "/answer/ab"), out);
        CPPUNIT_ASSERT_EQUAL(405, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("GET, POST"), *out.header("Allow"));
        CPPUNIT_ASSERT_EQUAL(std::string("method PUT not allowed here; allowed: GET, POST"),
                             error_message(out.body()));
    }
    void headFallsBackToGet() {
        Router router;
        router.add("GET", "/status", named("get"));
        StringResponseWriter out;
        router.dispatch(request("HEAD", "/status"), out);
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("get"), out.body());
    }
    void literalBeatsParameter() {
        Router router;
        // Registered parameter-first on purpose: order must not matter.
        router.add("GET", "/status/list/<limit:uint>/<page:uint>", named("limit-page"));
        router.add("GET", "/status/list/<limit:uint>", named("limit"));
        router.add("GET", "/status/list/by/<sortby>", named("by"));
        router.add("GET", "/status/list/online", named("online"));
        router.add("GET", "/status/list/online/<limit:uint>", named("online-limit"));
        const std::pair<const char*, const char*> cases[] = {
            {"/status/list/online", "online"},
            {"/status/list/15", "limit"},
            {"/status/list/by/uptime", "by"},
            {"/status/list/15/2", "limit-page"},
            {"/status/list/online/15", "online-limit"},
        };
        for (const auto& [path, expected] : cases) {
            StringResponseWriter out;
            router.dispatch(request("GET", path), out);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path, std::string(expected), out.body());
        }
        StringResponseWriter bad;
        router.dispatch(request("GET", "/status/list/abc/2"), bad);
        CPPUNIT_ASSERT_EQUAL(400, bad.status());
        CPPUNIT_ASSERT_EQUAL(std::string("invalid limit \"abc\": must be a non-negative integer"),
                             error_message(bad.body()));
    }
    void typedBeatsTextButFallsBack() {
        Router router;
        router.add("GET", "/x/<name>", named("text"));
        router.add("GET", "/x/<n:uint>", named("uint"));
        StringResponseWriter number, word;
        router.dispatch(request("GET", "/x/12"), number);
        router.dispatch(request("GET", "/x/twelve"), word);
        CPPUNIT_ASSERT_EQUAL(std::string("uint"), number.body());
        CPPUNIT_ASSERT_EQUAL(std::string("text"), word.body());
    }
    void handlerErrorBecomesJson() {
        Router router;
        router.add("GET", "/t", [](const Request&, const RouteParams&, ResponseWriter&) -> HandlerResult {
            return HttpError::bad_request("unknown token \"x\" with a \"quote\"");
        });
        StringResponseWriter out;
        router.dispatch(request("GET", "/t"), out);
        CPPUNIT_ASSERT_EQUAL(400, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"error\",\"message\":\"unknown token \\\"x\\\" with a \\\"quote\\\"\"}"),
                             out.body());
        CPPUNIT_ASSERT_EQUAL(std::to_string(out.body().size()), *out.header("Content-Length"));
    }
    void exceptionsAreMappedWithoutLeaking() {
        Router router;
        router.add("GET", "/boom", [](const Request&, const RouteParams&, ResponseWriter&) -> HandlerResult {
            throw std::runtime_error("SELECT secret FROM tokens failed");
        });
        router.add("GET", "/int", [](const Request&, const RouteParams&, ResponseWriter&) -> HandlerResult {
            throw 42;
        });
        for (const char* path : {"/boom", "/int"}) {
            StringResponseWriter out;
            router.dispatch(request("GET", path), out);
            CPPUNIT_ASSERT_EQUAL(500, out.status());
            CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"error\",\"message\":\"internal error\"}"), out.body());
        }
    }
    void storeUnavailableIs503() {
        Router router;
        router.add("GET", "/db", [](const Request&, const RouteParams&, ResponseWriter&) -> HandlerResult {
            throw downstream::StoreUnavailable("MySQL server has gone away (2006) at 10.0.0.5");
        });
        StringResponseWriter out;
        router.dispatch(request("GET", "/db"), out);
        CPPUNIT_ASSERT_EQUAL(503, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("5"), *out.header("Retry-After"));
        const std::string message = error_message(out.body());
        CPPUNIT_ASSERT(message.find("10.0.0.5") == std::string::npos);
        CPPUNIT_ASSERT(message.find("2006") == std::string::npos);
    }
    void handlerThatDoesNotRespondIs500() {
        Router router;
        router.add("GET", "/silent", [](const Request&, const RouteParams&, ResponseWriter&) -> HandlerResult {
            return {};
        });
        StringResponseWriter out;
        router.dispatch(request("GET", "/silent"), out);
        CPPUNIT_ASSERT_EQUAL(500, out.status());
    }
    void errorAfterStartKeepsTheResponse() {
        Router router;
        router.add("GET", "/half", [](const Request&, const RouteParams&, ResponseWriter& out) -> HandlerResult {
            out.start(200, {{"Content-Type", "application/json"}});
            out.write("{\"chunks\": [");
            throw std::runtime_error("deadlock");
        });
        StringResponseWriter out;
        router.dispatch(request("GET", "/half"), out);
        CPPUNIT_ASSERT_EQUAL(200, out.status());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"chunks\": ["), out.body());
    }
    void labelsNeverHoldParameterValues() {
        Router router;
        router.under({"/api/downstream", "/api/downstream/v1"}).add("GET", "/chunk/<token:hex>/<size:uint>", named("c"));
        const std::string token = "0123456789abcdef0123456789abcdef";
        StringResponseWriter out;
        const std::string label = router.dispatch(request("GET", "/api/downstream/v1/chunk/" + token + "/100"), out);
        CPPUNIT_ASSERT_EQUAL(std::string("GET /api/downstream/v1/chunk/<token>/<size>"), label);
        StringResponseWriter bad;
        const std::string bad_label = router.dispatch(request("GET", "/api/downstream/chunk/" + token + "/-1"), bad);
        CPPUNIT_ASSERT_EQUAL(std::string("GET /api/downstream/chunk/<token>/<size>"), bad_label);
        StringResponseWriter head;
        CPPUNIT_ASSERT_EQUAL(std::string("HEAD /api/downstream/chunk/<token>/<size>"),
                             router.dispatch(request("HEAD", "/api/downstream/chunk/" + token + "/1"), head));
    }
    void redactsTokensInUnknownPaths() {
        const std::string token = "0123456789abcdef0123456789abcdef";
        CPPUNIT_ASSERT_EQUAL(std::string("/api/downstream/chunkk/<redacted>/32768"),
                             http::redact_path("/api/downstream/chunkk/" + token + "/32768"));
        Router router;
        StringResponseWriter out;
        const std::string label = router.dispatch(request("GET", "/x/" + token), out);
        CPPUNIT_ASSERT(label.find(token) == std::string::npos);
        CPPUNIT_ASSERT(out.body().find(token) == std::string::npos);
    }
    // Found by test/fuzz/router_fuzz: the client's method went raw into 404/405 messages, so a
    // method with bytes >= 0x80 made the error body invalid JSON (not UTF-8), and method and
    // unmatched path went raw into log labels, line breaks included.
    void clientBytesReachMessagesAndLabelsPrintable() {
        Router router;
        router.add("GET", "/answer/<token:hex>", named("get"));
        const std::pair<std::string, std::string> cases[] = {
            {"P\xcf\xd0ST", "/answer/ab"},          // 405
            {"G\xffT\nforged", "/nowhere\n\x01\xfe"},  // 404
        };
        for (const auto& [method, path] : cases) {
            StringResponseWriter out;
            const std::string label = router.dispatch(request(method, path), out);
            const std::string message = error_message(out.body());  // parses as JSON
            for (const std::string& text : {message, label}) {
                for (char c : text) {
                    const auto u = static_cast<unsigned char>(c);
                    CPPUNIT_ASSERT_MESSAGE(text, u >= 0x20 && u < 0x7f);
                }
            }
        }
        StringResponseWriter out;
        CPPUNIT_ASSERT_EQUAL(std::string("P??ST /answer/ab"),
                             router.dispatch(request("P\xcf\xd0ST", "/answer/ab"), out));
        CPPUNIT_ASSERT_EQUAL(std::string("method P??ST not allowed here; allowed: GET"),
                             error_message(out.body()));
        StringResponseWriter missing;
        CPPUNIT_ASSERT_EQUAL(std::string("GET /x?y"),
                             router.dispatch(request("GET", "/x\ny"), missing));
    }
    void rejectsBadPatterns() {
        Router router;
        CPPUNIT_ASSERT_THROW(router.add("GET", "no-slash", named("x")), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(router.add("GET", "/a/<x:float>", named("x")), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(router.add("GET", "/a/<x>/<x>", named("x")), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(router.add("GET", "/a/<x", named("x")), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(router.add("GET", "/a//b", named("x")), std::invalid_argument);
        router.add("GET", "/a", named("x"));
        CPPUNIT_ASSERT_THROW(router.add("GET", "/a", named("x")), std::invalid_argument);
        router.add("POST", "/a", named("x"));
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, router.size());
    }
    void wrongAccessorIsALogicError() {
        Router router;
        router.add("GET", "/a/<name>", [](const Request&, const RouteParams& p, ResponseWriter&) -> HandlerResult {
            (void)p.uint("name");  // a text parameter: a bug in the handler
            return {};
        });
        StringResponseWriter out;
        router.dispatch(request("GET", "/a/x"), out);
        CPPUNIT_ASSERT_EQUAL(500, out.status());
        RouteParams params;
        CPPUNIT_ASSERT_THROW(params.text("missing"), std::logic_error);
    }

private:
    static void assert_size_error(const std::string& size, const std::string& message) {
        Router router;
        router.add("GET", "/chunk/<token:hex>/<size:uint>", named("chunk"));
        StringResponseWriter out;
        router.dispatch(request("GET", "/chunk/ab/" + size), out);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(size, 400, out.status());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(size, message, error_message(out.body()));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(RouterTest);

#include "http/cgi_params.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

namespace http = downstream::http;

namespace {

// What nginx sends with Debian's /etc/nginx/fastcgi_params for a client request.
downstream::Result<http::RequestHead> parse(std::vector<std::string> params, const char* trusted = "127.0.0.1") {
    std::vector<const char*> envp;
    for (const auto& p : params) envp.push_back(p.c_str());
    envp.push_back(nullptr);
    return http::parse_cgi_params(envp.data(), *http::TrustedProxies::parse(trusted));
}

}  // namespace

class CgiParamsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CgiParamsTest);
    CPPUNIT_TEST(readsAnNginxParameterList);
    CPPUNIT_TEST(pathStaysRawAndQueryIsSplit);
    CPPUNIT_TEST(headersAreCaseInsensitive);
    CPPUNIT_TEST(forwardedForFromTrustedPeer);
    CPPUNIT_TEST(repeatedForwardedForFieldsJoin);
    CPPUNIT_TEST(badContentLengthIsAnError);
    CPPUNIT_TEST(missingMethodOrPathIsAnError);
    CPPUNIT_TEST(fallsBackToDocumentUri);
    CPPUNIT_TEST_SUITE_END();

public:
    void readsAnNginxParameterList() {
        auto head = parse({"QUERY_STRING=", "REQUEST_METHOD=POST", "CONTENT_TYPE=application/json",
                           "CONTENT_LENGTH=1234", "SCRIPT_NAME=/api/downstream/v1/answer/ab",
                           "REQUEST_URI=/api/downstream/v1/answer/ab", "DOCUMENT_URI=/api/downstream/v1/answer/ab",
                           "SERVER_PROTOCOL=HTTP/1.1", "REMOTE_ADDR=203.0.113.9", "REMOTE_PORT=50123",
                           "HTTP_HOST=node.example", "HTTP_CONTENT_ENCODING=gzip",
                           "HTTP_USER_AGENT=python-requests/2.4"});
        CPPUNIT_ASSERT(head.ok());
        const auto& r = head->request;
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/downstream/v1/answer/ab"), r.path);
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.query);
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{1234}, *head->content_length);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), std::string(*r.headers.get("Content-Type")));
        CPPUNIT_ASSERT_EQUAL(std::string("gzip"), std::string(*r.headers.get("content-encoding")));
        CPPUNIT_ASSERT_EQUAL(std::string("node.example"), std::string(*r.headers.get("Host")));
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"), r.client_address);
        CPPUNIT_ASSERT_EQUAL(std::string("203.0.113.9"), r.peer_address);
        CPPUNIT_ASSERT(r.body.empty());
        CPPUNIT_ASSERT(!r.headers.get("remote-port"));  // not an HTTP_ parameter
    }
    void pathStaysRawAndQueryIsSplit() {
        auto head = parse({"REQUEST_METHOD=GET", "REQUEST_URI=/api/downstream/new/a%2Fb?x=1&y=%20",
                           "DOCUMENT_URI=/api/downstream/new/a/b", "QUERY_STRING=ignored", "REMOTE_ADDR=127.0.0.1"});
        CPPUNIT_ASSERT(head.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("/api/downstream/new/a%2Fb"), head->request.path);
        CPPUNIT_ASSERT_EQUAL(std::string("x=1&y=%20"), head->request.query);
        CPPUNIT_ASSERT(!head->content_length.has_value());
    }
    void headersAreCaseInsensitive() {
        auto head = parse({"REQUEST_METHOD=GET", "REQUEST_URI=/", "HTTP_X_CUSTOM_THING=v=1"});
        CPPUNIT_ASSERT_EQUAL(std::string("v=1"), std::string(*head->request.headers.get("X-Custom-Thing")));
        CPPUNIT_ASSERT_EQUAL(std::string("v=1"), std::string(*head->request.headers.get("x-custom-thing")));
    }
    void forwardedForFromTrustedPeer() {
        auto trusted = parse({"REQUEST_METHOD=GET", "REQUEST_URI=/", "REMOTE_ADDR=127.0.0.1",
                              "HTTP_X_FORWARDED_FOR=198.51.100.7"});
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.7"), trusted->request.client_address);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), trusted->request.peer_address);
        auto untrusted = parse({"REQUEST_METHOD=GET", "REQUEST_URI=/", "REMOTE_ADDR=127.0.0.2",
                                "HTTP_X_FORWARDED_FOR=198.51.100.7"});
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.2"), untrusted->request.client_address);
    }
    void repeatedForwardedForFieldsJoin() {
        auto head = parse({"REQUEST_METHOD=GET", "REQUEST_URI=/", "REMOTE_ADDR=127.0.0.1",
                           "HTTP_X_FORWARDED_FOR=6.6.6.6", "HTTP_X_FORWARDED_FOR=198.51.100.7"});
        CPPUNIT_ASSERT_EQUAL(std::string("198.51.100.7"), head->request.client_address);
    }
    void badContentLengthIsAnError() {
        for (const char* bad : {"CONTENT_LENGTH=12a", "CONTENT_LENGTH=-1", "CONTENT_LENGTH= 5",
                                "CONTENT_LENGTH=99999999999999999999999"}) {
            auto head = parse({"REQUEST_METHOD=POST", "REQUEST_URI=/", bad});
            CPPUNIT_ASSERT_MESSAGE(bad, !head.ok());
            CPPUNIT_ASSERT(head.error().message.find("Content-Length") != std::string::npos);
        }
        auto empty = parse({"REQUEST_METHOD=GET", "REQUEST_URI=/", "CONTENT_LENGTH="});
        CPPUNIT_ASSERT(empty.ok());
        CPPUNIT_ASSERT(!empty->content_length.has_value());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t{0}, *parse({"REQUEST_METHOD=GET", "REQUEST_URI=/", "CONTENT_LENGTH=0"})->content_length);
    }
    void missingMethodOrPathIsAnError() {
        CPPUNIT_ASSERT(!parse({"REQUEST_URI=/"}).ok());
        CPPUNIT_ASSERT(!parse({"REQUEST_METHOD=GET"}).ok());
        CPPUNIT_ASSERT(!parse({"REQUEST_METHOD=GET", "REQUEST_URI=*"}).ok());
        CPPUNIT_ASSERT(!parse({}).ok());
    }
    void fallsBackToDocumentUri() {
        auto head = parse({"REQUEST_METHOD=GET", "DOCUMENT_URI=/a/b", "QUERY_STRING=q=1"});
        CPPUNIT_ASSERT(head.ok());
        CPPUNIT_ASSERT_EQUAL(std::string("/a/b"), head->request.path);
        CPPUNIT_ASSERT_EQUAL(std::string("q=1"), head->request.query);
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(CgiParamsTest);

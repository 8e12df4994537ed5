// FcgiServer, FcgiRequest and FcgiResponseWriter in-process, spoken to over a unix socket by
// a minimal FastCGI client written here from the specification (records, name-value pairs),
// so the body reader can be fed its input split at every byte.
#include "http/fcgi_server.h"

#include "farmer/gzip_body.h"
#include "http/router.h"
#include "node/listen_socket.h"

#include <fcgiapp.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

namespace http = downstream::http;
using downstream::farmer::gzip_compress;
using namespace std::chrono_literals;

namespace {

// FastCGI record types (FastCGI specification 1.0, section 8).
enum : unsigned char { kBeginRequest = 1, kEndRequest = 3, kParams = 4, kStdin = 5, kStdout = 6 };

std::string record(unsigned char type, const std::string& content) {
    std::string r;
    r += '\x01';
    r += static_cast<char>(type);
    r += '\x00';
    r += '\x01';  // request id 1
    r += static_cast<char>((content.size() >> 8) & 0xff);
    r += static_cast<char>(content.size() & 0xff);
    r += '\x00';  // no padding
    r += '\x00';
    return r + content;
}

std::string name_value(const std::string& name, const std::string& value) {
    auto length = [](std::size_t n) {
        std::string out;
        if (n < 128) {
            out += static_cast<char>(n);
        } else {
            out += static_cast<char>(((n >> 24) & 0x7f) | 0x80);
            out += static_cast<char>((n >> 16) & 0xff);
            out += static_cast<char>((n >> 8) & 0xff);
            out += static_cast<char>(n & 0xff);
        }
        return out;
    };
    return length(name.size()) + length(value.size()) + name + value;
}

struct FcgiCall {
    std::vector<std::pair<std::string, std::string>> params;
    std::string body;
    std::size_t stdin_piece = 65535;  // bytes per FCGI_STDIN record
};

class TestServer {
public:
    explicit TestServer(http::FcgiServerOptions options) {
        char dir[] = "/tmp/fcgi-server-test-XXXXXX";
        CPPUNIT_ASSERT(::mkdtemp(dir) != nullptr);
        dir_ = dir;
        downstream::node::ListenSocketOptions socket_options;
        socket_options.path = dir_ + "/fcgi.sock";
        auto socket = downstream::node::ListenSocket::create(socket_options);
        CPPUNIT_ASSERT(socket.ok());
        socket_ = std::make_unique<downstream::node::ListenSocket>(std::move(*socket));
        stop_ = ::eventfd(0, EFD_CLOEXEC);

        auto api = router_.under({"/api/downstream", "/api/downstream/v1"});
        api.add("POST", "/echo", [](const http::Request& r, const http::RouteParams&, http::ResponseWriter& out) -> http::HandlerResult {
            out.respond(200, "application/octet-stream", r.body);
            return {};
        });
        api.add("GET", "/sleep/<ms:uint>", [](const http::Request&, const http::RouteParams& p, http::ResponseWriter& out) -> http::HandlerResult {
            std::this_thread::sleep_for(std::chrono::milliseconds(p.uint("ms")));
            out.respond(200, "text/plain", "slept");
            return {};
        });
        api.add("GET", "/client", [](const http::Request& r, const http::RouteParams&, http::ResponseWriter& out) -> http::HandlerResult {
            out.start(200, {{"Content-Type", "text/plain"}});
            out.write(r.client_address);
            out.flush();
            out.write("|" + r.query);
            return {};
        });
        options.on_request = [this](const http::AccessRecord& record) {
            std::lock_guard<std::mutex> lock(mutex_);
            records_.push_back(record);
        };
        options.accept_timeout = 50ms;
        server_ = std::make_unique<http::FcgiServer>(socket_->fd(), options,
                                                     [this](const http::Request& r, http::ResponseWriter& out) {
                                                         return router_.dispatch(r, out);
                                                     });
        thread_ = std::thread([this] { server_->serve(stop_); });
    }
    ~TestServer() {
        stop();
        ::close(stop_);
        socket_.reset();
        ::rmdir(dir_.c_str());
    }
    void stop() {
        if (!thread_.joinable()) return;
        const std::uint64_t one = 1;
        CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(8), ::write(stop_, &one, sizeof one));
        thread_.join();
    }
    bool stopped_within(std::chrono::milliseconds limit) {
        const std::uint64_t one = 1;
        CPPUNIT_ASSERT_EQUAL(static_cast<ssize_t>(8), ::write(stop_, &one, sizeof one));
        const auto start = std::chrono::steady_clock::now();
        thread_.join();
        return std::chrono::steady_clock::now() - start < limit;
    }

    // Sends one FastCGI request; returns the raw CGI response (headers and body).
    std::string call(const FcgiCall& c) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, (dir_ + "/fcgi.sock").c_str(), sizeof address.sun_path - 1);
        CPPUNIT_ASSERT_EQUAL(0, ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address));
        std::string out = record(kBeginRequest, std::string("\x00\x01\x00\x00\x00\x00\x00\x00", 8));
        std::string params;
        for (const auto& [n, v] : c.params) params += name_value(n, v);
        if (!params.empty()) out += record(kParams, params);
        out += record(kParams, "");
        send_all(fd, out);
        for (std::size_t i = 0; i < c.body.size(); i += c.stdin_piece) {
            send_all(fd, record(kStdin, c.body.substr(i, c.stdin_piece)));
        }
        send_all(fd, record(kStdin, ""));
        std::string response, buffer(65536 + 8, '\0');
        std::string pending;
        bool ended = false;
        while (!ended) {
            const ssize_t got = ::read(fd, &buffer[0], buffer.size());
            if (got <= 0) break;
            pending.append(buffer.data(), static_cast<std::size_t>(got));
            while (pending.size() >= 8) {
                const std::size_t length = (static_cast<unsigned char>(pending[4]) << 8) | static_cast<unsigned char>(pending[5]);
                const std::size_t padding = static_cast<unsigned char>(pending[6]);
                if (pending.size() < 8 + length + padding) break;
                const unsigned char type = static_cast<unsigned char>(pending[1]);
                if (type == kStdout) response += pending.substr(8, length);
                if (type == kEndRequest) ended = true;
                pending.erase(0, 8 + length + padding);
            }
        }
        ::close(fd);
        CPPUNIT_ASSERT_MESSAGE("no FCGI_END_REQUEST", ended);
        return response;
    }

    std::vector<http::AccessRecord> records() {
        std::lock_guard<std::mutex> lock(mutex_);
        return records_;
    }

private:
    static void send_all(int fd, const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            CPPUNIT_ASSERT_MESSAGE("the server closed the connection while we were sending", n > 0);
            sent += static_cast<std::size_t>(n);
        }
    }

    std::string dir_;
    std::unique_ptr<downstream::node::ListenSocket> socket_;
    int stop_ = -1;
    http::Router router_;
    std::unique_ptr<http::FcgiServer> server_;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<http::AccessRecord> records_;
};

std::vector<std::pair<std::string, std::string>> post_params(const std::string& uri, std::size_t length) {
    return {{"REQUEST_METHOD", "POST"}, {"REQUEST_URI", uri}, {"REMOTE_ADDR", "203.0.113.9"},
            {"CONTENT_LENGTH", std::to_string(length)}, {"CONTENT_TYPE", "application/json"}};
}

std::string body_of(const std::string& response) {
    const std::size_t end = response.find("\r\n\r\n");
    CPPUNIT_ASSERT(end != std::string::npos);
    return response.substr(end + 4);
}

http::FcgiServerOptions options_with_limit(std::size_t limit) {
    // libfcgi installs its own SIGTERM/SIGUSR1 handlers where none is set; keep this test
    // process's dispositions as they were.
    struct sigaction term {}, usr1 {};
    ::sigaction(SIGTERM, nullptr, &term);
    ::sigaction(SIGUSR1, nullptr, &usr1);
    FCGX_Init();
    ::sigaction(SIGTERM, &term, nullptr);
    ::sigaction(SIGUSR1, &usr1, nullptr);
    http::FcgiServerOptions options;
    options.threads = 2;
    options.max_body_size = limit;
    options.trusted = *http::TrustedProxies::parse("127.0.0.1");
    return options;
}

}  // namespace

class FcgiServerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FcgiServerTest);
    CPPUNIT_TEST(answersWithCgiStatusAndHeaders);
    CPPUNIT_TEST(bodySplitAtEveryByteArrivesWhole);
    CPPUNIT_TEST(gzipBodyInOneByteRecords);
    CPPUNIT_TEST(bodiesLongerThanAReadBufferArriveWhole);
    CPPUNIT_TEST(oversizedBodyIsReadAnd413);
    CPPUNIT_TEST(shortBodyIs400);
    CPPUNIT_TEST(stopLetsTheRequestInFlightFinish);
    CPPUNIT_TEST(idleServerStopsPromptly);
    CPPUNIT_TEST_SUITE_END();

public:
    void answersWithCgiStatusAndHeaders() {
        TestServer server(options_with_limit(1024));
        const std::string response = server.call({{{"REQUEST_METHOD", "GET"}, {"REQUEST_URI", "/api/downstream/v1/client?a=1"},
                                                   {"REMOTE_ADDR", "127.0.0.1"}, {"HTTP_X_FORWARDED_FOR", "198.51.100.4"}}, "", 65535});
        CPPUNIT_ASSERT_EQUAL(std::string("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n198.51.100.4|a=1"), response);
        const std::string missing = server.call({{{"REQUEST_METHOD", "GET"}, {"REQUEST_URI", "/nope"}}, "", 65535});
        CPPUNIT_ASSERT(missing.rfind("Status: 404 Not Found\r\n", 0) == 0);
        const auto records = server.records();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, records.size());
    }
    void bodySplitAtEveryByteArrivesWhole() {
        TestServer server(options_with_limit(1 << 20));
        std::string body;
        for (int i = 0; i < 700; ++i) body += static_cast<char>((i * 37) % 256);
        for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{699}, std::size_t{700}}) {
            FcgiCall call{post_params("/api/downstream/echo", body.size()), body, piece};
            const std::string response = server.call(call);
            CPPUNIT_ASSERT(response.rfind("Status: 200 OK\r\n", 0) == 0);
            CPPUNIT_ASSERT(body_of(response) == body);
        }
    }
    void gzipBodyInOneByteRecords() {
        TestServer server(options_with_limit(1 << 20));
        std::string text;
        for (int i = 0; i < 500; ++i) text += "{\"file_hash\": \"" + std::to_string(i) + "\"}";
        const std::string packed = gzip_compress(text);
        FcgiCall call{post_params("/api/downstream/v1/echo", packed.size()), packed, 1};
        call.params.push_back({"HTTP_CONTENT_ENCODING", "gzip"});
        const std::string response = server.call(call);
        CPPUNIT_ASSERT(body_of(response) == text);
    }
    void bodiesLongerThanAReadBufferArriveWhole() {
        // stdin is read 64 KiB at a time, with or without a CONTENT_LENGTH (nginx sends an
        // empty one for a GET): the pieces must join up in order.
        TestServer server(options_with_limit(1 << 20));
        std::string body;
        for (int i = 0; i < 150000; ++i) body += static_cast<char>('a' + (i * 7919) % 26);
        const std::string known = server.call({post_params("/api/downstream/echo", body.size()), body, 65535});
        CPPUNIT_ASSERT(body_of(known) == body);
        auto params = post_params("/api/downstream/echo", body.size());
        params.erase(std::remove_if(params.begin(), params.end(),
                                    [](const auto& p) { return p.first == "CONTENT_LENGTH"; }),
                     params.end());
        const std::string unknown = server.call({params, body, 4000});
        CPPUNIT_ASSERT(body_of(unknown) == body);
        params.push_back({"CONTENT_LENGTH", ""});
        const std::string empty_length = server.call({params, "", 65535});
        CPPUNIT_ASSERT(empty_length.rfind("Status: 200 OK\r\n", 0) == 0);
        CPPUNIT_ASSERT(body_of(empty_length).empty());
    }
    void oversizedBodyIsReadAnd413() {
        TestServer server(options_with_limit(1000));
        // The client sends all of it: the server must read it (not close early), then say 413.
        const std::string body(300000, 'x');
        const std::string response = server.call({post_params("/api/downstream/echo", body.size()), body, 65535});
        CPPUNIT_ASSERT(response.rfind("Status: 413 Payload Too Large\r\n", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"error\",\"message\":\"request body larger than 1000 bytes\"}"),
                             body_of(response));
        // A body that only inflates past the limit is refused the same way.
        const std::string bomb = gzip_compress(std::string(100000, '\0'));
        const std::string inflated = server.call({post_params("/api/downstream/echo", bomb.size()), bomb, 65535});
        CPPUNIT_ASSERT(inflated.rfind("Status: 413", 0) == 0);
        // The route label was logged for the refused requests.
        for (const auto& record : server.records()) CPPUNIT_ASSERT_EQUAL(413, record.status);
    }
    void shortBodyIs400() {
        TestServer server(options_with_limit(1000));
        const std::string response = server.call({post_params("/api/downstream/echo", 50), "only twenty bytes...", 65535});
        CPPUNIT_ASSERT(response.rfind("Status: 400 Bad Request\r\n", 0) == 0);
        CPPUNIT_ASSERT(body_of(response).find("shorter than its Content-Length") != std::string::npos);
    }
    void stopLetsTheRequestInFlightFinish() {
        TestServer server(options_with_limit(1000));
        std::string response;
        std::thread client([&] {
            response = server.call({{{"REQUEST_METHOD", "GET"}, {"REQUEST_URI", "/api/downstream/sleep/400"}}, "", 65535});
        });
        std::this_thread::sleep_for(100ms);
        server.stop();  // returns only after the request finished
        client.join();
        CPPUNIT_ASSERT_EQUAL(std::string("Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nslept"), response);
    }
    void idleServerStopsPromptly() {
        TestServer server(options_with_limit(1000));
        std::this_thread::sleep_for(100ms);
        CPPUNIT_ASSERT(server.stopped_within(2000ms));
    }
};
CPPUNIT_TEST_SUITE_REGISTRATION(FcgiServerTest);

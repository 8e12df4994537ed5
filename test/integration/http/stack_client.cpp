#include "integration/http/stack_client.h"

#include "json/json_parse.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <cppunit/TestAssert.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace downstream::testing {

namespace {

std::string required_env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        CPPUNIT_FAIL(std::string(name) + " is not set: run the HTTP stack tests through scripts/test-http.sh");
    }
    return value;
}

// "http://127.0.0.1:18111" -> host, port
std::pair<std::string, int> parse_url() {
    std::string url = required_env("DOWNSTREAM_HTTP_URL");
    const std::string scheme = "http://";
    if (url.compare(0, scheme.size(), scheme) == 0) url = url.substr(scheme.size());
    while (!url.empty() && url.back() == '/') url.pop_back();
    const std::size_t colon = url.rfind(':');
    if (colon == std::string::npos) return {url, 80};
    return {url.substr(0, colon), std::stoi(url.substr(colon + 1))};
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

std::string stack_host() { return parse_url().first; }
int stack_port() { return parse_url().second; }

pid_t stack_master_pid() {
    const std::string file = required_env("DOWNSTREAM_HTTP_PID_FILE");
    std::ifstream in(file);
    long pid = 0;
    in >> pid;
    if (pid <= 0) CPPUNIT_FAIL("no pid in " + file);
    return static_cast<pid_t>(pid);
}

std::size_t stack_worker_max_body() {
    return static_cast<std::size_t>(std::stoull(required_env("DOWNSTREAM_HTTP_MAX_BODY")));
}

HttpReply http_call(const HttpCall& call) {
    const auto [host, port] = parse_url();
    Poco::Net::SocketAddress target(host, static_cast<Poco::UInt16>(port));
    Poco::Net::StreamSocket socket(target.family());
    if (!call.source_address.empty()) {
        socket.impl()->bind(Poco::Net::SocketAddress(call.source_address, 0), false);
    }
    socket.connect(target, Poco::Timespan(call.timeout_seconds, 0));
    Poco::Net::HTTPClientSession session(socket);
    session.setTimeout(Poco::Timespan(call.timeout_seconds, 0));
    Poco::Net::HTTPRequest request(call.method, call.path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost(host, static_cast<Poco::UInt16>(port));
    for (const auto& [name, value] : call.headers) request.set(name, value);
    if (!call.body.empty() || call.method == "POST") request.setContentLength(static_cast<std::streamsize>(call.body.size()));
    std::ostream& out = session.sendRequest(request);
    out.write(call.body.data(), static_cast<std::streamsize>(call.body.size()));
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpReply reply;
    reply.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response) reply.headers[lower(name)] = value;
    std::ostringstream body;
    Poco::StreamCopier::copyStream(in, body);
    reply.body = body.str();
    return reply;
}

HttpReply api_get(const std::string& path) {
    HttpCall call;
    call.path = "/api/downstream/v1" + path;
    return http_call(call);
}

std::string json_member(const std::string& json, const std::string& name) {
    auto doc = json::parse_json(json);
    if (!doc.ok() || !(*doc)->IsObject() || !(*doc)->HasMember(name.c_str())) {
        CPPUNIT_FAIL("no \"" + name + "\" in " + json.substr(0, 200));
    }
    const auto& value = (**doc)[name.c_str()];
    if (value.IsString()) return value.GetString();
    if (value.IsInt64()) return std::to_string(value.GetInt64());
    CPPUNIT_FAIL("\"" + name + "\" has an unexpected type in " + json.substr(0, 200));
    return {};
}

}  // namespace downstream::testing

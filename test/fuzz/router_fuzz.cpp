// Fuzzes http::Router (http/router.h) with the node's route table: arbitrary method and raw
// path, matched and dispatched.
//
// Input: the method, '\n', the raw path (everything after the first newline).
// Invariants: matching never throws; a match has a handler or an error, never both; errors are
// 400, 404 or 405 (with Allow); parameters handed to a handler satisfy their kind; HEAD finds
// whatever GET finds; a log label is printable ASCII and never carries a token-sized hex run
// from the path; every response dispatch writes has a status and, for errors, a well-formed
// JSON error body.
#include "fuzz/fuzz_check.h"
#include "http/router.h"
#include "http/string_response_writer.h"
#include "json/json_parse.h"

#include <algorithm>
#include <cctype>
#include <string>

using namespace downstream;
using namespace downstream::http;

namespace {

// The API's routes as DESIGN.md lists them, registered the way the node does: under both
// prefixes, plus the bare root (the client's first request).
const char* const kGetRoutes[] = {
    "/",
    "/new/<sjcx_address>",
    "/heartbeat/<token:hex>",
    "/chunk/<token:hex>",
    "/chunk/<token:hex>/<size:uint>",
    "/challenge/<token:hex>",
    "/challenge/<token:hex>/<file_hash:hex>",
    "/status/list",
    "/status/list/online",
    "/status/list/<limit:uint>",
    "/status/list/<limit:uint>/<page:uint>",
    "/status/list/online/<limit:uint>",
    "/status/list/online/<limit:uint>/<page:uint>",
    "/status/list/by/<sortby>",
    "/status/list/by/d/<sortby>",
    "/status/list/by/<sortby>/<limit:uint>",
    "/status/list/by/d/<sortby>/<limit:uint>",
    "/status/list/by/<sortby>/<limit:uint>/<page:uint>",
    "/status/list/by/d/<sortby>/<limit:uint>/<page:uint>",
    "/status/list/online/by/<sortby>",
    "/status/list/online/by/d/<sortby>",
    "/status/list/online/by/<sortby>/<limit:uint>",
    "/status/list/online/by/d/<sortby>/<limit:uint>",
    "/status/list/online/by/<sortby>/<limit:uint>/<page:uint>",
    "/status/list/online/by/d/<sortby>/<limit:uint>/<page:uint>",
    "/status/show/<farmer_id:hex>",
    "/metrics",
    "/health",
};
const char* const kPostRoutes[] = {
    "/new/<sjcx_address>",
    "/challenge/<token:hex>",
    "/answer/<token:hex>",
    "/answer/<token:hex>/<file_hash:hex>",
};

const char* const kHexParams[] = {"token", "file_hash", "farmer_id"};
const char* const kUintParams[] = {"size", "limit", "page"};
const char* const kTextParams[] = {"sjcx_address", "sortby"};

// Answers 200 after reading every parameter the way a handler would.
HandlerResult check_params(const Request&, const RouteParams& params, ResponseWriter& out) {
    for (const char* name : kHexParams) {
        if (!params.has(name)) continue;
        const std::string& text = params.text(name);
        FUZZ_CHECK(!text.empty());
        FUZZ_CHECK(std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }));
    }
    for (const char* name : kUintParams) {
        if (!params.has(name)) continue;
        FUZZ_CHECK(params.uint(name) <= 9223372036854775807ULL);
        FUZZ_CHECK(std::to_string(params.uint(name)).size() <= params.text(name).size());
    }
    for (const char* name : kTextParams) {
        if (!params.has(name)) continue;
        const std::string& text = params.text(name);
        FUZZ_CHECK(!text.empty() && text.size() <= 512);
        FUZZ_CHECK(std::none_of(text.begin(), text.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
        }));
    }
    out.respond(200, "text/plain", "ok");
    return {};
}

// The route table, built once for the whole run, as the node builds its own.
struct Routes {
    Router router;
    Routes() {
        RouteGroup api = router.under({"/api/downstream", "/api/downstream/v1"});
        for (const char* pattern : kGetRoutes) api.add("GET", pattern, check_params);
        for (const char* pattern : kPostRoutes) api.add("POST", pattern, check_params);
        router.add("GET", "/", check_params);
    }
};

const Router& router() {
    static const Routes routes;
    return routes.router;
}

bool is_printable(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

bool has_long_hex_run(std::string_view text) {
    std::size_t run = 0;
    for (char c : text) {
        run = std::isxdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
        if (run >= 16) return true;
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    Request request;
    request.method = std::string(input.field('\n'));
    request.path = std::string(input.rest());

    const RouteMatch found = router().match(request.method, request.path);
    FUZZ_CHECK((found.handler != nullptr) != found.error.has_value());
    // A label is one log line of printable ASCII; a plain method opens it unchanged, and
    // nothing after it carries a token.
    FUZZ_CHECK_MSG(is_printable(found.label), fuzz::shown(found.label));
    if (is_printable(request.method) && request.method.size() <= 64) {
        FUZZ_CHECK(found.label.compare(0, request.method.size() + 1, request.method + " ") == 0);
        FUZZ_CHECK_MSG(!has_long_hex_run(std::string_view(found.label).substr(request.method.size())),
                       found.label);
    }
    FUZZ_CHECK(!has_long_hex_run(redact_path(request.path)));
    if (found.error) {
        const int status = found.error->status;
        FUZZ_CHECK(status == 400 || status == 404 || status == 405);
        const bool has_allow = std::any_of(found.error->headers.begin(), found.error->headers.end(),
                                           [](const auto& h) { return h.first == "Allow"; });
        FUZZ_CHECK(has_allow == (status == 405));
    }
    if (request.method == "GET") {
        const RouteMatch head = router().match("HEAD", request.path);
        FUZZ_CHECK((head.handler != nullptr) == (found.handler != nullptr));
    }

    StringResponseWriter writer;
    const std::string label = router().dispatch(request, writer);
    FUZZ_CHECK(label == found.label);
    FUZZ_CHECK(writer.started());
    if (found.error) {
        FUZZ_CHECK(writer.status() == found.error->status);
        const auto body = json::parse_json(writer.body());
        FUZZ_CHECK_MSG(body.ok(), fuzz::shown(writer.body()));
        FUZZ_CHECK((*body)->IsObject() && (*body)->HasMember("message"));
    } else {
        FUZZ_CHECK(writer.status() == 200);
    }
    return 0;
}

// Maps a method and a raw path to a handler, with typed and validated path parameters.
//
// Patterns are literal segments and parameters: "/chunk/<token:hex>/<size:uint>".
//   <name>       text: any non-empty segment, percent-decoded, no control characters,
//                at most 512 bytes
//   <name:hex>   one or more hexadecimal digits (either case)
//   <name:uint>  a decimal integer 0..9223372036854775807 (fits a signed BIGINT)
// Literal segments match the raw path exactly (no decoding). Among patterns that fit a path,
// literal segments beat parameters and typed parameters beat text, position by position;
// the best one whose parameters validate is called. When parameters fail to validate in
// every candidate, the best candidate's error is returned as 400 with a message naming the
// parameter and the rule ("invalid size \"-5\": must be a non-negative integer") -- never a
// 404 and never a crash. A path nothing fits is 404; a path that fits only under other
// methods is 405 with an Allow header. HEAD falls back to the GET handler.
//
// Exceptions escaping a handler go through http/error_mapping (503 / 500).
#pragma once

#include "http/http_error.h"
#include "http/request.h"
#include "http/response_writer.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::http {

enum class ParamKind { Text, Hex, Uint };

// The validated parameters of a matched route. Asking for a name the pattern does not have,
// or for uint() of a non-uint parameter, throws std::logic_error (a bug in the handler).
class RouteParams {
public:
    // The decoded text of parameter `name`.
    const std::string& text(std::string_view name) const;
    // The value of uint parameter `name`.
    std::uint64_t uint(std::string_view name) const;
    bool has(std::string_view name) const;
    std::size_t size() const { return params_.size(); }

    // Used by the router while matching.
    void add(std::string name, ParamKind kind, std::string text, std::uint64_t number);

private:
    struct Param {
        std::string name;
        ParamKind kind;
        std::string text;
        std::uint64_t number;
    };
    const Param& find(std::string_view name) const;
    std::vector<Param> params_;
};

using Handler =
    std::function<HandlerResult(const Request&, const RouteParams&, ResponseWriter&)>;

class Router;

// Registers each route under several path prefixes at once (the API lives under both
// /api/downstream/ and /api/downstream/v1/). Valid while its Router lives.
class RouteGroup {
public:
    RouteGroup(Router& router, std::vector<std::string> prefixes);
    // Router::add for prefix + pattern, for every prefix. The pattern "/" is the prefix root.
    void add(std::string_view method, std::string_view pattern, const Handler& handler);

private:
    Router& router_;
    std::vector<std::string> prefixes_;
};

// The outcome of looking a request up, without calling anything.
struct RouteMatch {
    // The handler to call, or null when `error` is set.
    const Handler* handler = nullptr;
    RouteParams params;
    // 400 (bad parameter), 404 or 405 when no handler applies.
    std::optional<HttpError> error;
    // What to log for this request: the method and the matched pattern with parameter names
    // only ("GET /api/downstream/v1/chunk/<token>/<size>"), or for unmatched paths the raw
    // path with long hex runs (tokens) replaced by "<redacted>". Printable ASCII only: any
    // other byte of the client's method or path shows as '?', so a label is one log line.
    std::string label;
};

class Router {
public:
    Router();
    ~Router();
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    // Registers `handler` for `method` on `pattern`. Throws std::invalid_argument for a
    // malformed pattern, an unknown parameter kind, a repeated parameter name or a
    // (method, pattern) pair registered twice.
    void add(std::string_view method, std::string_view pattern, Handler handler);

    // A group adding every route under each of `prefixes` (e.g. {"/api/downstream",
    // "/api/downstream/v1"}).
    RouteGroup under(std::vector<std::string> prefixes) { return RouteGroup(*this, std::move(prefixes)); }

    // Looks `method` + raw `path` up.
    RouteMatch match(std::string_view method, std::string_view path) const;

    // Looks the request up and answers it: calls the handler, writes a returned HttpError,
    // maps escaping exceptions (http/error_mapping), and answers 500 if a handler returned
    // without responding. Returns the log label (RouteMatch::label).
    std::string dispatch(const Request& request, ResponseWriter& writer) const;

    std::size_t size() const;

    // The log label of every registered route ("GET /api/downstream/v1/chunk/<token>"), in
    // the order of registration: what dispatch() returns for a request the route answers
    // (HEAD requests answered by a GET route carry "HEAD" instead).
    std::vector<std::string> labels() const;

private:
    struct Route;
    std::vector<std::unique_ptr<Route>> routes_;
};

// `path` with every run of 16 or more hexadecimal digits replaced by "<redacted>": tokens
// are secrets and must not reach logs even when the route is unknown.
std::string redact_path(std::string_view path);

}  // namespace downstream::http

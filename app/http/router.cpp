#include "http/router.h"

#include "base/log.h"
#include "encoding/percent_encoding.h"
#include "http/error_mapping.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <set>
#include <stdexcept>

namespace downstream::http {

namespace {

constexpr std::size_t kMaxTextParam = 512;
constexpr std::uint64_t kMaxUint = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

struct Segment {
    bool literal = true;
    std::string text;  // literal text, or the parameter name
    ParamKind kind = ParamKind::Text;
};

// "/a/b/" -> {"a", "b", ""}; "/" -> {""}. The path must start with '/'.
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/') return out;
    std::size_t start = 1;
    while (true) {
        const std::size_t slash = path.find('/', start);
        if (slash == std::string_view::npos) {
            out.push_back(path.substr(start));
            return out;
        }
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
}

int segment_rank(const Segment& s) {
    if (s.literal) return 2;
    return s.kind == ParamKind::Text ? 0 : 1;
}

// Client text as it may appear in an error message (JSON, so valid UTF-8) or a log line (no
// line breaks): printable ASCII, anything else shown as '?', cut after `limit` bytes.
std::string printable(std::string_view text, std::size_t limit = std::string_view::npos) {
    std::string out;
    const std::size_t shown = std::min(text.size(), limit);
    out.reserve(shown + 3);
    for (std::size_t i = 0; i < shown; ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
    if (shown < text.size()) out += "...";
    return out;
}

// Shown back to the client inside an error message: bounded and printable.
std::string quoted(std::string_view text) { return "\"" + printable(text, 64) + "\""; }

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

struct Router::Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    std::vector<int> rank;
    Handler handler;
    std::string label;
};

// ---------------------------------------------------------------------------------------------
// RouteParams

void RouteParams::add(std::string name, ParamKind kind, std::string text, std::uint64_t number) {
    params_.push_back(Param{std::move(name), kind, std::move(text), number});
}

const RouteParams::Param& RouteParams::find(std::string_view name) const {
    for (const auto& p : params_) {
        if (p.name == name) return p;
    }
    throw std::logic_error("route has no parameter \"" + std::string(name) + "\"");
}

const std::string& RouteParams::text(std::string_view name) const { return find(name).text; }

std::uint64_t RouteParams::uint(std::string_view name) const {
    const Param& p = find(name);
    if (p.kind != ParamKind::Uint) {
        throw std::logic_error("route parameter \"" + std::string(name) + "\" is not a uint");
    }
    return p.number;
}

bool RouteParams::has(std::string_view name) const {
    return std::any_of(params_.begin(), params_.end(),
                       [&](const Param& p) { return p.name == name; });
}

// ---------------------------------------------------------------------------------------------
// RouteGroup

RouteGroup::RouteGroup(Router& router, std::vector<std::string> prefixes)
    : router_(router), prefixes_(std::move(prefixes)) {}

void RouteGroup::add(std::string_view method, std::string_view pattern, const Handler& handler) {
    for (const auto& prefix : prefixes_) {
        std::string base = prefix;
        while (!base.empty() && base.back() == '/') base.pop_back();
        router_.add(method, base + std::string(pattern), handler);
    }
}

// ---------------------------------------------------------------------------------------------
// Router

Router::Router() = default;
Router::~Router() = default;

std::size_t Router::size() const { return routes_.size(); }

std::vector<std::string> Router::labels() const {
    std::vector<std::string> out;
    out.reserve(routes_.size());
    for (const auto& route : routes_) out.push_back(route->label);
    return out;
}

void Router::add(std::string_view method, std::string_view pattern, Handler handler) {
    if (method.empty()) throw std::invalid_argument("route method is empty");
    const auto parts = split_path(pattern);
    if (parts.empty()) {
        throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
    }
    auto route = std::make_unique<Route>();
    route->method = std::string(method);
    route->pattern = std::string(pattern);
    route->label = route->method + " ";
    std::set<std::string> names;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string_view part = parts[i];
        Segment segment;
        if (!part.empty() && part.front() == '<') {
            if (part.back() != '>' || part.size() < 3) {
                throw std::invalid_argument("malformed parameter in pattern " + route->pattern);
            }
            const std::string_view inner = part.substr(1, part.size() - 2);
            const std::size_t colon = inner.find(':');
            segment.literal = false;
            segment.text = std::string(inner.substr(0, colon));
            const std::string_view kind =
                colon == std::string_view::npos ? "text" : inner.substr(colon + 1);
            if (kind == "text") {
                segment.kind = ParamKind::Text;
            } else if (kind == "hex") {
                segment.kind = ParamKind::Hex;
            } else if (kind == "uint") {
                segment.kind = ParamKind::Uint;
            } else {
                throw std::invalid_argument("unknown parameter kind \"" + std::string(kind) +
                                            "\" in pattern " + route->pattern);
            }
            if (segment.text.empty() || !names.insert(segment.text).second) {
                throw std::invalid_argument("empty or repeated parameter name in pattern " +
                                            route->pattern);
            }
            route->label += "/<" + segment.text + ">";
        } else {
            if (part.find_first_of("<>") != std::string_view::npos) {
                throw std::invalid_argument("malformed segment in pattern " + route->pattern);
            }
            // An empty segment is allowed only last (a trailing slash, e.g. a prefix root).
            if (part.empty() && i + 1 != parts.size()) {
                throw std::invalid_argument("empty segment in pattern " + route->pattern);
            }
            segment.text = std::string(part);
            route->label += "/" + segment.text;
        }
        route->rank.push_back(segment_rank(segment));
        route->segments.push_back(std::move(segment));
    }
    for (const auto& existing : routes_) {
        if (existing->method == route->method && existing->pattern == route->pattern) {
            throw std::invalid_argument("route registered twice: " + route->label);
        }
    }
    route->handler = std::move(handler);
    routes_.push_back(std::move(route));
}

namespace {

// Validates the parameters of `segments` against the path parts; an error names the
// parameter and the rule.
std::optional<HttpError> bind_params(const std::vector<Segment>& segments,
                                     const std::vector<std::string_view>& parts,
                                     RouteParams& out) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const Segment& s = segments[i];
        if (s.literal) continue;
        const std::string& name = s.text;
        auto decoded = encoding::percent_decode(parts[i]);
        if (!decoded.ok()) {
            return HttpError::bad_request("invalid " + name + " " + quoted(parts[i]) + ": " +
                                          decoded.error().message);
        }
        const std::string& text = *decoded;
        switch (s.kind) {
            case ParamKind::Text: {
                if (text.size() > kMaxTextParam) {
                    return HttpError::bad_request("invalid " + name + ": longer than " +
                                                  std::to_string(kMaxTextParam) + " bytes");
                }
                const bool control = std::any_of(text.begin(), text.end(), [](char c) {
                    const auto u = static_cast<unsigned char>(c);
                    return u < 0x20 || u == 0x7f;
                });
                if (control) {
                    return HttpError::bad_request("invalid " + name + " " + quoted(text) +
                                                  ": contains control characters");
                }
                out.add(name, s.kind, text, 0);
                break;
            }
            case ParamKind::Hex: {
                if (text.empty() || !std::all_of(text.begin(), text.end(), is_hex_digit)) {
                    return HttpError::bad_request("invalid " + name + " " + quoted(text) +
                                                  ": must be hexadecimal");
                }
                out.add(name, s.kind, text, 0);
                break;
            }
            case ParamKind::Uint: {
                const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
                    return c >= '0' && c <= '9';
                });
                if (!digits) {
                    return HttpError::bad_request("invalid " + name + " " + quoted(text) +
                                                  ": must be a non-negative integer");
                }
                std::uint64_t value = 0;
                bool overflow = false;
                for (char c : text) {
                    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
                    if (value > (kMaxUint - digit) / 10) {
                        overflow = true;
                        break;
                    }
                    value = value * 10 + digit;
                }
                if (overflow) {
                    return HttpError::bad_request("invalid " + name + " " + quoted(text) +
                                                  ": larger than " + std::to_string(kMaxUint));
                }
                out.add(name, s.kind, text, value);
                break;
            }
        }
    }
    return std::nullopt;
}

}  // namespace

RouteMatch Router::match(std::string_view method, std::string_view path) const {
    RouteMatch result;
    const auto parts = split_path(path);
    std::vector<const Route*> fitting;
    for (const auto& route : routes_) {
        if (route->segments.size() != parts.size()) continue;
        bool fits = true;
        for (std::size_t i = 0; i < parts.size() && fits; ++i) {
            const Segment& s = route->segments[i];
            fits = s.literal ? s.text == parts[i] : !parts[i].empty();
        }
        if (fits) fitting.push_back(route.get());
    }
    // The method is the client's text: it reaches messages and labels only printable.
    const std::string shown_method = printable(method, 64);
    if (fitting.empty()) {
        result.label = shown_method + " " + printable(redact_path(path));
        result.error = HttpError::not_found("unknown route " + shown_method + " " +
                                            quoted(redact_path(path)));
        return result;
    }
    std::vector<const Route*> allowed;
    for (const Route* r : fitting) {
        if (r->method == method || (method == "HEAD" && r->method == "GET")) allowed.push_back(r);
    }
    if (allowed.empty()) {
        std::set<std::string> methods;
        for (const Route* r : fitting) methods.insert(r->method);
        std::string allow;
        for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
        result.label = shown_method + " " + printable(redact_path(path));
        result.error = HttpError{405, "method " + shown_method +
                                          " not allowed here; allowed: " + allow,
                                 {{"Allow", allow}}};
        return result;
    }
    // Best first: higher rank position by position, then the exact method over HEAD->GET.
    std::stable_sort(allowed.begin(), allowed.end(), [&](const Route* a, const Route* b) {
        if (a->rank != b->rank) return a->rank > b->rank;
        return (a->method == method) > (b->method == method);
    });
    for (const Route* r : allowed) {
        RouteParams params;
        auto error = bind_params(r->segments, parts, params);
        if (!error) {
            result.handler = &r->handler;
            result.params = std::move(params);
            result.label = r->label;
            result.label.replace(0, r->method.size(), shown_method);
            result.error.reset();
            return result;
        }
        if (!result.error) {
            result.error = std::move(error);
            result.label = r->label;
            result.label.replace(0, r->method.size(), shown_method);
        }
    }
    return result;
}

std::string Router::dispatch(const Request& request, ResponseWriter& writer) const {
    RouteMatch found = match(request.method, request.path);
    if (found.error) {
        write_error(writer, *found.error);
        return found.label;
    }
    try {
        HandlerResult outcome = (*found.handler)(request, found.params, writer);
        if (!outcome.ok()) {
            if (writer.started()) {
                log::error(found.label + ": handler returned " +
                           std::to_string(outcome.error().status) + " after responding");
            } else {
                write_error(writer, outcome.error());
            }
        } else if (!writer.started()) {
            log::error(found.label + ": handler returned without responding");
            write_error(writer, HttpError{500, "internal error", {}});
        }
    } catch (...) {
        respond_to_exception(std::current_exception(), writer, found.label);
    }
    return found.label;
}

std::string redact_path(std::string_view path) {
    std::string out;
    std::size_t i = 0;
    while (i < path.size()) {
        std::size_t j = i;
        while (j < path.size() && is_hex_digit(path[j])) ++j;
        if (j - i >= 16) {
            out += "<redacted>";
            i = j;
        } else if (j > i) {
            out.append(path.substr(i, j - i));
            i = j;
        } else {
            out.push_back(path[i]);
            ++i;
        }
    }
    return out;
}

}  // namespace downstream::http

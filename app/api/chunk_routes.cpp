#include "api/chunk_routes.h"

#include "api/contract_reply.h"
#include "api/token_lookup.h"
#include "http/json_stream.h"

namespace downstream::api {
namespace {

// A farmer asking from a new IP keeps its token only if that IP may hold one more
// (DESIGN.md §2 "Chunk contracts"); the token then moves there, with its location.
std::optional<http::HttpError> follow_farmer_ip(const ApiContext& context,
                                                const store::TokenRecord& farmer,
                                                const std::string& ip) {
    if (farmer.ip == ip) return std::nullopt;
    const geo::Location l = context.locator.locate(ip);
    const store::Location location{l.city, l.country, l.state, l.zip, l.lat, l.lon};
    switch (context.tokens.move_to_ip(farmer.id, ip, location, context.settings.max_tokens_per_ip,
                                      context.clock.now_ms())) {
    case store::MoveOutcome::Moved:
    case store::MoveOutcome::Unchanged:
        return std::nullopt;
    case store::MoveOutcome::TooManyTokens:
        return http::HttpError::bad_request(
            "this token was issued to another IP address, and this one already holds " +
            std::to_string(context.settings.max_tokens_per_ip) + " tokens, the most allowed");
    case store::MoveOutcome::NotFound:
        break;
    }
    return http::HttpError::bad_request("unknown token");
}

http::HandlerResult issue_chunks(const ApiContext& context, const http::Request& request,
                                 std::string_view token_text, std::int64_t size,
                                 http::ResponseWriter& writer) {
    auto found = find_farmer(context, token_text);
    if (auto* error = std::get_if<http::HttpError>(&found)) return *error;
    const auto& farmer = std::get<store::TokenRecord>(found);
    if (auto refused = follow_farmer_ip(context, farmer, request.client_address)) return *refused;

    store::IssueRequest issue;
    issue.token_id = farmer.id;
    issue.requested_bytes = size;
    issue.max_chunks = context.settings.max_chunks_per_request;
    issue.max_size_per_address = context.settings.max_size_per_address;
    issue.interval_ms = context.settings.interval_ms;
    issue.pool = context.pool_key;
    const UnixMillis now = context.clock.now_ms();
    // Committed before the status line goes out: the reply only reports what is final.
    auto issued = context.contracts.issue_from_pool(issue, now);
    if (!issued) return http::HttpError::bad_request(issued.error().message);
    std::int64_t issued_bytes = 0;
    for (const store::IssuedContract& contract : *issued) issued_bytes += contract.size;
    context.events.contracts_issued(issued->size(), issued_bytes);

    http::JsonStream stream(writer, 200);
    stream.write("{\"chunks\":[");
    bool first = true;
    for (const store::IssuedContract& contract : *issued) {
        if (!first) stream.write(",");
        first = false;
        stream.write(chunk_entry_json(contract, now));
    }
    stream.write("]}");
    stream.finish();
    return {};
}

}  // namespace

void add_chunk_routes(http::RouteGroup& routes, const ApiContext& context) {
    routes.add("GET", "/chunk/<token>",
               [&context](const http::Request& request, const http::RouteParams& params,
                          http::ResponseWriter& writer) {
                   return issue_chunks(context, request, params.text("token"),
                                       context.settings.default_chunk_size, writer);
               });
    routes.add("GET", "/chunk/<token>/<size:uint>",
               [&context](const http::Request& request, const http::RouteParams& params,
                          http::ResponseWriter& writer) {
                   // uint parameters fit a signed BIGINT (router), so the cast is exact.
                   return issue_chunks(context, request, params.text("token"),
                                       static_cast<std::int64_t>(params.uint("size")), writer);
               });
}

}  // namespace downstream::api

#include "api/token_routes.h"

#include "api/request_body.h"
#include "api/token_lookup.h"
#include "identity/base58check.h"
#include "identity/signed_message.h"
#include "identity/token.h"

namespace downstream::api {
namespace {

store::Location to_store_location(const geo::Location& l) {
    return store::Location{l.city, l.country, l.state, l.zip, l.lat, l.lon};
}

// {"heartbeat": <public heartbeat>, "token": "<hex>", "type": "Merkle"} (keys sorted, as the
// original node's jsonify wrote them).
void write_token_reply(http::ResponseWriter& writer, const ApiContext& context,
                       const std::string& token_text) {
    json::Buffer buffer;
    json::Writer w(buffer);
    const std::string heartbeat = context.scheme.public_heartbeat_json();
    const std::string_view type = context.scheme.type_name();
    w.StartObject();
    w.Key("heartbeat");
    w.RawValue(heartbeat.data(), heartbeat.size(), rapidjson::kObjectType);
    w.Key("token");
    w.String(token_text.data(), static_cast<rapidjson::SizeType>(token_text.size()));
    w.Key("type");
    w.String(type.data(), static_cast<rapidjson::SizeType>(type.size()));
    w.EndObject();
    writer.respond_json(200, std::string_view(buffer.GetString(), buffer.GetSize()));
}

// Issues a token for `address` to the requesting IP, once the signature (if any) is checked.
http::HandlerResult issue_token(const ApiContext& context, const http::Request& request,
                                std::string_view address,
                                const std::optional<SignedMessage>& signed_message,
                                http::ResponseWriter& writer) {
    const auto decoded = identity::base58check_decode(address);
    if (!decoded) return http::HttpError::bad_request("invalid address: " + decoded.error().message);
    if (signed_message) {
        // The reference verifier reads the address exactly as sent (no stripping).
        const auto check = identity::verify_signed_message(address, signed_message->message,
                                                           signed_message->signature);
        if (!check.verified())
            return http::HttpError::bad_request("signature rejected: " + check.reason);
    }
    const identity::Token token = identity::Token::generate();
    store::NewToken fresh;
    fresh.token_hash = token.storage_hash();
    fresh.farmer_id = token.farmer_id();
    fresh.address = decoded->canonical;
    fresh.ip = request.client_address;
    fresh.location = to_store_location(context.locator.locate(request.client_address));
    const store::TokenLimits limits{context.settings.max_tokens_per_ip, context.settings.min_balance};
    auto created = context.tokens.create(fresh, limits, context.clock.now_ms());
    if (!created) return http::HttpError::bad_request(created.error().message);
    context.events.token_issued();
    write_token_reply(writer, context, token.text());
    return {};
}

}  // namespace

void add_token_routes(http::RouteGroup& routes, const ApiContext& context) {
    routes.add("GET", "/new/<address>",
               [&context](const http::Request& request, const http::RouteParams& params,
                          http::ResponseWriter& writer) -> http::HandlerResult {
                   if (context.settings.require_signature)
                       return http::HttpError::bad_request(
                           "this node requires a signature: POST /new/<address> with "
                           "{\"message\": ..., \"signature\": ...} signed by the address's key");
                   return issue_token(context, request, params.text("address"), std::nullopt, writer);
               });

    routes.add("POST", "/new/<address>",
               [&context](const http::Request& request, const http::RouteParams& params,
                          http::ResponseWriter& writer) -> http::HandlerResult {
                   std::optional<SignedMessage> signed_message;
                   // A client that does not sign may POST an empty body where the node does
                   // not require signatures.
                   const bool empty = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
                   if (!empty || context.settings.require_signature) {
                       auto body = parse_object_body(request.body);
                       if (!body) return http::HttpError::bad_request(body.error().message);
                       auto parsed = parse_signed_message(*body, context.settings.max_message_size);
                       if (!parsed) return http::HttpError::bad_request(parsed.error().message);
                       signed_message = std::move(parsed).value();
                   }
                   return issue_token(context, request, params.text("address"), signed_message,
                                      writer);
               });

    routes.add("GET", "/heartbeat/<token>",
               [&context](const http::Request&, const http::RouteParams& params,
                          http::ResponseWriter& writer) -> http::HandlerResult {
                   auto farmer = find_farmer(context, params.text("token"));
                   if (auto* error = std::get_if<http::HttpError>(&farmer)) return *error;
                   // The reply names the token the farmer already holds: it is in the URL.
                   write_token_reply(writer, context,
                                     identity::Token::parse(params.text("token"))->text());
                   return {};
               });
}

}  // namespace downstream::api

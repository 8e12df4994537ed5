#include "api/token_lookup.h"

#include "identity/token.h"

namespace downstream::api {

std::variant<std::string, http::HttpError> token_storage_hash(std::string_view token_text) {
    const auto token = identity::Token::parse(token_text);
    if (!token) return http::HttpError::bad_request("invalid token: " + token.error().message);
    return token->storage_hash();
}

http::HttpError unknown_token() { return http::HttpError::bad_request("unknown token"); }

std::variant<store::TokenRecord, http::HttpError> find_farmer(const ApiContext& context,
                                                              std::string_view token_text) {
    auto hash = token_storage_hash(token_text);
    if (auto* error = std::get_if<http::HttpError>(&hash)) return *error;
    auto farmer = context.tokens.find_by_hash(std::get<std::string>(hash));
    if (!farmer) return unknown_token();
    return std::move(*farmer);
}

}  // namespace downstream::api

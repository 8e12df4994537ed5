#include "api/token_lookup.h"

#include "identity/token.h"

namespace downstream::api {

std::variant<store::TokenRecord, http::HttpError> find_farmer(const ApiContext& context,
                                                              std::string_view token_text) {
    const auto token = identity::Token::parse(token_text);
    if (!token) return http::HttpError::bad_request("invalid token: " + token.error().message);
    auto farmer = context.tokens.find_by_hash(token->storage_hash());
    if (!farmer) return http::HttpError::bad_request("unknown token");
    return std::move(*farmer);
}

}  // namespace downstream::api

// Finding the farmer a URL's token names: the first step of every farmer route but /new.
#pragma once

#include "api/api_context.h"
#include "http/http_error.h"

#include <string_view>
#include <variant>

namespace downstream::api {

// The farmer whose token is `token_text`, or the client error to answer: 400 "invalid token"
// for text that is not a token, 400 "unknown token" for a token the node never issued (or
// revoked). The plain token is hashed here and goes no further.
std::variant<store::TokenRecord, http::HttpError> find_farmer(const ApiContext& context,
                                                              std::string_view token_text);

// The storage hash of the token `token_text`, or 400 "invalid token" (no database read: for
// routes that look the token up together with what they read next).
std::variant<std::string, http::HttpError> token_storage_hash(std::string_view token_text);

// 400 "unknown token": what find_farmer answers for a token the node does not know.
http::HttpError unknown_token();

}  // namespace downstream::api

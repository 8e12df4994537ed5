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

}  // namespace downstream::api

#include "api/answer_routes.h"

#include "api/answer_resolution.h"
#include "api/contract_reply.h"
#include "api/request_body.h"
#include "api/token_lookup.h"
#include "encoding/hex.h"
#include "http/json_stream.h"

#include <stdexcept>

namespace downstream::api {
namespace {

// Proofs one POST /answer may carry (a proof is about 1 KB; the body limit is 16 MiB).
constexpr std::size_t kMaxProofsPerRequest = 65536;

// A request whose body is refused: an unknown token is still the first thing the farmer
// hears (as on every farmer route), so the token is looked up before the body's error is sent.
http::HttpError token_error_first(const ApiContext& context, std::string_view token_text,
                                  const std::string& body_error) {
    auto found = find_farmer(context, token_text);
    if (auto* error = std::get_if<http::HttpError>(&found)) return *error;
    return http::HttpError::bad_request(body_error);
}

http::HandlerResult one_answer(const ApiContext& context, const http::Request& request,
                               std::string_view token_text, std::string_view file_hash_hex,
                               http::ResponseWriter& writer) {
    auto token_hash = token_storage_hash(token_text);
    if (auto* error = std::get_if<http::HttpError>(&token_hash)) return *error;
    auto body = parse_object_body(request.body);
    auto proof = body ? parse_single_proof(*body) : Result<const json::Value*>(body.error());
    if (!proof) return token_error_first(context, token_text, proof.error().message);

    AnswerTarget target;
    if (encoding::is_hex(file_hash_hex, 64)) target.file_hash = encoding::hex_decode(file_hash_hex).value();
    target.proof = *proof;
    const auto results =
        resolve_answers(context, std::get<std::string>(token_hash), {target}, context.clock.now_ms());
    if (!results) return unknown_token();
    const AnswerResult result = results->front();
    context.events.answer_checked(result);
    if (result == AnswerResult::Ok) {
        writer.respond_json(200, R"({"status":"ok"})");
        return {};
    }
    if (result == AnswerResult::StateInvalid)
        throw std::runtime_error("the contract's stored state failed its authentication");
    return http::HttpError::bad_request(answer_message(result));
}

http::HandlerResult many_answers(const ApiContext& context, const http::Request& request,
                                 std::string_view token_text, http::ResponseWriter& writer) {
    auto token_hash = token_storage_hash(token_text);
    if (auto* error = std::get_if<http::HttpError>(&token_hash)) return *error;
    auto body = parse_object_body(request.body);
    if (!body) return token_error_first(context, token_text, body.error().message);
    auto entries = parse_answer_proofs(*body, kMaxProofsPerRequest);
    if (!entries) return token_error_first(context, token_text, entries.error().message);

    std::vector<AnswerTarget> targets;
    targets.reserve(entries->size());
    for (const ProofEntry& e : *entries)
        targets.push_back(AnswerTarget{e.file_hash.bytes, e.well_formed ? e.proof : nullptr});
    auto resolved = resolve_answers(context, std::get<std::string>(token_hash), targets,
                                    context.clock.now_ms());
    if (!resolved) return unknown_token();
    std::vector<AnswerResult> results = std::move(*resolved);
    for (std::size_t i = 0; i < results.size(); ++i)
        if (!(*entries)[i].well_formed) results[i] = AnswerResult::ProofCorrupted;
    for (const AnswerResult result : results) context.events.answer_checked(result);

    // {"report": [...]} in request order; one bad entry never fails the others.
    http::JsonStream stream(writer, 200);
    stream.write("{\"report\":[");
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (i) stream.write(",");
        const std::string& hash_json = (*entries)[i].file_hash.echo_json;
        stream.write(results[i] == AnswerResult::Ok
                         ? file_ok_json(hash_json)
                         : file_error_json(hash_json, answer_message(results[i])));
    }
    stream.write("]}");
    stream.finish();
    return {};
}

}  // namespace

void add_answer_routes(http::RouteGroup& routes, const ApiContext& context) {
    routes.add("POST", "/answer/<token>/<file_hash>",
               [&context](const http::Request& request, const http::RouteParams& params,
                          http::ResponseWriter& writer) {
                   return one_answer(context, request, params.text("token"),
                                     params.text("file_hash"), writer);
               });
    routes.add("POST", "/answer/<token>",
               [&context](const http::Request& request, const http::RouteParams& params,
                          http::ResponseWriter& writer) {
                   return many_answers(context, request, params.text("token"), writer);
               });
}

}  // namespace downstream::api

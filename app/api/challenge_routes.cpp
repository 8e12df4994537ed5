#include "api/challenge_routes.h"

#include "api/challenge_resolution.h"
#include "api/contract_reply.h"
#include "api/request_body.h"
#include "api/token_lookup.h"
#include "encoding/hex.h"
#include "http/json_stream.h"
#include "json/json.h"

#include <map>
#include <stdexcept>

namespace downstream::api {
namespace {

// Files one POST /challenge may list (a 16 MiB body holds about 240,000 hashes).
constexpr std::size_t kMaxListedFiles = 65536;

using Kind = ChallengeOutcome::Kind;

std::string entry_json(const ChallengeOutcome& outcome, std::string_view hash_json, UnixMillis now) {
    switch (outcome.kind) {
    case Kind::Current:
        return challenge_entry_json(hash_json, outcome.challenge_json, outcome.due_ms,
                                    outcome.answered, now);
    case Kind::NoMore:
        return no_more_challenges_json(hash_json);
    case Kind::Expired:
        return file_error_json(hash_json, "contract expired");
    case Kind::NotFound:
        return file_error_json(hash_json, "contract not found");
    case Kind::StateInvalid:
        break;
    }
    return file_error_json(hash_json, "contract state invalid");
}

// {"challenges": [entry, ...]}, streamed; the outcomes are already committed.
void write_challenge_list(http::ResponseWriter& writer, const std::vector<ChallengeOutcome>& outcomes,
                          const std::vector<std::string>& hash_jsons, UnixMillis now) {
    http::JsonStream stream(writer, 200);
    stream.write("{\"challenges\":[");
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        if (i) stream.write(",");
        stream.write(entry_json(outcomes[i], hash_jsons[i], now));
    }
    stream.write("]}");
    stream.finish();
}

http::HandlerResult one_challenge(const ApiContext& context, std::string_view token_text,
                                  std::string_view file_hash_hex, http::ResponseWriter& writer) {
    auto found = find_farmer(context, token_text);
    if (auto* error = std::get_if<http::HttpError>(&found)) return *error;
    const auto& farmer = std::get<store::TokenRecord>(found);
    // Text that is not a file hash names no contract: the same answer as an unknown hash.
    if (!encoding::is_hex(file_hash_hex, 64)) return http::HttpError::bad_request("contract not found");
    const auto rows = context.contracts.find_many(farmer.id, {encoding::hex_decode(file_hash_hex).value()});
    std::vector<std::optional<store::ContractRecord>> contracts{
        rows.empty() ? std::nullopt : std::optional<store::ContractRecord>(rows.front())};
    const UnixMillis now = context.clock.now_ms();
    const ChallengeOutcome outcome = resolve_challenges(context, farmer.id, contracts, now).front();
    switch (outcome.kind) {
    case Kind::Current: {
        json::Buffer buffer;
        json::Writer w(buffer);
        w.StartObject();
        w.Key("answered");
        w.Bool(outcome.answered);
        w.Key("challenge");
        w.RawValue(outcome.challenge_json.data(), outcome.challenge_json.size(), rapidjson::kObjectType);
        w.Key("due");
        w.Int64(seconds_until(outcome.due_ms, now));
        w.EndObject();
        writer.respond_json(200, std::string_view(buffer.GetString(), buffer.GetSize()));
        return {};
    }
    case Kind::NoMore:
        writer.respond_json(200, R"({"status":"no more challenges"})");
        return {};
    case Kind::Expired:
        return http::HttpError::bad_request("contract expired");
    case Kind::NotFound:
        return http::HttpError::bad_request("contract not found");
    case Kind::StateInvalid:
        break;
    }
    throw std::runtime_error("the contract's stored state failed its authentication");
}

http::HandlerResult all_challenges(const ApiContext& context, std::string_view token_text,
                                   http::ResponseWriter& writer) {
    auto found = find_farmer(context, token_text);
    if (auto* error = std::get_if<http::HttpError>(&found)) return *error;
    const auto& farmer = std::get<store::TokenRecord>(found);
    std::vector<std::optional<store::ContractRecord>> contracts;
    std::vector<std::string> hash_jsons;
    for (store::ContractRecord& c : context.contracts.find_for_token(farmer.id)) {
        hash_jsons.push_back(file_hash_json(c.file_hash));
        contracts.emplace_back(std::move(c));
    }
    const UnixMillis now = context.clock.now_ms();
    write_challenge_list(writer, resolve_challenges(context, farmer.id, contracts, now), hash_jsons, now);
    return {};
}

http::HandlerResult listed_challenges(const ApiContext& context, const http::Request& request,
                                      std::string_view token_text, http::ResponseWriter& writer) {
    auto found = find_farmer(context, token_text);
    if (auto* error = std::get_if<http::HttpError>(&found)) return *error;
    const auto& farmer = std::get<store::TokenRecord>(found);
    auto body = parse_object_body(request.body);
    if (!body) return http::HttpError::bad_request(body.error().message);
    auto refs = parse_challenge_hashes(*body, kMaxListedFiles);
    if (!refs) return http::HttpError::bad_request(refs.error().message);

    std::vector<std::string> wanted;
    for (const FileHashRef& ref : *refs)
        if (ref.bytes) wanted.push_back(*ref.bytes);
    std::map<std::string, store::ContractRecord> by_hash;
    for (store::ContractRecord& c : context.contracts.find_many(farmer.id, wanted))
        by_hash.emplace(c.file_hash, std::move(c));

    // A file listed twice is answered twice, from the same record.
    std::vector<std::optional<store::ContractRecord>> contracts;
    std::vector<std::string> hash_jsons;
    std::map<std::string, std::size_t> first_listing;
    for (const FileHashRef& ref : *refs) {
        hash_jsons.push_back(ref.echo_json);
        const auto it = ref.bytes ? by_hash.find(*ref.bytes) : by_hash.end();
        if (it == by_hash.end() || !first_listing.emplace(it->first, contracts.size()).second) {
            contracts.emplace_back(std::nullopt);
            continue;
        }
        contracts.emplace_back(it->second);
    }
    const UnixMillis now = context.clock.now_ms();
    std::vector<ChallengeOutcome> outcomes = resolve_challenges(context, farmer.id, contracts, now);
    for (std::size_t i = 0; i < refs->size(); ++i) {
        const FileHashRef& ref = (*refs)[i];
        if (contracts[i] || !ref.bytes) continue;
        const auto first = first_listing.find(*ref.bytes);
        if (first != first_listing.end()) outcomes[i] = outcomes[first->second];
    }
    write_challenge_list(writer, outcomes, hash_jsons, now);
    return {};
}

}  // namespace

void add_challenge_routes(http::RouteGroup& routes, const ApiContext& context) {
    routes.add("GET", "/challenge/<token>/<file_hash>",
               [&context](const http::Request&, const http::RouteParams& params,
                          http::ResponseWriter& writer) {
                   return one_challenge(context, params.text("token"), params.text("file_hash"),
                                        writer);
               });
    routes.add("GET", "/challenge/<token>",
               [&context](const http::Request&, const http::RouteParams& params,
                          http::ResponseWriter& writer) {
                   return all_challenges(context, params.text("token"), writer);
               });
    routes.add("POST", "/challenge/<token>",
               [&context](const http::Request& request, const http::RouteParams& params,
                          http::ResponseWriter& writer) {
                   return listed_challenges(context, request, params.text("token"), writer);
               });
}

}  // namespace downstream::api

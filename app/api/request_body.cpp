#include "api/request_body.h"

#include "encoding/hex.h"
#include "json/json_parse.h"

namespace downstream::api {
namespace {

const json::Value* member(const json::Value& object, const char* name) {
    const auto it = object.FindMember(name);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string to_json_text(const json::Value& value) {
    json::Buffer buffer;
    json::Writer writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

Result<JsonBody> parse_object_body(std::string_view body) {
    json::ParseLimits limits;
    limits.max_depth = 16;  // the deepest body of the protocol (a Merkle proof) needs 5
    auto parsed = json::parse_json(body, limits);
    if (!parsed) return make_error("the request body is not valid JSON: " + parsed.error().message);
    if (!(*parsed)->IsObject())
        return make_error(std::string("the request body must be a JSON object, not ") +
                          json::describe_type(**parsed));
    return JsonBody{std::move(parsed).value()};
}

FileHashRef file_hash_ref(const json::Value& value) {
    FileHashRef ref;
    ref.echo_json = to_json_text(value);
    if (value.IsString()) {
        const std::string_view text(value.GetString(), value.GetStringLength());
        if (encoding::is_hex(text, 64)) ref.bytes = encoding::hex_decode(text).value();
    }
    return ref;
}

Result<SignedMessage> parse_signed_message(const JsonBody& body, std::int64_t max_message_size) {
    const json::Value* message = member(body.root(), "message");
    const json::Value* signature = member(body.root(), "signature");
    if (!message || !signature)
        return make_error("the request body must have \"message\" and \"signature\" members");
    if (!message->IsString())
        return make_error(std::string("\"message\" must be a string, not ") +
                          json::describe_type(*message));
    if (!signature->IsString())
        return make_error(std::string("\"signature\" must be a string, not ") +
                          json::describe_type(*signature));
    if (static_cast<std::int64_t>(message->GetStringLength()) > max_message_size)
        return make_error("the signed message is " + std::to_string(message->GetStringLength()) +
                          " bytes long; this node accepts at most " +
                          std::to_string(max_message_size));
    return SignedMessage{std::string(message->GetString(), message->GetStringLength()),
                         std::string(signature->GetString(), signature->GetStringLength())};
}

Result<std::vector<FileHashRef>> parse_challenge_hashes(const JsonBody& body,
                                                        std::size_t max_entries) {
    const json::Value* hashes = member(body.root(), "hashes");
    if (!hashes) return make_error("the request body must have a \"hashes\" member");
    if (!hashes->IsArray())
        return make_error(std::string("\"hashes\" must be an array, not ") +
                          json::describe_type(*hashes));
    if (hashes->Size() > max_entries)
        return make_error("\"hashes\" lists " + std::to_string(hashes->Size()) +
                          " files; at most " + std::to_string(max_entries) + " per request");
    std::vector<FileHashRef> refs;
    refs.reserve(hashes->Size());
    for (const json::Value& hash : hashes->GetArray()) refs.push_back(file_hash_ref(hash));
    return refs;
}

Result<std::vector<ProofEntry>> parse_answer_proofs(const JsonBody& body, std::size_t max_entries) {
    const json::Value* proofs = member(body.root(), "proofs");
    if (!proofs) return make_error("the request body must have a \"proofs\" member");
    if (!proofs->IsArray())
        return make_error(std::string("\"proofs\" must be an array, not ") +
                          json::describe_type(*proofs));
    if (proofs->Size() > max_entries)
        return make_error("\"proofs\" holds " + std::to_string(proofs->Size()) +
                          " proofs; at most " + std::to_string(max_entries) + " per request");
    std::vector<ProofEntry> entries;
    entries.reserve(proofs->Size());
    for (const json::Value& item : proofs->GetArray()) {
        ProofEntry entry;
        if (!item.IsObject()) {
            // Reported in the entry's place ("proof corrupted"), so the others still count.
            entry.well_formed = false;
            entry.file_hash.echo_json = "null";
            entries.push_back(std::move(entry));
            continue;
        }
        const json::Value* hash = member(item, "file_hash");
        entry.file_hash = hash ? file_hash_ref(*hash) : FileHashRef{"null", std::nullopt};
        entry.proof = member(item, "proof");
        entries.push_back(std::move(entry));
    }
    return entries;
}

Result<const json::Value*> parse_single_proof(const JsonBody& body) {
    const json::Value* proof = member(body.root(), "proof");
    if (!proof) return make_error("the request body must have a \"proof\" member");
    return proof;
}

}  // namespace downstream::api

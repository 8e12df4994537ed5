// Reading a route's JSON request body into checked, typed values: the edge where untrusted
// input becomes data. Each function returns a client error (HTTP 400 with a precise message)
// instead of throwing, and never reads a member before checking its type.
#pragma once

#include "base/result.h"
#include "http/http_error.h"
#include "json/json.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::api {

// A parsed body whose top level is a JSON object. The document owns every value pointed into.
struct JsonBody {
    std::unique_ptr<json::Document> document;
    const json::Value& root() const { return *document; }
};

// Parses `body` as one JSON object (nesting limited). "the request body is not valid JSON:
// ..." or "the request body must be a JSON object" otherwise.
Result<JsonBody> parse_object_body(std::string_view body);

// A file hash as a farmer sent it: echoed back in its own JSON form (the shipped client
// compares what it sent), and its 32 bytes when it is 64 hex characters.
struct FileHashRef {
    std::string echo_json;             // the value exactly as JSON text, e.g. "\"ab12...\""
    std::optional<std::string> bytes;  // 32 raw bytes, absent when not a 64-hex string
};

// The hash value `value` as a FileHashRef (any JSON value is accepted here; one that is not a
// 64-hex string simply names no contract).
FileHashRef file_hash_ref(const json::Value& value);

// POST /new/<address>: {"message": "...", "signature": "..."}.
struct SignedMessage {
    std::string message;
    std::string signature;
};
Result<SignedMessage> parse_signed_message(const JsonBody& body, std::int64_t max_message_size);

// POST /challenge/<token>: {"hashes": [file_hash, ...]}.
Result<std::vector<FileHashRef>> parse_challenge_hashes(const JsonBody& body,
                                                        std::size_t max_entries);

// POST /answer/<token>: {"proofs": [{"file_hash": ..., "proof": ...}, ...]}. Each entry keeps
// a pointer to its proof value inside the body's document.
struct ProofEntry {
    FileHashRef file_hash;
    const json::Value* proof = nullptr;  // null when the entry has no "proof" member
    bool well_formed = true;             // false when the entry is not an object
};
Result<std::vector<ProofEntry>> parse_answer_proofs(const JsonBody& body, std::size_t max_entries);

// POST /answer/<token>/<file_hash>: {"proof": ...}; the proof value, unchecked.
Result<const json::Value*> parse_single_proof(const JsonBody& body);

}  // namespace downstream::api

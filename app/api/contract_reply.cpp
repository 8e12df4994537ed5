#include "api/contract_reply.h"

#include "encoding/hex.h"
#include "json/json.h"

namespace downstream::api {
namespace {

void raw(json::Writer& w, std::string_view text, rapidjson::Type type) {
    w.RawValue(text.data(), text.size(), type);
}

void string(json::Writer& w, std::string_view text) {
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string text_of(const json::Buffer& buffer) {
    return std::string(buffer.GetString(), buffer.GetSize());
}

// `text` as a JSON string, quoted and escaped.
std::string json_string(std::string_view text) {
    json::Buffer buffer;
    json::Writer w(buffer);
    string(w, text);
    return text_of(buffer);
}

// {"file_hash": …, "status": status}: the per-file entry of a challenge or answer reply.
std::string file_status_json(std::string_view file_hash_json, std::string_view status) {
    json::Buffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("file_hash");
    raw(w, file_hash_json, rapidjson::kStringType);
    w.Key("status");
    string(w, status);
    w.EndObject();
    return text_of(buffer);
}

}  // namespace

std::int64_t seconds_until(UnixMillis due_ms, UnixMillis now_ms) {
    return due_ms > now_ms ? (due_ms - now_ms) / 1000 : 0;
}

std::string file_hash_json(std::string_view file_hash_bytes) {
    return "\"" + encoding::hex_encode(file_hash_bytes) + "\"";
}

std::string chunk_entry_json(const store::IssuedContract& contract, UnixMillis now_ms) {
    // Appended, not written through a json::Writer: the tag (about 24 KB at 256 challenges)
    // is stored as JSON text, and a Writer copies a raw value byte by byte into a buffer it
    // grows in steps; a /chunk of ten spent 4 % of the machine there (DECISIONS.md).
    const std::string due = std::to_string(seconds_until(contract.due_ms, now_ms));
    const std::string hash = encoding::hex_encode(contract.file_hash);
    const std::string seed = json_string(contract.seed);
    const std::string size = std::to_string(contract.size);
    std::string entry;
    entry.reserve(contract.challenge_json.size() + contract.tag_json.size() + hash.size() + seed.size() +
                  due.size() + size.size() + 64);
    entry.append("{\"challenge\":").append(contract.challenge_json);
    entry.append(",\"due\":").append(due);
    entry.append(",\"file_hash\":\"").append(hash);
    entry.append("\",\"seed\":").append(seed);
    entry.append(",\"size\":").append(size);
    entry.append(",\"tag\":").append(contract.tag_json);
    entry.append("}");
    return entry;
}

std::string challenge_entry_json(std::string_view file_hash_json, std::string_view challenge_json,
                                 UnixMillis due_ms, bool answered, UnixMillis now_ms) {
    json::Buffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("answered");
    w.Bool(answered);
    w.Key("challenge");
    raw(w, challenge_json, rapidjson::kObjectType);
    w.Key("due");
    w.Int64(seconds_until(due_ms, now_ms));
    w.Key("file_hash");
    raw(w, file_hash_json, rapidjson::kStringType);
    w.EndObject();
    return text_of(buffer);
}

std::string no_more_challenges_json(std::string_view file_hash_json) {
    return file_status_json(file_hash_json, "no more challenges");
}

std::string file_error_json(std::string_view file_hash_json, std::string_view message) {
    json::Buffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("error");
    string(w, message);
    w.Key("file_hash");
    raw(w, file_hash_json, rapidjson::kStringType);
    w.EndObject();
    return text_of(buffer);
}

std::string file_ok_json(std::string_view file_hash_json) {
    return file_status_json(file_hash_json, "ok");
}

}  // namespace downstream::api

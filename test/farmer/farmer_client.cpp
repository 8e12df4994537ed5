#include "farmer/farmer_client.h"

#include "farmer/gzip_body.h"
#include "json/json_parse.h"
#include "proof/random_stream.h"

#include <map>

namespace downstream::farmer {
namespace {

std::string to_text(const json::Value& value) {
    json::Buffer buffer;
    json::Writer writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

const json::Value* member(const json::Value& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    const auto it = object.FindMember(name);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

// The reply body as a JSON object, or why not.
Result<std::unique_ptr<json::Document>> reply_object(const HttpResponse& response) {
    if (response.status < 200 || response.status >= 300) return make_error(describe_failure(response));
    auto doc = json::parse_json(response.body);
    if (!doc) return make_error("malformed response from server: " + doc.error().message);
    if (!(*doc)->IsObject()) return make_error("malformed response from server: not an object");
    return std::move(doc).value();
}

// A JSON string: the text of a file hash the node echoed ("abc" for "\"abc\"").
std::string hash_text(const json::Value& value) {
    return value.IsString() ? std::string(value.GetString(), value.GetStringLength()) : to_text(value);
}

std::string json_string(std::string_view text) {
    json::Buffer buffer;
    json::Writer writer(buffer);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return std::string(buffer.GetString(), buffer.GetSize());
}

SteadyTime after_seconds(SteadyTime from, double seconds) {
    return from + std::chrono::duration_cast<SteadyTime::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

std::string describe_failure(const HttpResponse& response) {
    std::string message;
    if (auto doc = json::parse_json(response.body); doc && (*doc)->IsObject()) {
        if (const json::Value* m = member(**doc, "message"); m && m->IsString()) message = m->GetString();
    }
    if (message.empty()) message = response.body.substr(0, 200);
    return "HTTP " + std::to_string(response.status) + ": " + message;
}

std::string regenerate_file(const std::string& seed, std::int64_t size) {
    proof::RandomStream stream(seed, static_cast<std::uint64_t>(size));
    return stream.generate();
}

FarmerClient::FarmerClient(FarmerOptions options)
    : options_(std::move(options)), http_(options_.http) {}

int FarmerClient::check_server() { return http_.get("/").status; }

Status FarmerClient::take_token_reply(const HttpResponse& response) {
    auto doc = reply_object(response);
    if (!doc) return doc.error();
    const json::Value* token = member(**doc, "token");
    const json::Value* type = member(**doc, "type");
    const json::Value* heartbeat = member(**doc, "heartbeat");
    if (!token || !type || !heartbeat || !token->IsString() || !type->IsString())
        return make_error("malformed response from server: " + response.body.substr(0, 200));
    auto prover = HeartbeatProver::create(type->GetString(), to_text(*heartbeat));
    if (!prover) return prover.error();
    token_ = token->GetString();
    type_ = type->GetString();
    heartbeat_json_ = to_text(*heartbeat);
    prover_ = std::move(prover).value();
    return {};
}

Status FarmerClient::request_token(const std::string& address) {
    return take_token_reply(http_.get(path("/new/" + address)));
}

Status FarmerClient::request_signed_token(const std::string& address, const std::string& message,
                                          const std::string& signature) {
    const std::string body =
        "{\"message\":" + json_string(message) + ",\"signature\":" + json_string(signature) + "}";
    return take_token_reply(http_.post_json(path("/new/" + address), body));
}

Status FarmerClient::resume(const std::string& token) {
    return take_token_reply(http_.get(path("/heartbeat/" + token)));
}

Result<std::vector<Contract>> FarmerClient::request_contracts(std::optional<std::int64_t> size) {
    if (token_.empty()) return make_error("no token yet");
    std::string route = "/chunk/" + token_;
    if (size) route += "/" + std::to_string(*size);
    const SteadyTime asked = std::chrono::steady_clock::now();
    const HttpResponse response = http_.get(path(route));
    auto doc = reply_object(response);
    if (!doc) return doc.error();
    const std::shared_ptr<const json::Document> reply = std::move(*doc);
    const json::Value* chunks = member(*reply, "chunks");
    if (!chunks || !chunks->IsArray()) return make_error("malformed response from server: no chunk list");
    std::vector<Contract> contracts;
    for (const json::Value& chunk : chunks->GetArray()) {
        for (const char* key : {"file_hash", "seed", "size", "challenge", "tag", "due"})
            if (!member(chunk, key)) return make_error(std::string("malformed chunk: no \"") + key + "\"");
        const json::Value& hash = chunk["file_hash"];
        const json::Value& seed = chunk["seed"];
        const json::Value& bytes = chunk["size"];
        const json::Value& due = chunk["due"];
        if (!hash.IsString() || !seed.IsString() || !bytes.IsInt64() || !due.IsNumber())
            return make_error("malformed chunk: " + to_text(chunk).substr(0, 200));
        Contract c;
        c.file_hash = hash.GetString();
        c.seed = seed.GetString();
        c.size = bytes.GetInt64();
        c.challenge_json = to_text(chunk["challenge"]);
        c.reply = reply;
        c.tag = &chunk["tag"];
        c.due_seconds = due.GetDouble();
        c.due_at = after_seconds(asked, c.due_seconds);
        if (options_.regenerate_files) c.file = regenerate_file(c.seed, c.size);
        contracts.push_back(std::move(c));
    }
    return contracts;
}

Result<std::string> FarmerClient::prove(const Contract& contract) const {
    if (options_.regenerate_files) return prove(contract, contract.file);
    return prove(contract, regenerate_file(contract.seed, contract.size));
}

Result<std::string> FarmerClient::prove(const Contract& contract, std::string_view file) const {
    if (!prover_) return make_error("no token yet");
    if (!contract.tag) return make_error("the contract has no tag");
    return prover_->prove(file, contract.challenge_json, *contract.tag);
}

Result<std::vector<FileReport>> FarmerClient::answer(const std::vector<Contract*>& contracts, bool gzip) {
    std::vector<std::pair<std::string, std::string>> proofs;
    for (const Contract* c : contracts) {
        auto made = prove(*c);
        if (!made) return make_error("contract " + c->file_hash.substr(0, 10) + ": " + made.error().message);
        proofs.emplace_back(c->file_hash, std::move(made).value());
    }
    auto report = answer_proofs(proofs, gzip);
    if (!report) return report;
    std::map<std::string, Contract*> by_hash;
    for (Contract* c : contracts) by_hash[c->file_hash] = c;
    for (const FileReport& r : *report)
        if (r.ok)
            if (auto it = by_hash.find(r.file_hash); it != by_hash.end()) it->second->answered = true;
    return report;
}

Result<std::vector<FileReport>> FarmerClient::answer_proofs(
    const std::vector<std::pair<std::string, std::string>>& proofs, bool gzip) {
    if (token_.empty()) return make_error("no token yet");
    std::string body = "{\"proofs\":[";
    for (std::size_t i = 0; i < proofs.size(); ++i) {
        if (i) body += ",";
        body += "{\"file_hash\":" + json_string(proofs[i].first) + ",\"proof\":" + proofs[i].second + "}";
    }
    body += "]}";
    // The shipped client labels its plain JSON body gzip; the node must sniff.
    const HttpResponse response = http_.post_json(path("/answer/" + token_),
                                                  gzip ? gzip_compress(body) : body,
                                                  {{"Content-Encoding", "gzip"}});
    auto doc = reply_object(response);
    if (!doc) return doc.error();
    const json::Value* report = member(**doc, "report");
    if (!report || !report->IsArray()) return make_error("malformed response from server: no report");
    std::vector<FileReport> reports;
    for (const json::Value& entry : report->GetArray()) {
        FileReport r;
        if (const json::Value* hash = member(entry, "file_hash")) r.file_hash = hash_text(*hash);
        const json::Value* error = member(entry, "error");
        const json::Value* status = member(entry, "status");
        if (error && error->IsString()) {
            r.message = error->GetString();
        } else if (status && status->IsString()) {
            r.message = status->GetString();
            r.ok = r.message == "ok";
        } else {
            r.message = "malformed report entry: " + to_text(entry);
        }
        reports.push_back(std::move(r));
    }
    return reports;
}

Result<std::vector<FileReport>> FarmerClient::update(const std::vector<Contract*>& contracts) {
    if (token_.empty()) return make_error("no token yet");
    std::string body = "{\"hashes\":[";
    for (std::size_t i = 0; i < contracts.size(); ++i) {
        if (i) body += ",";
        body += json_string(contracts[i]->file_hash);
    }
    body += "]}";
    const SteadyTime asked = std::chrono::steady_clock::now();
    const HttpResponse response = http_.post_json(path("/challenge/" + token_), body);
    auto doc = reply_object(response);
    if (!doc) return doc.error();
    const json::Value* list = member(**doc, "challenges");
    if (!list || !list->IsArray()) return make_error("malformed response from server: no challenges");
    std::map<std::string, Contract*> by_hash;
    for (Contract* c : contracts) by_hash[c->file_hash] = c;
    std::vector<FileReport> reports;
    for (const json::Value& entry : list->GetArray()) {
        FileReport r;
        const json::Value* hash = member(entry, "file_hash");
        if (!hash) return make_error("malformed response from server: an entry without file_hash");
        r.file_hash = hash_text(*hash);
        const json::Value* error = member(entry, "error");
        const json::Value* status = member(entry, "status");
        const json::Value* challenge = member(entry, "challenge");
        const json::Value* due = member(entry, "due");
        const json::Value* answered = member(entry, "answered");
        if (error || status) {
            const json::Value* text = error ? error : status;
            r.message = text->IsString() ? text->GetString() : to_text(*text);
        } else if (!challenge || !due || !due->IsNumber() || !answered || !answered->IsBool()) {
            r.message = "malformed challenge entry: " + to_text(entry);
        } else if (answered->GetBool()) {
            r.still_answered = true;
            r.message = "answered";
        } else {
            r.ok = true;
            r.message = "challenge";
            if (auto it = by_hash.find(r.file_hash); it != by_hash.end()) {
                Contract& c = *it->second;
                c.challenge_json = to_text(*challenge);
                c.due_seconds = due->GetDouble();
                c.due_at = after_seconds(asked, c.due_seconds);
                c.answered = false;
            }
        }
        reports.push_back(std::move(r));
    }
    return reports;
}

}  // namespace downstream::farmer

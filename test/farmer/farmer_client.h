// A farmer speaking the node's HTTP API exactly as the shipped downstream-farmer client does
// (DESIGN.md §2 "What the shipped client does"): GET /new or a signed POST /new, GET
// /chunk/<token>/<size>, each chunk's file regenerated from its seed, POST /answer/<token>
// with the proofs (a plain body labelled Content-Encoding: gzip), POST /challenge/<token>
// with the hashes for the next challenges. Built for tests and as a load generator's unit:
// one client per thread, no global state.
#pragma once

#include "base/result.h"
#include "farmer/heartbeat_prover.h"
#include "farmer/http_client.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace downstream::farmer {

// The API prefix the shipped client uses.
inline constexpr std::string_view kClientPrefix = "/api/downstream/v1";

using SteadyTime = std::chrono::steady_clock::time_point;

// One chunk contract as the farmer holds it.
struct Contract {
    std::string file_hash;       // 64 hex characters, as the node named it
    std::string seed;
    std::int64_t size = 0;
    std::string challenge_json;  // the current challenge, as the node sent it
    // The tag, as parsed from the /chunk reply: kept as a value of that reply's document
    // (shared by its contracts), since writing 24 KB of JSON back to text for each contract
    // cost the load generator a tenth of the machine.
    std::shared_ptr<const json::Document> reply;
    const json::Value* tag = nullptr;  // in *reply
    double due_seconds = 0;      // "due" of the last reply that set the challenge
    SteadyTime due_at;           // when that reply arrived + due_seconds
    bool answered = false;       // the current challenge was answered and accepted
    std::string file;            // the regenerated file (empty if regeneration was skipped)
};

// What the node answered for one file of a batch (answer report or challenge list).
struct FileReport {
    std::string file_hash;   // as the node echoed it (JSON text when it was not a string)
    bool ok = false;         // "status": "ok" for answers; a fresh challenge for updates
    std::string message;     // "ok", the "error" text, or the "status" text
    bool still_answered = false;  // challenge lists: "answered": true (asked too early)
};

struct FarmerOptions {
    HttpClientOptions http;
    std::string prefix = std::string(kClientPrefix);
    // Regenerate each contract's file from its seed when it arrives (as the client does).
    bool regenerate_files = true;
};

class FarmerClient {
public:
    explicit FarmerClient(FarmerOptions options);

    // GET the bare server URL, as the client does before anything else: the status (2xx
    // expected).
    int check_server();

    // GET /new/<address>. On success the client holds the token and the scheme's prover.
    Status request_token(const std::string& address);
    // POST /new/<address> with {"message", "signature"}.
    Status request_signed_token(const std::string& address, const std::string& message,
                                const std::string& signature);
    // GET /heartbeat/<token>: resumes with a token obtained earlier.
    Status resume(const std::string& token);

    // GET /chunk/<token>/<size> (or /chunk/<token> without a size): new contracts, each
    // file regenerated from its seed. A chunk missing any of the members the client needs
    // fails the call, as it crashes the client.
    Result<std::vector<Contract>> request_contracts(std::optional<std::int64_t> size);

    // The proof of a contract's current challenge over its regenerated file, or over `file`
    // when given (e.g. bytes that are not the contract's).
    Result<std::string> prove(const Contract& contract) const;
    Result<std::string> prove(const Contract& contract, std::string_view file) const;

    // POST /answer/<token> with {"proofs": [{"file_hash", "proof"}, ...]} for the contracts,
    // proven now, labelled Content-Encoding: gzip with a plain body (the client's habit), or
    // really gzipped when `gzip` is set. Accepted contracts are marked answered. The report
    // in the node's order.
    Result<std::vector<FileReport>> answer(const std::vector<Contract*>& contracts, bool gzip = false);
    // The same with proofs already made (file hash -> proof JSON text), nothing marked.
    Result<std::vector<FileReport>> answer_proofs(
        const std::vector<std::pair<std::string, std::string>>& proofs, bool gzip = false);

    // POST /challenge/<token> with {"hashes": [...]}: contracts whose entry carries a fresh
    // challenge get it (answered = false, due updated); the report says what each got.
    Result<std::vector<FileReport>> update(const std::vector<Contract*>& contracts);

    const std::string& token() const { return token_; }
    const std::string& type() const { return type_; }
    const std::string& heartbeat_json() const { return heartbeat_json_; }
    // The API path of `route` ("/chunk/..." -> "/api/downstream/v1/chunk/...").
    std::string path(std::string_view route) const { return options_.prefix + std::string(route); }
    HttpClient& http() { return http_; }

private:
    Status take_token_reply(const HttpResponse& response);

    FarmerOptions options_;
    HttpClient http_;
    std::string token_;
    std::string type_;
    std::string heartbeat_json_;
    std::unique_ptr<HeartbeatProver> prover_;
};

// "HTTP <status>: <message>" for an error reply (the JSON message when there is one).
std::string describe_failure(const HttpResponse& response);

// The file a contract's seed regenerates: `size` bytes of proof::RandomStream(seed).
std::string regenerate_file(const std::string& seed, std::int64_t size);

}  // namespace downstream::farmer

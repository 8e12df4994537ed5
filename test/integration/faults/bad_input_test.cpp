// Hostile input through real nginx and the node (operations issue, item 5): for every route,
// malformed and deeply nested JSON, wrong types, huge numbers, missing and extra members,
// empty, oversize and gzip-bomb bodies, path traversal, SQL metacharacters and invalid UTF-8
// in every path part, malformed HTTP, slow clients, many bad requests at once. Each must get
// a 4xx reply whose body is {"status":"error","message":...} with the exact message below
// (never 5xx, never HTML, also where nginx answers itself; input the protocol reports per
// entry or tolerates gets its exact 200 reply); the database must be unchanged
// at the end (row counts and CHECKSUM TABLE of every table) and the node must still serve.
// Run by scripts/test-faults.sh on its stack (limits.max_body_size = 1 MiB, nginx 16 MiB)
// before anything else writes to it. The tests run in order and share one farmer.
//
// DOWNSTREAM_BAD_INPUT_SHOW=1 prints every case's reply (to review messages).
#include "integration/api/api_stack.h"
#include "integration/faults/db_fingerprint.h"
#include "integration/faults/raw_http.h"
#include "farmer/gzip_body.h"
#include "json/json_parse.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <thread>

namespace downstream::testing {
namespace {

constexpr std::size_t kNodeBodyLimit = 1048576;  // limits.max_body_size of the stack
const std::string kApi = "/api/downstream/v1";

// The farmer every case uses, and the state of the database after the last change the
// tests made themselves (taking a contract).
struct Target {
    std::unique_ptr<farmer::FarmerClient> client;
    std::string token;
    std::string ip;
    std::string address;
    std::string hash;        // a contract of the farmer's (unanswered, never answered here)
    std::chrono::steady_clock::time_point hash_issued;
    std::string farmer_id;
    std::string proof;       // a well-formed proof for another challenge (never valid here)
    std::string fingerprint; // the database before any case, or after live_hash() took a contract
    int port = 0;
};

Target& target() {
    static Target t;
    static std::once_flag once;
    std::call_once(once, [] {
        TestFarmer farmer = new_farmer();
        t.address = farmer.key.address();
        t.client = std::move(farmer.client);
        auto contracts = contracts_for(*t.client, 8192, 2);
        t.hash_issued = std::chrono::steady_clock::now();
        t.token = t.client->token();
        t.ip = t.client->http().forwarded_for();
        t.hash = contracts[0].file_hash;
        t.farmer_id = farmer_id_of(t.token);
        t.port = api_endpoint().port;
        // A proof of the right shape that answers nothing: made over another file.
        auto proof = t.client->prove(contracts[0], wrong_file(contracts[0]));
        CPPUNIT_ASSERT(proof.ok());
        t.proof = *proof;
        t.fingerprint = database_fingerprint();
    });
    return t;
}

// A contract of the target farmer's that stays unexpired for at least 2.5 s more (the stack's
// contract.interval is 4 s), for cases whose answer is "proof invalid", which the node gives
// only before the contract expires. Taking a new contract writes to the database, so the
// fingerprint is checked first (no case before wrote anything) and taken again after.
const std::string& live_hash() {
    Target& t = target();
    if (std::chrono::steady_clock::now() - t.hash_issued < std::chrono::milliseconds(1500)) return t.hash;
    CPPUNIT_ASSERT_EQUAL_MESSAGE("the database changed before a new contract was taken", t.fingerprint,
                                 database_fingerprint());
    auto contracts = contracts_for(*t.client, 4096, 1);
    t.hash_issued = std::chrono::steady_clock::now();
    t.hash = contracts[0].file_hash;
    t.fingerprint = database_fingerprint();
    return t.hash;
}

std::map<std::string, int>& case_counts() {
    static std::map<std::string, int> counts;
    return counts;
}
std::mutex counts_mutex;

void count_case(const std::string& category, int n = 1) {
    std::lock_guard<std::mutex> lock(counts_mutex);
    case_counts()[category] += n;
}

bool show() {
    const char* v = std::getenv("DOWNSTREAM_BAD_INPUT_SHOW");
    return v && *v == '1';
}

std::string printable(const std::string& text, std::size_t limit = 160) {
    std::string out;
    for (char c : text.substr(0, limit)) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) out += c;
        else {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", u);
            out += hex;
        }
    }
    if (text.size() > limit) out += "...(" + std::to_string(text.size()) + " bytes)";
    return out;
}

// What is wrong with `reply` as the JSON error (status, message), or empty when it is right.
std::string judge(const RawReply& reply, int status, const std::string& message) {
    if (!reply.answered) return "no reply: " + reply.error;
    std::string problems;
    if (reply.status != status) problems += " status " + std::to_string(reply.status) + " (want " + std::to_string(status) + ");";
    const auto type = reply.headers.find("content-type");
    if (type == reply.headers.end() || type->second.rfind("application/json", 0) != 0)
        problems += " content-type " + (type == reply.headers.end() ? std::string("none") : type->second) + ";";
    auto doc = json::parse_json(reply.body);
    std::string got;
    bool shaped = false;
    if (doc && (*doc)->IsObject() && (*doc)->MemberCount() == 2) {
        const auto s = (*doc)->FindMember("status");
        const auto m = (*doc)->FindMember("message");
        shaped = s != (*doc)->MemberEnd() && m != (*doc)->MemberEnd() && s->value.IsString() &&
                 std::string(s->value.GetString()) == "error" && m->value.IsString();
        if (shaped) got = m->value.GetString();
    }
    if (!shaped) problems += " body is not {\"status\":\"error\",\"message\":...}: " + printable(reply.body) + ";";
    else if (got != message) problems += " message \"" + got + "\" (want \"" + message + "\");";
    return problems;
}

// Runs requests and collects every mismatch, so one run shows them all.
class Cases {
public:
    explicit Cases(std::string category) : category_(std::move(category)) {}

    // `request` must get `status` with exactly `message`.
    void error(const std::string& name, const RawRequest& request, int status, const std::string& message) {
        const RawReply reply = raw_exchange(target().port, request);
        note(name, reply);
        const std::string problems = judge(reply, status, message);
        if (!problems.empty()) failures_ += "\n  " + name + ":" + problems;
        ++count_;
    }
    void error(const std::string& name, const std::string& bytes, int status, const std::string& message) {
        RawRequest request;
        request.bytes = bytes;
        error(name, request, status, message);
    }
    // `request` must get 200 JSON with exactly `body` (input the protocol tolerates or reports
    // per entry, e.g. an answer batch with one bad proof).
    void ok(const std::string& name, const std::string& bytes, const std::string& body) {
        RawRequest request;
        request.bytes = bytes;
        RawReply reply = raw_exchange(target().port, request);
        note(name, reply);
        if (!reply.answered || reply.status != 200 || reply.body != body ||
            reply.headers["content-type"].rfind("application/json", 0) != 0)
            failures_ += "\n  " + name + ": HTTP " + std::to_string(reply.status) + " " + printable(reply.body, 400) +
                         " (want 200 " + printable(body, 400) + ")" + (reply.answered ? "" : " " + reply.error);
        ++count_;
    }
    // Closes the batch: fails the test with every mismatch.
    void check() {
        count_case(category_, count_);
        std::cout << "  " << category_ << ": " << count_ << " cases" << std::endl;
        CPPUNIT_ASSERT_MESSAGE(category_ + " mismatches:" + failures_, failures_.empty());
        CPPUNIT_ASSERT(count_ > 0);
    }

private:
    void note(const std::string& name, const RawReply& reply) {
        if (show())
            std::cout << "    [" << name << "] " << reply.status << " " << printable(reply.body, 300)
                      << (reply.answered ? "" : " (" + reply.error + ")") << std::endl;
    }
    std::string category_;
    std::string failures_;
    int count_ = 0;
};

std::string get(const std::string& path, const std::string& headers = "") {
    return raw_http_request("GET", path, "", headers, target().ip);
}
std::string post(const std::string& path, const std::string& body, const std::string& headers = "") {
    return raw_http_request("POST", path, body, "Content-Type: application/json\r\n" + headers, target().ip);
}

// The four routes that take a JSON body, with the message `{}` gets on each.
struct BodyRoute {
    std::string path;
    std::string missing;  // the message for a body without the members
};
std::vector<BodyRoute> body_routes() {
    const Target& t = target();
    return {{kApi + "/new/" + t.address, "the request body must have \"message\" and \"signature\" members"},
            {kApi + "/challenge/" + t.token, "the request body must have a \"hashes\" member"},
            {kApi + "/answer/" + t.token, "the request body must have a \"proofs\" member"},
            {kApi + "/answer/" + t.token + "/" + t.hash, "the request body must have a \"proof\" member"}};
}

std::string not_json(const std::string& detail) { return "the request body is not valid JSON: " + detail; }

std::string repeat(const std::string& piece, std::size_t n) {
    std::string out;
    out.reserve(piece.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += piece;
    return out;
}

// `proof` with its leaf index replaced by `index` (JSON text).
std::string with_index(const std::string& proof, const std::string& index) {
    return std::regex_replace(proof, std::regex("\"index\":[0-9]+"), "\"index\":" + index);
}

std::string gzip_of(const std::string& data) { return farmer::gzip_compress(data); }

}  // namespace

class BadInputTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(BadInputTest);
    CPPUNIT_TEST(malformed_json);
    CPPUNIT_TEST(deep_nesting);
    CPPUNIT_TEST(empty_missing_and_extra_members);
    CPPUNIT_TEST(wrong_types);
    CPPUNIT_TEST(huge_and_odd_numbers);
    CPPUNIT_TEST(entries_reported_one_by_one);
    CPPUNIT_TEST(oversize_bodies);
    CPPUNIT_TEST(gzip_bodies);
    CPPUNIT_TEST(path_parts);
    CPPUNIT_TEST(path_traversal);
    CPPUNIT_TEST(methods_and_routes);
    CPPUNIT_TEST(malformed_http);
    CPPUNIT_TEST(slow_clients);
    CPPUNIT_TEST(many_bad_requests_at_once);
    CPPUNIT_TEST(database_unchanged_and_node_alive);
    CPPUNIT_TEST_SUITE_END();

public:
    void malformed_json() {
        Cases cases("malformed JSON");
        const std::vector<std::pair<std::string, std::string>> bodies = {
            {"{", "malformed JSON: Missing a name for object member. (at byte 1)"},
            {"{\"a\":}", "malformed JSON: Invalid value. (at byte 5)"},
            {"{\"a\":1,}", "malformed JSON: Missing a name for object member. (at byte 7)"},
            {"{'a':1}", "malformed JSON: Missing a name for object member. (at byte 1)"},
            {"{\"a\":NaN}", "malformed JSON: Invalid value. (at byte 5)"},
            {"{\"a\":Infinity}", "malformed JSON: Invalid value. (at byte 5)"},
            {"{\"a\":1} {}", "malformed JSON: The document root must not be followed by other values. (at byte 8)"},
            {"nul", "malformed JSON: Invalid value. (at byte 3)"},
            {"{\"a\":01}", "malformed JSON: Missing a comma or '}' after an object member. (at byte 6)"},
            {"{\"a\":1e}", "malformed JSON: Miss exponent in number. (at byte 7)"},
            {"{\"a\":\"x\x01\"}", "malformed JSON: Invalid escape character in string. (at byte 7)"},
            {"{\"a\":\"\\ud800\"}", "malformed JSON: The surrogate pair in string is invalid. (at byte 6)"},
            {"{\"a\":\"\\x\"}", "malformed JSON: Invalid escape character in string. (at byte 6)"},
            {"{\"a\":\"x", "malformed JSON: Missing a closing quotation mark in string. (at byte 7)"},
            {"{\"a\" 1}", "malformed JSON: Missing a colon after a name of object member. (at byte 5)"},
            {"/* c */ {}", "malformed JSON: Invalid value. (at byte 0)"},
            // Invalid UTF-8 inside strings: a lone continuation byte, an overlong '/', a
            // truncated sequence, a UTF-16 surrogate encoded in UTF-8.
            {"{\"message\":\"\xff\xfe\"}", "malformed JSON: Invalid encoding in string. (at byte 12)"},
            {"{\"hashes\":[\"\xc0\xaf\"]}", "malformed JSON: Invalid encoding in string. (at byte 12)"},
            {"{\"proofs\":[\"\xe2\x82\"]}", "malformed JSON: Invalid encoding in string. (at byte 12)"},
            {"{\"proof\":\"\xed\xa0\x80\"}", "malformed JSON: Invalid encoding in string. (at byte 10)"},
        };
        for (const BodyRoute& route : body_routes()) {
            for (const auto& [body, message] : bodies)
                cases.error("POST " + route.path.substr(kApi.size(), 12) + " " + printable(body, 20),
                            post(route.path, body), 400, not_json(message));
            // A UTF-8 byte order mark is skipped, as Python's json.loads of bytes does: what
            // follows is judged.
            cases.error("POST " + route.path.substr(kApi.size(), 12) + " BOM {}", post(route.path, "\xef\xbb\xbf{}"), 400,
                        route.missing);
        }
        cases.check();
    }

    void deep_nesting() {
        Cases cases("deep nesting");
        const std::string too_deep = "JSON nested deeper than 16 levels";
        for (const BodyRoute& route : body_routes()) {
            cases.error("100,000 [", post(route.path, repeat("[", 100000)), 400, not_json(too_deep));
            cases.error("100,000 [ ]", post(route.path, repeat("[", 100000) + repeat("]", 100000)), 400, not_json(too_deep));
            cases.error("100,000 {\"a\":", post(route.path, repeat("{\"a\":", 100000) + "1" + repeat("}", 100000)), 400,
                        not_json(too_deep));
            cases.error("17 levels", post(route.path, "{\"a\":" + repeat("[", 16) + repeat("]", 16) + "}"), 400,
                        not_json(too_deep));
        }
        cases.check();
    }

    void empty_missing_and_extra_members() {
        Cases cases("empty, missing and extra members");
        const std::string empty = not_json("malformed JSON: The document is empty. (at byte 0)");
        for (const BodyRoute& route : body_routes()) {
            // POST /new with an empty body is the unsigned client's request for a token: not
            // bad input (and it would create one). Everything else must name what is missing.
            if (route.path.find("/new/") == std::string::npos) {
                cases.error("empty body", post(route.path, ""), 400, empty);
                cases.error("white space body", post(route.path, " \r\n\t "), 400,
                            not_json("malformed JSON: The document is empty. (at byte 5)"));
            }
            cases.error("{}", post(route.path, "{}"), 400, route.missing);
            cases.error("only other members", post(route.path, "{\"hash\":[],\"prof\":1,\"Message\":\"x\"}"), 400,
                        route.missing);
        }
        const Target& t = target();
        // Extra members are ignored (as the reference node did); the rest is still checked.
        cases.error("extra members, wrong message", post(kApi + "/new/" + t.address,
                    "{\"message\":1,\"signature\":\"x\",\"extra\":{\"a\":[1]}}"), 400,
                    "\"message\" must be a string, not a number");
        cases.ok("extra members, empty hashes", post(kApi + "/challenge/" + t.token, "{\"hashes\":[],\"extra\":[1,2]}"),
                 "{\"challenges\":[]}");
        cases.ok("extra members, empty proofs", post(kApi + "/answer/" + t.token, "{\"proofs\":[],\"x\":null}"),
                 "{\"report\":[]}");
        cases.error("extra members, single proof", post(kApi + "/answer/" + t.token + "/" + t.hash,
                    "{\"proof\":1,\"x\":\"y\"}"), 400, "proof corrupted");
        cases.check();
    }

    void wrong_types() {
        Cases cases("wrong types");
        const Target& t = target();
        const std::vector<std::pair<std::string, std::string>> values = {
            {"1", "a number"}, {"-2.5", "a number"}, {"null", "null"}, {"true", "a boolean"},
            {"[]", "an array"}, {"{}", "an object"}, {"[\"x\"]", "an array"}};
        for (const auto& [value, type] : values) {
            cases.error("message " + value, post(kApi + "/new/" + t.address, "{\"message\":" + value + ",\"signature\":\"x\"}"),
                        400, "\"message\" must be a string, not " + type);
            cases.error("signature " + value, post(kApi + "/new/" + t.address, "{\"message\":\"x\",\"signature\":" + value + "}"),
                        400, "\"signature\" must be a string, not " + type);
            if (type != "an array") {
                cases.error("hashes " + value, post(kApi + "/challenge/" + t.token, "{\"hashes\":" + value + "}"), 400,
                            "\"hashes\" must be an array, not " + type);
                cases.error("proofs " + value, post(kApi + "/answer/" + t.token, "{\"proofs\":" + value + "}"), 400,
                            "\"proofs\" must be an array, not " + type);
            }
            cases.error("proof " + value, post(kApi + "/answer/" + t.token + "/" + t.hash, "{\"proof\":" + value + "}"),
                        400, "proof corrupted");
        }
        for (const std::string& value : {std::string("\"x\""), std::string("\"\"")}) {
            cases.error("hashes " + value, post(kApi + "/challenge/" + t.token, "{\"hashes\":" + value + "}"), 400,
                        "\"hashes\" must be an array, not a string");
            cases.error("proofs " + value, post(kApi + "/answer/" + t.token, "{\"proofs\":" + value + "}"), 400,
                        "\"proofs\" must be an array, not a string");
        }
        // Members of a proof with the wrong types: "proof corrupted" ...
        for (const std::string& proof :
             {std::string("{\"leaf\":1,\"branch\":{\"rows\":[]}}"),
              std::string("{\"leaf\":{\"index\":0,\"blob\":7},\"branch\":{\"rows\":[]}}"),
              std::string("{\"leaf\":{\"index\":0,\"blob\":\"AA==\"},\"branch\":{\"rows\":{}}}"),
              std::string("{\"leaf\":{\"index\":0,\"blob\":\"AA==\"},\"branch\":{\"rows\":[[1,2]]}}"),
              std::string("{\"leaf\":{\"index\":0},\"branch\":{\"rows\":[]}}")})
            cases.error("proof " + proof, post(kApi + "/answer/" + t.token + "/" + t.hash, "{\"proof\":" + proof + "}"),
                        400, "proof corrupted");
        // ... except what the reference's Proof.fromdict takes and only verify refuses
        // (docs/DECISIONS.md 29): an index of another type, a blob whose bad base64
        // characters are skipped. Nothing is counted.
        for (const std::string& proof :
             {std::string("{\"leaf\":{\"index\":\"0\",\"blob\":\"AA==\"},\"branch\":{\"rows\":[]}}"),
              std::string("{\"leaf\":{\"index\":0,\"blob\":\"%%%\"},\"branch\":{\"rows\":[]}}")})
            cases.error("proof " + proof, post(kApi + "/answer/" + t.token + "/" + live_hash(), "{\"proof\":" + proof + "}"),
                        400, "proof invalid");
        // A signed message longer than limits.max_message_size, and signatures that are not one.
        cases.error("message of 1025 bytes", post(kApi + "/new/" + t.address,
                    "{\"message\":\"" + std::string(1025, 'm') + "\",\"signature\":\"x\"}"), 400,
                    "the signed message is 1025 bytes long; this node accepts at most 1024");
        cases.error("signature not base64", post(kApi + "/new/" + t.address, "{\"message\":\"m\",\"signature\":\"!!!\"}"),
                    400, "signature rejected: signature must be 88 base64 characters, not 3");
        cases.error("signature too short", post(kApi + "/new/" + t.address, "{\"message\":\"m\",\"signature\":\"AAAA\"}"),
                    400, "signature rejected: signature must be 88 base64 characters, not 4");
        cases.check();
    }

    void huge_and_odd_numbers() {
        Cases cases("huge and odd numbers");
        const Target& t = target();
        const std::string single = kApi + "/answer/" + t.token + "/" + t.hash;
        // The offset is where the number begins.
        cases.error("index 1e400", post(single, "{\"proof\":" + with_index(t.proof, "1e400") + "}"), 400,
                    not_json("malformed JSON: Number too big to be stored in double. (at byte " +
                             std::to_string(std::string("{\"proof\":").size() + with_index(t.proof, "1e400").find("1e400")) + ")"));
        cases.error("hashes [1e400]", post(kApi + "/challenge/" + t.token, "{\"hashes\":[1e400]}"), 400,
                    not_json("malformed JSON: Number too big to be stored in double. (at byte 11)"));
        cases.error("hashes [-1e400]", post(kApi + "/challenge/" + t.token, "{\"hashes\":[-1e400]}"), 400,
                    not_json("malformed JSON: Number too big to be stored in double. (at byte 11)"));
        cases.error("hashes [1e-400]", post(kApi + "/challenge/" + t.token, "{\"hashes\":[1e-400]}"), 400,
                    not_json("malformed JSON: number out of the range of a double (at byte 11)"));
        for (const std::string& index :
             {std::string("18446744073709551616"), std::string("18446744073709551615"), std::string("9223372036854775808"),
              std::string("-9223372036854775809"), std::string("-1"), std::string("-0"), std::string("1.5"),
              std::string("1e3"), std::string("256"), std::string("4294967296"), std::string("1e308"),
              std::string("0.0000000000000000000000001"), std::string("100000000000000000000000000000000000000000")})
            // Any number parses as an index (as in the reference); none matches the challenge.
            cases.error("index " + index,
                        post(kApi + "/answer/" + t.token + "/" + live_hash(), "{\"proof\":" + with_index(t.proof, index) + "}"),
                        400, "proof invalid");
        cases.check();
    }

    void entries_reported_one_by_one() {
        // The protocol reports bad entries of a batch per entry, in a 200 reply: one bad
        // entry never fails the others (DESIGN.md §2). Nothing may be counted.
        Cases cases("batch entries reported one by one");
        const Target& t = target();
        const std::string h = quoted(live_hash());
        cases.ok("hashes of every type", post(kApi + "/challenge/" + t.token,
                 "{\"hashes\":[1,null,{},[],\"zz\",1.5e300,\"" + std::string(64, 'g') + "\",\"%27%20OR%201=1\"]}"),
                 "{\"challenges\":[{\"error\":\"contract not found\",\"file_hash\":1},"
                 "{\"error\":\"contract not found\",\"file_hash\":null},{\"error\":\"contract not found\",\"file_hash\":{}},"
                 "{\"error\":\"contract not found\",\"file_hash\":[]},{\"error\":\"contract not found\",\"file_hash\":\"zz\"},"
                 "{\"error\":\"contract not found\",\"file_hash\":1.5e300},{\"error\":\"contract not found\",\"file_hash\":\"" + std::string(64, 'g') +
                 "\"},{\"error\":\"contract not found\",\"file_hash\":\"%27%20OR%201=1\"}]}");
        cases.ok("proof entries of every type", post(kApi + "/answer/" + t.token,
                 "{\"proofs\":[1,\"x\",null,[],{},{\"file_hash\":1},{\"file_hash\":" + h + "},{\"file_hash\":" + h +
                 ",\"proof\":1},{\"file_hash\":" + h + ",\"proof\":" + with_index(t.proof, "-1") + "},{\"file_hash\":" + h +
                 ",\"proof\":" + t.proof + "}]}"),
                 "{\"report\":[{\"error\":\"proof corrupted\",\"file_hash\":null},{\"error\":\"proof corrupted\",\"file_hash\":null},"
                 "{\"error\":\"proof corrupted\",\"file_hash\":null},{\"error\":\"proof corrupted\",\"file_hash\":null},"
                 "{\"error\":\"contract not found\",\"file_hash\":null},{\"error\":\"contract not found\",\"file_hash\":1},"
                 "{\"error\":\"proof corrupted\",\"file_hash\":" + h + "},{\"error\":\"proof corrupted\",\"file_hash\":" + h + "},"
                 "{\"error\":\"proof invalid\",\"file_hash\":" + h + "},{\"error\":\"proof invalid\",\"file_hash\":" + h + "}]}");
        cases.check();
    }

    void oversize_bodies() {
        Cases cases("oversize bodies");
        const Target& t = target();
        const std::string over_node = "request body larger than " + std::to_string(kNodeBodyLimit) + " bytes";
        const std::string over_nginx = "request body larger than 16 MiB";
        for (const BodyRoute& route : body_routes()) {
            const std::string big(kNodeBodyLimit + 1, ' ');
            cases.error("node limit + 1", post(route.path, "{\"hashes\":[" + big + "]}"), 413, over_node);
        }
        // Over nginx's client_max_body_size: refused on the headers alone (the body is never sent).
        RawRequest huge;
        huge.bytes = raw_http_request("POST", kApi + "/answer/" + t.token, std::string(17 * 1048576, 'x'),
                                      "Content-Type: application/json\r\n", t.ip);
        huge.hold_after = huge.bytes.find("\r\n\r\n") + 4;
        huge.trickle_ms = -1;
        huge.timeout_ms = 10000;
        cases.error("17 MiB, Content-Length", huge, 413, over_nginx);
        // Chunked bodies have no Content-Length: nginx counts, the node counts after it.
        const std::string head = "POST " + kApi + "/answer/" + t.token + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                 "X-Forwarded-For: " + t.ip + "\r\nTransfer-Encoding: chunked\r\n\r\n";
        std::string chunked = head;
        for (int i = 0; i < 2; ++i) chunked += "100000\r\n" + std::string(1048576, ' ') + "\r\n";
        cases.error("2 MiB chunked", chunked + "0\r\n\r\n", 413, over_node);
        RawRequest chunked_huge;
        chunked_huge.bytes = head;
        for (int i = 0; i < 17; ++i) chunked_huge.bytes += "100000\r\n" + std::string(1048576, ' ') + "\r\n";
        chunked_huge.bytes += "0\r\n\r\n";
        chunked_huge.timeout_ms = 20000;
        cases.error("17 MiB chunked", chunked_huge, 413, over_nginx);
        cases.check();
    }

    void gzip_bodies() {
        Cases cases("gzip bodies");
        const Target& t = target();
        const std::string path = kApi + "/challenge/" + t.token;
        const std::string gz = "Content-Encoding: gzip\r\n";
        const std::string over_node = "request body larger than " + std::to_string(kNodeBodyLimit) + " bytes";
        // Bombs: a few KB that inflate far past the limit.
        const std::string bomb = gzip_of(std::string(64 * 1048576, '\0'));
        CPPUNIT_ASSERT(bomb.size() < 100000);
        cases.error("64 MiB of zeros in " + std::to_string(bomb.size()) + " bytes", post(path, bomb, gz), 413, over_node);
        cases.error("bomb without the header", post(path, bomb), 413, over_node);
        cases.error("bomb of JSON white space", post(path, gzip_of("{\"hashes\":[" + std::string(2 * 1048576, ' ') + "]}"), gz),
                    413, over_node);
        cases.error("bomb on /new", post(kApi + "/new/" + t.address, bomb, gz), 413, over_node);
        cases.error("bomb on /answer", post(kApi + "/answer/" + t.token, bomb, gz), 413, over_node);
        // Broken gzip.
        std::string corrupt = gzip_of("{\"hashes\":[]}");
        corrupt[12] = static_cast<char>(corrupt[12] ^ 0x55);
        corrupt[13] = static_cast<char>(corrupt[13] ^ 0x55);
        cases.error("corrupt deflate data", post(path, corrupt, gz), 400, "request body is not valid gzip data");
        const std::string whole = gzip_of("{\"hashes\":[]}");
        cases.error("truncated", post(path, whole.substr(0, whole.size() - 6), gz), 400, "request body is truncated gzip data");
        cases.error("magic only", post(path, "\x1f\x8b", gz), 400, "request body is truncated gzip data");
        cases.error("gzip of invalid JSON", post(path, gzip_of("{\"hashes\":"), gz), 400,
                    not_json("malformed JSON: Invalid value. (at byte 10)"));
        cases.error("gzip of invalid UTF-8", post(path, gzip_of("{\"hashes\":[\"\xff\"]}"), gz), 400,
                    not_json("malformed JSON: Invalid encoding in string. (at byte 12)"));
        // What must work: the shipped client's plain body labelled gzip, and real gzip.
        cases.ok("plain body labelled gzip (the shipped client)", post(path, "{\"hashes\":[\"zz\"]}", gz),
                 "{\"challenges\":[{\"error\":\"contract not found\",\"file_hash\":\"zz\"}]}");
        cases.ok("gzip body", post(path, gzip_of("{\"hashes\":[\"zz\"]}"), gz),
                 "{\"challenges\":[{\"error\":\"contract not found\",\"file_hash\":\"zz\"}]}");
        cases.ok("gzip body, no header", post(path, gzip_of("{\"hashes\":[]}")), "{\"challenges\":[]}");
        cases.check();
    }

    void path_parts() {
        Cases cases("path parts");
        const Target& t = target();
        // SQL metacharacters, traversal, NUL, invalid UTF-8 (escaped and raw), bad escapes, length.
        struct Part {
            std::string raw;      // as sent in the path
            std::string decoded;  // as the node shows it back ('?' for unprintable bytes)
        };
        const std::vector<Part> parts = {
            {"%27%20OR%201%3D1%20--", "' OR 1=1 --"},
            {"'%20OR%201=1%20--", "' OR 1=1 --"},
            {"1;DROP%20TABLE%20tokens", "1;DROP TABLE tokens"},
            {"%3B", ";"},
            {"%27", "'"},
            {"%22%5C", "\"\\"},
            {"..%2f..%2fetc%2fpasswd", "../../etc/passwd"},
            {"%2e%2e%2f%2e%2e%2f", "../../"},
            {"%ff%fe", "??"},
            {"\xff\xfe", "??"},
            {"%c0%af", "??"},
            {"-1", "-1"},
            {"%2B5", "+5"},
        };
        const std::string token_rule = "a token is 32 hexadecimal characters";
        for (const Part& p : parts) {
            // Tokens: every route that takes one.
            const std::string bad_token = "invalid token: " + token_rule;
            cases.error("heartbeat " + printable(p.raw), get(kApi + "/heartbeat/" + p.raw), 400, bad_token);
            cases.error("chunk " + printable(p.raw), get(kApi + "/chunk/" + p.raw + "/4096"), 400, bad_token);
            cases.error("chunk, no size " + printable(p.raw), get(kApi + "/chunk/" + p.raw), 400, bad_token);
            cases.error("challenges " + printable(p.raw), get(kApi + "/challenge/" + p.raw), 400, bad_token);
            cases.error("challenge " + printable(p.raw), get(kApi + "/challenge/" + p.raw + "/" + t.hash), 400, bad_token);
            cases.error("POST challenge " + printable(p.raw), post(kApi + "/challenge/" + p.raw, "{\"hashes\":[]}"), 400,
                        bad_token);
            cases.error("answers " + printable(p.raw), post(kApi + "/answer/" + p.raw, "{\"proofs\":[]}"), 400, bad_token);
            cases.error("answer " + printable(p.raw), post(kApi + "/answer/" + p.raw + "/" + t.hash, "{\"proof\":{}}"), 400,
                        bad_token);
            // File hashes.
            cases.error("challenge hash " + printable(p.raw), get(kApi + "/challenge/" + t.token + "/" + p.raw), 400,
                        "contract not found");
            cases.error("answer hash " + printable(p.raw),
                        post(kApi + "/answer/" + t.token + "/" + p.raw, "{\"proof\":" + t.proof + "}"), 400,
                        "contract not found");
            // Sizes.
            cases.error("size " + printable(p.raw), get(kApi + "/chunk/" + t.token + "/" + p.raw), 400,
                        "invalid size \"" + p.decoded + "\": must be a non-negative integer");
            // Farmer ids.
            cases.error("farmer id " + printable(p.raw), get(kApi + "/status/show/" + p.raw), 404,
                        "no farmer with id " + p.decoded);
        }
        // Addresses (GET and POST /new): never base58check.
        const std::vector<std::pair<std::string, std::string>> addresses = {
            {"%27%20OR%201%3D1%20--", "address contains ''', which is not a base58 character"},
            {"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2%3B", "address contains ';', which is not a base58 character"},
            {"%27", "address contains ''', which is not a base58 character"},
            {"..%2f..%2fetc%2fpasswd", "address contains '.', which is not a base58 character"},
            {"%ff%fe", "address is not valid UTF-8"},
            {"\xc3\xa9t\xc3\xa9", "address contains non-ASCII characters"},
            {"1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", "address checksum does not match"},
            {"0BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "address contains '0', which is not a base58 character"},
            {"1", "address checksum does not match (too short to hold a checksum)"},
        };
        for (const auto& [raw, message] : addresses) {
            cases.error("GET new " + printable(raw), get(kApi + "/new/" + raw), 400, "invalid address: " + message);
            cases.error("POST new " + printable(raw), post(kApi + "/new/" + raw, "{\"message\":\"m\",\"signature\":\"s\"}"),
                        400, "invalid address: " + message);
        }
        // A NUL or a malformed percent-escape: nginx refuses the request line itself (the
        // node's router refuses the same when it gets one; see test/http/router_test.cpp).
        const std::string malformed = "malformed HTTP request";
        cases.error("NUL in token", get(kApi + "/heartbeat/%00"), 400, malformed);
        cases.error("NUL in address", get(kApi + "/new/1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2%00"), 400, malformed);
        cases.error("NUL in hash", get(kApi + "/challenge/" + t.token + "/%00"), 400, malformed);
        cases.error("NUL in farmer id", get(kApi + "/status/show/%00"), 400, malformed);
        cases.error("NUL in size", get(kApi + "/chunk/" + t.token + "/%00"), 400, malformed);
        cases.error("bad escape", get(kApi + "/heartbeat/%zz"), 400, malformed);
        cases.error("truncated escape", get(kApi + "/status/show/ab%4"), 400, malformed);
        // Lengths and numbers the node refuses.
        cases.error("600-byte token", get(kApi + "/heartbeat/" + std::string(600, 'a')), 400,
                    "invalid token: longer than 512 bytes");
        cases.error("size 2^63", get(kApi + "/chunk/" + t.token + "/9223372036854775808"), 400,
                    "invalid size \"9223372036854775808\": larger than 9223372036854775807");
        cases.error("size 2^64", get(kApi + "/chunk/" + t.token + "/18446744073709551616"), 400,
                    "invalid size \"18446744073709551616\": larger than 9223372036854775807");
        cases.error("size of 40 digits", get(kApi + "/chunk/" + t.token + "/" + std::string(40, '9')), 400,
                    "invalid size \"" + std::string(40, '9') + "\": larger than 9223372036854775807");
        cases.error("size 1e3", get(kApi + "/chunk/" + t.token + "/1e3"), 400, "invalid size \"1e3\": must be a non-negative integer");
        cases.error("size 0x10", get(kApi + "/chunk/" + t.token + "/0x10"), 400, "invalid size \"0x10\": must be a non-negative integer");
        cases.error("size 1.5", get(kApi + "/chunk/" + t.token + "/1.5"), 400, "invalid size \"1.5\": must be a non-negative integer");
        cases.error("unknown token", get(kApi + "/heartbeat/" + std::string(32, '0')), 400, "unknown token");
        cases.error("token of 31", get(kApi + "/heartbeat/" + std::string(31, 'a')), 400, "invalid token: " + token_rule);
        cases.error("token of 33", get(kApi + "/heartbeat/" + std::string(33, 'a')), 400, "invalid token: " + token_rule);
        cases.error("unknown farmer id", get(kApi + "/status/show/" + std::string(20, '0')), 404,
                    "no farmer with id " + std::string(20, '0'));
        cases.error("unknown sort key", get(kApi + "/status/list/by/%27%3B%ff"), 400,
                    "unknown sort key \"';?\": use id, address, uptime, heartbeats, contracts, size or online");
        cases.check();
    }

    void path_traversal() {
        Cases cases("path traversal");
        const Target& t = target();
        // nginx resolves dot segments before choosing a location: what stays under the API
        // reaches the node (and names no route); what climbs out of it is not an API request
        // any more, and what climbs above the root is refused. All of it must be JSON.
        cases.error("out of the API", get(kApi + "/heartbeat/../../../../etc/passwd"), 404, "not found");
        cases.error("above the root", get(kApi + "/../../../../../../etc/passwd"), 400, "malformed HTTP request");
        cases.error("escaped, above the root", get(kApi + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"), 400, "malformed HTTP request");
        // The node routes the request URI as sent, so dot segments name no route.
        cases.error("within the API", get(kApi + "/heartbeat/../chunk/" + t.token), 404,
                    "unknown route GET \"/api/downstream/v1/heartbeat/../chunk/<redacted>\"");
        // nginx decodes %2f before resolving dot segments: this climbs to /api/etc/passwd.
        cases.error("escaped slash", get(kApi + "/heartbeat/..%2f..%2f..%2fetc%2fpasswd"), 404, "not found");
        cases.error("backslashes", get(kApi + "/heartbeat/..\\..\\..\\etc\\passwd"), 400,
                    "invalid token: a token is 32 hexadecimal characters");
        cases.error("into the API prefix", get("/api/downstream/v1/chunk/%2e%2e"), 400,
                    "invalid token: a token is 32 hexadecimal characters");
        cases.check();
    }

    void methods_and_routes() {
        Cases cases("methods and routes");
        const Target& t = target();
        cases.error("PUT heartbeat", raw_http_request("PUT", kApi + "/heartbeat/" + t.token, "{}", "", t.ip), 405,
                    "method PUT not allowed here; allowed: GET");
        cases.error("DELETE answer", raw_http_request("DELETE", kApi + "/answer/" + t.token, "", "", t.ip), 405,
                    "method DELETE not allowed here; allowed: POST");
        cases.error("GET answer", get(kApi + "/answer/" + t.token), 405,
                    "method GET not allowed here; allowed: POST");
        cases.error("unknown route", get(kApi + "/nothing"), 404, "unknown route GET \"/api/downstream/v1/nothing\"");
        cases.error("one part too many", get(kApi + "/chunk/" + t.token + "/4096/1"), 404,
                    "unknown route GET \"/api/downstream/v1/chunk/<redacted>/4096/1\"");
        cases.error("outside the node's prefix", get("/api/other"), 404, "not found");
        cases.check();
    }

    void malformed_http() {
        Cases cases("malformed HTTP");
        const Target& t = target();
        const std::string path = kApi + "/challenge/" + t.token;
        // Not here: a request line without a version (HTTP/0.9, which nginx still serves) and
        // a header line without a colon (nginx skips it: ignore_invalid_headers).
        cases.error("garbage request line", std::string("GARBAGE\r\n\r\n"), 400, "malformed HTTP request");
        cases.error("HTTP/9.9", "GET " + path + " HTTP/9.9\r\nHost: x\r\n\r\n", 400, "malformed HTTP request");
        cases.error("no Host", "GET " + path + " HTTP/1.1\r\nConnection: close\r\n\r\n", 400, "malformed HTTP request");
        cases.error("16 KiB header", get(path, "X-Big: " + std::string(16384, 'b') + "\r\n"), 400, "malformed HTTP request");
        cases.error("16 KiB URI", get(kApi + "/heartbeat/" + std::string(16384, 'a')), 414, "request URI too long");
        cases.error("negative Content-Length", "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    "Content-Length: -1\r\n\r\n", 400, "malformed HTTP request");
        cases.error("Content-Length abc", "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    "Content-Length: abc\r\n\r\n", 400, "malformed HTTP request");
        cases.error("Content-Length and chunked", "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "malformed HTTP request");
        cases.error("Transfer-Encoding gzip", "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    "Transfer-Encoding: gzip\r\n\r\n", 400, "malformed HTTP request");
        cases.error("bad chunk size", "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, "malformed HTTP request");
        // nginx takes a POST without Content-Length or chunked encoding for an empty body.
        cases.error("POST without length", "POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400,
                    not_json("malformed JSON: The document is empty. (at byte 0)"));
        cases.error("NUL in the path", "GET " + kApi + std::string("/heartbeat/a\0b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 55),
                    400, "malformed HTTP request");
        cases.check();
    }

    void slow_clients() {
        const Target& t = target();
        // A body whose last 15 bytes trickle in a byte every 200 ms (nginx buffers the body,
        // so no node thread waits for it; it then gets its answer), a stalled body and
        // trickled headers (nginx's client_body_timeout / client_header_timeout end them,
        // 5 s in the local config). Meanwhile the node serves everyone else.
        RawRequest trickle;
        trickle.bytes = post(kApi + "/challenge/" + t.token, "{\"hashes\":5" + std::string(20, ' ') + "}");
        trickle.hold_after = trickle.bytes.size() - 15;
        trickle.trickle_ms = 200;
        trickle.timeout_ms = 30000;
        RawRequest stall = trickle;
        stall.trickle_ms = -1;
        RawRequest slow_headers;
        slow_headers.bytes = "GET " + kApi + "/heartbeat/" + t.token + " HTTP/1.1\r\nHost: x\r\nX-Slow: " +
                             std::string(200, 's') + "\r\n\r\n";
        slow_headers.hold_after = 20;
        slow_headers.trickle_ms = 200;
        slow_headers.timeout_ms = 30000;

        std::vector<RawReply> replies(6);
        std::vector<std::thread> slow;
        for (int i = 0; i < 2; ++i) slow.emplace_back([&, i] { replies[i] = raw_exchange(t.port, trickle); });
        for (int i = 2; i < 4; ++i) slow.emplace_back([&, i] { replies[i] = raw_exchange(t.port, stall); });
        for (int i = 4; i < 6; ++i) slow.emplace_back([&, i] { replies[i] = raw_exchange(t.port, slow_headers); });
        // Everyone else is served meanwhile, quickly.
        int served = 0;
        long slowest_ms = 0;
        for (int i = 0; i < 20; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            const auto started = std::chrono::steady_clock::now();
            const auto reply = api_get("/heartbeat/" + t.token, t.ip);
            const long ms = static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::steady_clock::now() - started).count());
            slowest_ms = std::max(slowest_ms, ms);
            if (reply.status == 200) ++served;
        }
        for (auto& thread : slow) thread.join();
        CPPUNIT_ASSERT_EQUAL(20, served);
        CPPUNIT_ASSERT_MESSAGE("a good request took " + std::to_string(slowest_ms) + " ms", slowest_ms < 3000);
        std::cout << "  slow clients: 20 good requests served meanwhile, slowest " << slowest_ms << " ms" << std::endl;
        for (int i = 0; i < 6; ++i) {
            const RawReply& r = replies[i];
            const std::string name = i < 2 ? "trickled body" : i < 4 ? "stalled body" : "trickled headers";
            std::cout << "    " << name << ": " << (r.answered ? std::to_string(r.status) + " " + printable(r.body) : "closed: " + r.error)
                      << " after " << r.elapsed.count() << " ms" << std::endl;
            CPPUNIT_ASSERT_MESSAGE(name + " still open after 30 s", r.elapsed.count() < 29000);
            if (i < 2) {
                const std::string problems = judge(r, 400, "\"hashes\" must be an array, not a number");
                CPPUNIT_ASSERT_MESSAGE(name + ":" + problems, problems.empty());
            } else if (r.answered) {
                // nginx ends a stalled client with 408 or by closing the connection.
                const std::string problems = judge(r, 408, "request timed out");
                CPPUNIT_ASSERT_MESSAGE(name + ":" + problems, problems.empty());
            }
        }
        count_case("slow clients", 6);
    }

    void many_bad_requests_at_once() {
        const Target& t = target();
        const std::string hash = live_hash();
        const std::vector<std::tuple<std::string, int, std::string>> mix = {
            {post(kApi + "/answer/" + t.token, repeat("[", 100000)), 400, not_json("JSON nested deeper than 16 levels")},
            {post(kApi + "/challenge/" + t.token, "{\"hashes\":5}"), 400, "\"hashes\" must be an array, not a number"},
            {get(kApi + "/heartbeat/%27%20OR%201%3D1"), 400, "invalid token: a token is 32 hexadecimal characters"},
            {get(kApi + "/chunk/" + t.token + "/-1"), 400, "invalid size \"-1\": must be a non-negative integer"},
            {post(kApi + "/answer/" + t.token + "/" + hash, "{\"proof\":" + t.proof + "}"), 400, "proof invalid"},
            {post(kApi + "/challenge/" + t.token, gzip_of(std::string(8 * 1048576, '\0'))), 413,
             "request body larger than " + std::to_string(kNodeBodyLimit) + " bytes"},
        };
        constexpr int kThreads = 24;
        constexpr int kPerThread = 12;
        std::atomic<int> wrong{0};
        std::mutex first_mutex;
        std::string first;
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&, i] {
                for (int j = 0; j < kPerThread; ++j) {
                    const auto& [bytes, status, message] = mix[static_cast<std::size_t>(i + j) % mix.size()];
                    RawRequest request;
                    request.bytes = bytes;
                    const std::string problems = judge(raw_exchange(t.port, request), status, message);
                    if (!problems.empty()) {
                        ++wrong;
                        std::lock_guard<std::mutex> lock(first_mutex);
                        if (first.empty()) first = problems;
                    }
                }
            });
        for (auto& thread : threads) thread.join();
        count_case("many at once", kThreads * kPerThread);
        std::cout << "  many at once: " << kThreads * kPerThread << " bad requests on " << kThreads << " connections" << std::endl;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first, 0, wrong.load());
    }

    void database_unchanged_and_node_alive() {
        Target& t = target();
        CPPUNIT_ASSERT_EQUAL(t.fingerprint, database_fingerprint());
        // Still serving: a read, a new contract (a write) and the farmer's request for its
        // challenges.
        CPPUNIT_ASSERT_EQUAL(200, api_get("/heartbeat/" + t.token, t.ip).status);
        const auto contracts = contracts_for(*t.client, 4096, 1);
        const auto reply = api_post("/challenge/" + t.token, "{\"hashes\":[" + quoted(contracts[0].file_hash) + "]}", {}, t.ip);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply.body, 200, reply.status);
        CPPUNIT_ASSERT_MESSAGE(reply.body, reply.body.find("\"answered\":false") != std::string::npos);
        int total = 0;
        std::cout << "  bad inputs tried:";
        for (const auto& [category, n] : case_counts()) {
            std::cout << " " << category << " " << n << ";";
            total += n;
        }
        std::cout << " total " << total << std::endl;
        CPPUNIT_ASSERT(total > 300);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(BadInputTest);

}  // namespace downstream::testing

// Fuzzes the Swizzle binary codec (heartbeat, tag, state, challenge, proof), the objects' JSON
// form (a base64 string) and SwizzleScheme's gen_challenge and verify behind the
// HeartbeatScheme seam.
//
// Input: one byte choosing what the rest is, then the rest:
//   0 heartbeat, 1 tag, 2 state, 3 challenge, 4 proof (each its binary serialisation),
//   5 JSON text handed to verify as the farmer's proof.
// Invariants: parsers return errors, never throw; what parses serializes to bytes that parse
// to the same object; parsed objects respect swizzle_limits.h; against the fixed valid state,
// challenge and proof of swizzle_deterministic.json (heartbeat "heartbeat", file_1000,
// challenge 0) verify is never an Error for a farmer's input, is Corrupted exactly when the
// proof does not parse, and is Valid only for proofs equal to the reference one modulo p.
#include "encoding/base64.h"
#include "fuzz/fuzz_check.h"
#include "json/json_parse.h"
#include "proof/swizzle_challenge.h"
#include "proof/swizzle_heartbeat.h"
#include "proof/swizzle_json.h"
#include "proof/swizzle_limits.h"
#include "proof/swizzle_proof.h"
#include "proof/swizzle_scheme.h"
#include "proof/swizzle_state.h"
#include "proof/swizzle_tag.h"

#include <memory>
#include <string>

using namespace downstream;
using namespace downstream::proof;

namespace {

constexpr char kPrivateHeartbeat[] =
    "ACAAAACP+JIwtFa8fd0zU8OL5PSBAZHzMQtQO6gg6eQEW5hlryAAAAA/DfMDRJpvGQteh6k+ci5l3XUl4t5kF4z41kMEc"
    "eAp6QoAAAB/AAAAgAAAAA/EOW45VNWHEDBE6oHpjwJkFhYzwe/u53bc8KBqyNwh3ASLgtYQk0q/to6w9eofhOL7Y9YB0f"
    "o9t3pLFP9UKONidcg7iQXggdyANzocD5NTkYQo138utdYru+tVHGmswJg0Rdyr4Jx/khkcJgqUuk78a12Amt0eh/4+GDZ4"
    "TVV9";
constexpr char kState[] =
    "jAAAAGQAAAABAAAAEAAAAMqiOkTPzk6w6P2h5ReGjr9IAAAAwhddSliNNOvIf5FgwjCLuXXgn+andMwMqGtuPxjzlLyKRn"
    "MsoD8E42j0aBXN49XvKKmn55RsIFyE2L5OGlWAS7bZI5NXAzEuIAAAAN679wg0iPgVi+v48AdhWnjY7sfoDRPPEvXy9nXy"
    "K0RD";
constexpr char kChallenge[] =
    "AQAAACAAAADoTtKUm3gg/b7wgMTHP5MCCnbUbnivsKYj5GCWQmp6xIAAAAAPxDluOVTVhxAwROqB6Y8CZBYWM8Hv7ud23P"
    "CgasjcIdwEi4LWEJNKv7aOsPXqH4Ti+2PWAdH6Pbd6SxT/VCjjYnXIO4kF4IHcgDc6HA+TU5GEKNd/LrXWK7vrVRxprMCY"
    "NEXcq+Ccf5IZHCYKlLpO/GtdgJrdHof+Phg2eE1VfQ==";
constexpr char kProof[] =
    "CgAAAIAAAAAKWFwu4hnLwW+gtnfAgdvLjuFnNiv08mQ7Ch4PDMuhSI7MvqJJ3l8iWDXtccRpxrSuBsm0F7Dk5LGNxA6U0u"
    "ELSEU7+hLS7oJJDkcRF9bmFhFkyZ+jYJh9U+k52/RNoAOn/JJg3USY6zrGzCnzwf2dptcSTLSvRdOanYizqkWRwIAAAAAP"
    "r2zblPiJ59ndTo62wY/WdhxDXXP9afJAawLg+VcqzfiUHNz2PJY8P/tboSlN950OR7bXA11PwzKEu819Zmlj7wlVEb5x4F"
    "EYkk9SGydkAiOOJpctMqc23IMG/pKxi8H9OHimD72QX7437vR1k607JWf+9q7nxDG+xnEAe/jmr38AAABKOr8PIrKvuBNa"
    "HZw+WAvl4go0hNMs12sD6oMFluxzUB6zk7TCQ1RHqm2sD9xNo7GNUYDtOZbWNDj0IECwlGa/Oa2rczzwJhviR0irShhfYd"
    "CM9B4qcTzgDclqLqlIPZAmvMNeMxhyZvxvmbRFqpyUGFoMpj9Da67B8w47sqjbgAAAAAlU2mH613zDsSI6xGEocifdVOn2"
    "9GOQHrycRmtC2QNne5GqssBtlVYgVoRvtScygTmMZT9qA9BdJsKr5Z0hGgBLavDaBqTdLm/XHUHT8VGznQkYI+ZE8WPMMk"
    "s1VNQFn5EOxbk2xSzqG5YDgu/yHQwDwrFbMS8JUo5+qT7hxCSngAAAAAs7Vk8TTboTODJ2Vm9uAwuVrpWjvEo8Qa62jUV1"
    "Mg0w+PShNQ6g1G7NynjZ1K/5+H/5aJTdoKidxfGvL7SHwRMBTLEB2c31yE2ixLzjfMm4hOk1R3qhmmyx+n/1bkJHuXvszz"
    "SJPGSpkQfiPe7bBSlbxIv5BCu2IbMEu0raQOldgAAAAAcKaSiGuHHP2X+Xj7du3kIjQr4cbML7fqsVivZ4w2ecTR0A9tHM"
    "haAabMiXK/IZbd2Dz76M4rwV88aeRMyYmrcTaigenrxl2KOg+ZjCt7xPQUcLnq1TYVlTFM4VNZ8pY61FJTumEimrAkDDiR"
    "ToVUXS5g1E9097xojbJDDAAUVtgAAAAAvVBVVpNyh6olRuMCB3Zy6yK+L79+D3s6NnJUydt+tX6AqC9hcqspsJ3u5d0Hgd"
    "4GTVyXFirQn+5ODixvkATmp45aPRoribwqVSZfhlTYhq8jWAlsdQSLFncnvJE28LzGNmwLK+3Dn/NrcqWou98Iu66mMUe2"
    "goNWHzQNY5nzWVgAAAAA1Apy2QSTxDSKT5Zo1yG1cMZvE+LGDQHYZ31/dzCYHYUzYbm62YuqFTt7jihqKEPBhy8hGnisAS"
    "VKkMKxzYnk6QtSjF0WjZoCWVMlyhEaUqJYMJBPkEYQEGG9kkr82SL9nbRiX89s9Ey6CNDcka6bOf7akoCYr9yo1dphJRbD"
    "GmAQAAAAABAAAAAIAAAAAPJrcT8QaorsaQlYezt/qmkXrW6wMg+KJp5PMSkmr1OfQv8vf3HYnHKVA/0nNzis8kbQ4Nf7Ug"
    "z5xNCrU8YtBAbyVCmCVmzm/neQjtGPTDgGddwLDgYotjAFBpdXSZH5K662GOAJrRDMQCh/JF+H3ONRjsMScf7DAEPQD4X/"
    "E6fA==";

std::string bytes_of(const char* b64) { return encoding::base64_decode_skipping(b64).value(); }

// Deterministic draws, so a crash replays exactly.
class CountingSource final : public RandomSource {
public:
    std::string bytes(std::size_t count) override {
        std::string out(count, '\0');
        for (char& c : out) c = static_cast<char>(next_++ * 167 + 13);
        return out;
    }

private:
    unsigned next_ = 0;
};

struct Fixture {
    std::unique_ptr<SwizzleScheme> scheme;
    std::string state;
    std::string challenge;
    SwizzleProof proof;  // the reference proof, mu reduced mod p

    Fixture() {
        scheme = SwizzleScheme::create(bytes_of(kPrivateHeartbeat), 1.0,
                                       std::make_shared<CountingSource>())
                     .value();
        state = bytes_of(kState);
        challenge = bytes_of(kChallenge);
        proof = parse_swizzle_proof(bytes_of(kProof)).value();
        BigNumberContext ctx;
        for (BigNumber& mu : proof.mu) mu.reduce(scheme->heartbeat().p(), ctx);
        FUZZ_CHECK(verdict_of_bytes(bytes_of(kProof)) == Verdict::Valid);
    }

    // verify with the proof's bytes as the farmer's JSON string.
    Verdict verdict_of_bytes(std::string_view proof_bytes, std::string_view with_challenge = {},
                             std::string_view with_state = {}) const {
        const auto doc = json::parse_json(swizzle_json(proof_bytes));
        FUZZ_CHECK(doc.ok());
        const auto verdict =
            scheme->verify(**doc, with_challenge.empty() ? challenge : with_challenge,
                           with_state.empty() ? state : with_state);
        FUZZ_CHECK_MSG(verdict.ok(), verdict.ok() ? "" : verdict.error().message);
        return *verdict;
    }

    // True when `candidate` is the reference proof up to adding multiples of p to mu values.
    bool is_reference(const SwizzleProof& candidate) const {
        if (candidate.mu.size() != proof.mu.size() || candidate.sigma != proof.sigma) return false;
        BigNumberContext ctx;
        for (std::size_t j = 0; j < proof.mu.size(); ++j) {
            BigNumber mu = candidate.mu[j].copy();
            mu.reduce(scheme->heartbeat().p(), ctx);
            if (mu != proof.mu[j]) return false;
        }
        return true;
    }
};

const Fixture& fixture() {
    static const Fixture instance;
    return instance;
}

// serialize(parse(bytes)) parses to an object that serializes to the same bytes.
template <class T, class Parse>
std::string check_round_trip(const T& object, Parse parse) {
    const std::string bytes = serialize(object);
    const auto again = parse(bytes);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(serialize(*again) == bytes);
    return bytes;
}

void check_heartbeat(std::string_view bytes) {
    const auto heartbeat = SwizzleHeartbeat::parse(bytes);
    if (!heartbeat) return;
    FUZZ_CHECK(heartbeat->sectors() >= 1 && heartbeat->sectors() <= kSwizzleMaxSectors);
    FUZZ_CHECK(heartbeat->sector_size() >= 1 && heartbeat->sector_size() <= kSwizzleMaxSectorSize);
    FUZZ_CHECK(heartbeat->p().bit_length() >= kSwizzleMinModulusBits &&
               heartbeat->p().bit_length() <= kSwizzleMaxValueBits);
    const std::string serialized = heartbeat->serialize();
    const auto again = SwizzleHeartbeat::parse(serialized);
    FUZZ_CHECK(again.ok() && again->serialize() == serialized);
    FUZZ_CHECK(again->is_public() == heartbeat->is_public());
    const auto public_form = SwizzleHeartbeat::parse(heartbeat->public_heartbeat().serialize());
    FUZZ_CHECK(public_form.ok() && public_form->is_public());
    // A key file holding it would make a scheme exactly when it is private.
    const auto scheme = SwizzleScheme::create(serialized, 0.5, std::make_shared<CountingSource>());
    FUZZ_CHECK(scheme.ok() == !heartbeat->is_public());
}

void check_tag(std::string_view bytes) {
    const auto tag = parse_swizzle_tag(bytes);
    if (!tag) return;
    FUZZ_CHECK(tag->sigmas.size() <= bytes.size() / 4);
    for (const BigNumber& sigma : tag->sigmas) FUZZ_CHECK(sigma.bit_length() <= kSwizzleMaxValueBits);
    check_round_trip(*tag, parse_swizzle_tag);
}

void check_state(std::string_view bytes) {
    const Fixture& f = fixture();
    const auto state = SwizzleState::parse(bytes);
    if (state) {
        const std::string serialized = state->serialize();
        FUZZ_CHECK(serialized.size() <= bytes.size() && bytes.substr(0, serialized.size()) == serialized);
        const auto opened = state->open(f.scheme->heartbeat().keys());
        if (opened.ok() && opened->has_value()) {
            FUZZ_CHECK(is_swizzle_key_size((*opened)->keys.f_key.size()));
            FUZZ_CHECK(is_swizzle_key_size((*opened)->keys.alpha_key.size()));
        }
        // Without keys (a public heartbeat) nothing opens.
        const auto unkeyed = state->open(nullptr);
        FUZZ_CHECK(!unkeyed.ok() || !unkeyed->has_value());
    }
    // The node's stored state: errors for anything but an authentic state, never a crash.
    const auto issued = f.scheme->gen_challenge(bytes);
    if (issued.ok()) {
        FUZZ_CHECK(issued->has_value());
        const auto challenge = parse_swizzle_challenge((*issued)->challenge);
        FUZZ_CHECK(challenge.ok() && challenge->l >= 1);
    }
    (void)f.scheme->verify(json::Value("AAAA"), f.challenge, bytes);
}

void check_challenge(std::string_view bytes) {
    const Fixture& f = fixture();
    const auto challenge = parse_swizzle_challenge(bytes);
    if (!challenge) return;
    FUZZ_CHECK(is_swizzle_key_size(challenge->key.size()));
    FUZZ_CHECK(challenge->bound.bit_length() >= 2 &&
               challenge->bound.bit_length() <= kSwizzleMaxValueBits);
    const std::string serialized = check_round_trip(*challenge, parse_swizzle_challenge);
    if (challenge->l == 0) return;  // the node never issues these; verify refuses them (Error)
    // The reference proof against another challenge: valid only under the same key, which
    // picks the chunks and their coefficients. (Any l >= n checks the whole one-chunk file,
    // and a bound of the same bit length above the coefficient leaves it unchanged.)
    const Verdict verdict = f.verdict_of_bytes(bytes_of(kProof), serialized);
    if (verdict == Verdict::Valid) {
        const auto reference = parse_swizzle_challenge(f.challenge).value();
        FUZZ_CHECK(challenge->key == reference.key);
    }
    FUZZ_CHECK(verdict != Verdict::Corrupted);
}

void check_proof(std::string_view bytes) {
    const Fixture& f = fixture();
    const auto proof = parse_swizzle_proof(bytes);
    if (proof) {
        FUZZ_CHECK(proof->mu.size() <= kSwizzleMaxSectors);
        for (const BigNumber& mu : proof->mu) FUZZ_CHECK(mu.bit_length() <= kSwizzleMaxValueBits);
        FUZZ_CHECK(proof->sigma.bit_length() <= kSwizzleMaxValueBits);
        check_round_trip(*proof, parse_swizzle_proof);
    }
    const Verdict verdict = f.verdict_of_bytes(bytes);
    FUZZ_CHECK((verdict == Verdict::Corrupted) == !proof.ok());
    if (verdict == Verdict::Valid) FUZZ_CHECK(f.is_reference(*proof));
}

void check_json_proof(std::string_view text) {
    const Fixture& f = fixture();
    const auto doc = json::parse_json(text);
    if (!doc.ok()) return;
    const auto bytes = swizzle_bytes_from_json(**doc);
    FUZZ_CHECK(bytes.ok() == (*doc)->IsString());
    const auto verdict = f.scheme->verify(**doc, f.challenge, f.state);
    FUZZ_CHECK(verdict.ok());
    if (!bytes.ok()) FUZZ_CHECK(*verdict == Verdict::Corrupted);
    if (*verdict == Verdict::Valid) FUZZ_CHECK(f.is_reference(parse_swizzle_proof(*bytes).value()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    const std::uint8_t kind = input.byte();
    const std::string_view rest = input.rest();
    switch (kind % 6) {
    case 0: check_heartbeat(rest); break;
    case 1: check_tag(rest); break;
    case 2: check_state(rest); break;
    case 3: check_challenge(rest); break;
    case 4: check_proof(rest); break;
    default: check_json_proof(rest); break;
    }
    return 0;
}

// Swizzle throughput on one thread: encode MB/s, verify/s (through HeartbeatScheme, including
// the proof's base64 and parsing), and the farmer-side prove/s and gen_challenge/s.
//
//   build/bench/swizzle_bench [SECONDS-PER-ROW]      (default 1)
//
// Prints one table; figures are best of three runs of SECONDS-PER-ROW each.
#include "crypto/aes_encryptor.h"
#include "encoding/base64.h"
#include "json/json.h"
#include "proof/swizzle_challenge.h"
#include "proof/swizzle_json.h"
#include "proof/swizzle_prove.h"
#include "proof/swizzle_scheme.h"
#include "proof/swizzle_tag.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

namespace proof = downstream::proof;
namespace json = downstream::json;

namespace {

using Clock = std::chrono::steady_clock;

// Runs `op` repeatedly for about `seconds`, three times; the best rate in operations/s.
double best_rate(double seconds, const std::function<void()>& op) {
    double best = 0;
    for (int run = 0; run < 3; ++run) {
        long count = 0;
        const auto start = Clock::now();
        double elapsed = 0;
        do {
            op();
            ++count;
            elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        } while (elapsed < seconds);
        best = std::max(best, count / elapsed);
    }
    return best;
}

// Deterministic file bytes (AES-CTR keystream), so runs are comparable.
std::string file_of(std::size_t size) {
    auto aes = downstream::crypto::AesEncryptor::create(downstream::crypto::AesMode::Ctr,
                                                        std::string(32, 'b'), std::string(16, '\0'));
    return aes.value().update(std::string(size, '\0'));
}

std::string bytes_of_json(const std::string& text) {
    json::Document doc;
    doc.Parse(text.c_str(), text.size());
    return proof::swizzle_bytes_from_json(doc).value();
}

void row(const char* what, double figure, const char* unit) {
    std::printf("| %-52s | %12.1f %-9s |\n", what, figure, unit);
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
    const std::string private_heartbeat = proof::generate_swizzle_private_heartbeat();
    auto full = proof::SwizzleScheme::create(private_heartbeat, 1.0).value();
    auto tenth = proof::SwizzleScheme::create(private_heartbeat, 0.1).value();
    const auto heartbeat =
        proof::SwizzleHeartbeat::parse(bytes_of_json(full->public_heartbeat_json())).value();

    std::printf("Swizzle, one thread: p of %d bits, s = %u, S = %u (chunk %u bytes)\n\n",
                heartbeat.p().bit_length(), heartbeat.sectors(), heartbeat.sector_size(),
                heartbeat.chunk_size());
    std::printf("| %-52s | %-22s |\n", "operation", "figure");
    std::printf("|%s|%s|\n", std::string(54, '-').c_str(), std::string(24, '-').c_str());

    for (std::size_t size : {std::size_t{32768}, std::size_t{1} << 20}) {
        const std::string file = file_of(size);
        const double rate = best_rate(seconds, [&] { (void)full->encode(file); });
        const std::string what = "encode " + std::to_string(size / 1024) + " KiB file";
        row(what.c_str(), rate * static_cast<double>(size) / 1e6, "MB/s");
    }

    // One 32 KiB contract (n = 26), challenged with l = n and with l = 2.
    const std::string file = file_of(32768);
    const auto encoded = full->encode(file);
    const auto tag = proof::parse_swizzle_tag(bytes_of_json(encoded.tag_json)).value();
    for (const proof::SwizzleScheme* scheme : {full.get(), tenth.get()}) {
        const auto issued = scheme->gen_challenge(encoded.state).value().value();
        const auto challenge = proof::parse_swizzle_challenge(issued.challenge).value();
        const auto made = proof::prove_swizzle(heartbeat, file, challenge, tag).value();
        json::Document proof_json;
        const std::string text = downstream::encoding::base64_encode(serialize(made));
        proof_json.SetString(text.c_str(), static_cast<rapidjson::SizeType>(text.size()),
                             proof_json.GetAllocator());
        if (scheme->verify(proof_json, issued.challenge, issued.state).value() !=
            proof::Verdict::Valid) {
            std::fprintf(stderr, "benchmark proof does not verify\n");
            return 1;
        }
        const std::string l = std::to_string(challenge.l);
        const double verify = best_rate(seconds, [&] {
            (void)scheme->verify(proof_json, issued.challenge, issued.state);
        });
        row(("verify, 32 KiB file, l = " + l).c_str(), verify, "verify/s");
        const double prove = best_rate(seconds, [&] {
            (void)proof::prove_swizzle(heartbeat, file, challenge, tag);
        });
        row(("prove (farmer), 32 KiB file, l = " + l).c_str(), prove, "proofs/s");
    }
    const double issue = best_rate(seconds, [&] { (void)full->gen_challenge(encoded.state); });
    row("gen_challenge", issue, "/s");
    return 0;
}

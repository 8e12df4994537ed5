// Throughput of the identity and geo primitives on one core: how many token requests'
// worth of signature checks, address checks and location lookups a worker thread can do.
//
//   build/bench/identity_geo_bench [path/to/city.mmdb]
#include "geo/geo_database.h"
#include "identity/base58check.h"
#include "identity/signed_message.h"
#include "identity/token.h"

#include <chrono>
#include <cstdio>
#include <string>

namespace id = downstream::identity;
namespace geo = downstream::geo;

namespace {

// Runs `step` for about half a second and prints the rate.
template <class Step>
void measure(const char* what, Step step) {
    using clock = std::chrono::steady_clock;
    long iterations = 0;
    const auto start = clock::now();
    auto elapsed = clock::duration::zero();
    do {
        for (int i = 0; i < 64; ++i) step(iterations++);
        elapsed = clock::now() - start;
    } while (elapsed < std::chrono::milliseconds(500));
    const double seconds = std::chrono::duration<double>(elapsed).count();
    std::printf("%-44s %12.0f /s  %9.2f us each\n", what, iterations / seconds,
                1e6 * seconds / iterations);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mmdb = argc > 1 ? argv[1] : "test/geoip/GeoIP2-City-Test.mmdb";
    const std::string secret(32, '\x42');
    const std::string message = "downstream-node benchmark message";
    const std::string address = *id::address_for_secret(secret, id::KeyForm::Compressed);
    const std::string signature = *id::sign_message(secret, message, id::KeyForm::Compressed);
    volatile bool sink = false;

    measure("verify_signed_message (valid)", [&](long) {
        sink = id::verify_signed_message(address, message, signature).verified();
    });
    measure("verify_signed_message (wrong message)", [&](long) {
        sink = id::verify_signed_message(address, "other", signature).verified();
    });
    measure("sign_message", [&](long) { sink = id::sign_message(secret, message, id::KeyForm::Compressed).ok(); });
    measure("base58check_decode (34-char address)", [&](long) { sink = id::base58check_decode(address).ok(); });
    measure("Token::parse + storage_hash", [&](long) {
        sink = id::Token::parse("d25d9a265101bf05007cbb5d81c5093f")->storage_hash().empty();
    });

    auto db = geo::GeoDatabase::open(mmdb);
    if (!db.ok()) {
        std::printf("geo: %s\n", db.error().message.c_str());
        return 1;
    }
    const char* ips[] = {"81.2.69.142", "2001:480:10::1", "67.43.156.1", "127.0.0.1"};
    measure("GeoDatabase::locate (mixed v4/v6/miss)", [&](long i) { sink = db->locate(ips[i & 3]).unknown(); });
    (void)sink;
    return 0;
}

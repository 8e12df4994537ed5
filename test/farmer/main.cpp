// build/test-farmer: farms against a node like the shipped client and says what happened.
//
//   test-farmer --url http://127.0.0.1:PORT [--address A | --key-phrase TEXT [--uncompressed]]
//               [--size N] [--rounds R] [--forwarded-for IP] [--prefix /api/downstream]
//
// Without --key-phrase it asks GET /new/<address> (allowed where limits.require_signature is
// false, as in `make run`); with it, it signs POST /new with the key SHA-256(TEXT) and uses that
// key's address (printed first, so it can be whitelisted). Exit status 0 when every round ran
// and every answer was accepted, 1 otherwise, 2 for a bad command line.
#include "farmer/farm_rounds.h"

#include <iostream>
#include <string>

namespace {

int usage(const std::string& problem) {
    std::cerr << "test-farmer: " << problem << "\n"
              << "usage: test-farmer --url http://HOST:PORT [--address A | --key-phrase TEXT "
                 "[--uncompressed]] [--size BYTES] [--rounds R] [--forwarded-for IP] [--prefix P]\n";
    return 2;
}

bool parse_int(const std::string& text, long long min, long long& out) {
    try {
        std::size_t used = 0;
        out = std::stoll(text, &used);
        return used == text.size() && out >= min;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace downstream;
    std::string url;
    farmer::FarmPlan plan;
    plan.address = "17wJTaBfX7cry26fDXsDuv7FLvUzujejwM";
    std::string phrase, forwarded_for, prefix(farmer::kClientPrefix);
    bool uncompressed = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        long long number = 0;
        if (arg == "--uncompressed") {
            uncompressed = true;
        } else if (!has_value) {
            return usage("unknown or incomplete argument " + arg);
        } else if (arg == "--url") {
            url = argv[++i];
        } else if (arg == "--address") {
            plan.address = argv[++i];
        } else if (arg == "--key-phrase") {
            phrase = argv[++i];
        } else if (arg == "--forwarded-for") {
            forwarded_for = argv[++i];
        } else if (arg == "--prefix") {
            prefix = argv[++i];
        } else if (arg == "--size") {
            if (!parse_int(argv[++i], 1, number)) return usage("--size needs a positive number");
            plan.size = number;
        } else if (arg == "--rounds") {
            if (!parse_int(argv[++i], 1, number) || number > 1000000) return usage("--rounds needs a positive number");
            plan.rounds = static_cast<int>(number);
        } else {
            return usage("unknown argument " + arg);
        }
    }
    if (url.empty()) return usage("--url is required");
    auto endpoint = farmer::parse_url(url);
    if (!endpoint) return usage(endpoint.error().message);
    if (!phrase.empty()) {
        plan.key = farmer::FarmerKey::from_phrase(
            phrase, uncompressed ? identity::KeyForm::Uncompressed : identity::KeyForm::Compressed);
        plan.address = plan.key->address();
        std::cout << "signing key address: " << plan.address << "\n";
    }

    farmer::FarmerOptions options;
    options.http.endpoint = *endpoint;
    options.http.forwarded_for = forwarded_for;
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    options.prefix = prefix;
    farmer::FarmerClient client(options);
    try {
        const farmer::FarmTally tally = farmer::farm_rounds(client, plan, std::cout);
        if (!tally.failure.empty()) std::cout << "stopped: " << tally.failure << "\n";
        const bool clean = tally.clean(plan.rounds);
        std::cout << (clean ? "result: every answer accepted" : "result: NOT clean") << std::endl;
        return clean ? 0 : 1;
    } catch (const std::exception& e) {
        std::cout << "failed: " << e.what() << std::endl;
        return 1;
    }
}

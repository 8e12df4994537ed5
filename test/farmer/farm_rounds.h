// Farming for a number of rounds, the shipped client's cycle in one thread: token, contracts,
// then per round prove and answer every live contract, wait until its challenge falls due,
// fetch the next challenges. What `build/test-farmer` runs; what a human checks a node with.
#pragma once

#include "farmer/farmer_client.h"
#include "farmer/farmer_key.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace downstream::farmer {

struct FarmPlan {
    std::string address;
    std::optional<FarmerKey> key;  // sign POST /new with it (its address is `address`)
    std::int64_t size = 32768;     // bytes of contracts to ask for
    int rounds = 3;                // answers per contract
    // Ask for the next challenge this long after the due time the node announced ("due" is
    // whole seconds, so the local due time can be up to a second early).
    double margin_seconds = 1.2;
};

struct FarmTally {
    bool connected = false;
    std::string token;
    int contracts = 0;
    std::int64_t bytes = 0;
    int rounds_done = 0;
    int answers_ok = 0;
    int answer_errors = 0;
    int challenges_fetched = 0;
    int contracts_dropped = 0;
    std::string failure;  // why farming stopped early, if it did

    // True when farming ran all rounds with every answer accepted.
    bool clean(int rounds) const {
        return failure.empty() && contracts > 0 && answer_errors == 0 && rounds_done == rounds &&
               contracts_dropped == 0;
    }
};

// Farms with `client` according to `plan`, writing one line per event to `log`.
FarmTally farm_rounds(FarmerClient& client, const FarmPlan& plan, std::ostream& log);

}  // namespace downstream::farmer

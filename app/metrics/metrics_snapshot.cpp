#include "metrics/metrics_snapshot.h"

namespace downstream::metrics {

std::size_t status_class(int status) {
    if (status >= 100 && status <= 599) return static_cast<std::size_t>(status / 100 - 1);
    return kStatusClasses - 1;
}

const char* status_class_name(std::size_t index) {
    static const char* const names[kStatusClasses] = {"1xx", "2xx", "3xx", "4xx", "5xx", "other"};
    return index < kStatusClasses ? names[index] : "other";
}

const char* proof_result_name(ProofResult result) {
    switch (result) {
    case ProofResult::Ok: return "ok";
    case ProofResult::Invalid: return "invalid";
    case ProofResult::Corrupted: return "corrupted";
    case ProofResult::Expired: return "expired";
    case ProofResult::NotFound: return "not_found";
    case ProofResult::AlreadyAnswered: return "already_answered";
    case ProofResult::StateInvalid: return "state_invalid";
    }
    return "unknown";
}

std::uint64_t RouteFigures::requests() const {
    std::uint64_t n = 0;
    for (std::uint64_t c : by_class) n += c;
    return n;
}

}  // namespace downstream::metrics

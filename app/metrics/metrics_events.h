// The API's events (api/api_events.h) counted in the shared metrics table.
#pragma once

#include "api/api_events.h"
#include "metrics/metrics_snapshot.h"

namespace downstream::metrics {

class MetricsTable;

// The metrics' name for an answer's result.
ProofResult proof_result_of(api::AnswerResult result);

class MetricsEvents final : public api::ApiEvents {
public:
    explicit MetricsEvents(MetricsTable& table) : table_(table) {}

    void token_issued() override;
    void contracts_issued(std::size_t count, std::int64_t bytes) override;
    void challenges_issued(std::size_t count) override;
    void answer_checked(api::AnswerResult result) override;

private:
    MetricsTable& table_;
};

}  // namespace downstream::metrics

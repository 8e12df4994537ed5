#include "metrics/prometheus_text.h"

#include <cstdint>

namespace downstream::metrics {
namespace {

class Page {
public:
    void family(std::string_view name, std::string_view type, std::string_view help) {
        text_ += "# HELP ";
        text_ += name;
        text_ += ' ';
        text_ += help;
        text_ += "\n# TYPE ";
        text_ += name;
        text_ += ' ';
        text_ += type;
        text_ += '\n';
    }
    // name{labels} value; `labels` is already rendered (k="v",...) or empty.
    void sample(std::string_view name, std::string_view labels, std::string_view value) {
        text_ += name;
        if (!labels.empty()) {
            text_ += '{';
            text_ += labels;
            text_ += '}';
        }
        text_ += ' ';
        text_ += value;
        text_ += '\n';
    }
    void sample(std::string_view name, std::string_view labels, std::uint64_t value) {
        sample(name, labels, std::to_string(value));
    }
    void counter(std::string_view name, std::string_view help, std::uint64_t value) {
        family(name, "counter", help);
        sample(name, "", value);
    }
    std::string take() { return std::move(text_); }

private:
    std::string text_;
};

std::string label(std::string_view name, std::string_view value) {
    return std::string(name) + "=\"" + escape_label_value(value) + "\"";
}

std::string route_labels(const RouteFigures& r) {
    return label("method", r.method) + "," + label("route", r.route);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string render_prometheus(const MetricsSnapshot& s) {
    Page page;

    constexpr std::string_view requests = "downstream_http_requests_total";
    page.family(requests, "counter", "Requests answered, by route pattern and status class.");
    for (const RouteFigures& r : s.routes) {
        const std::string labels = route_labels(r);
        for (std::size_t c = 0; c < kStatusClasses; ++c) {
            if (r.by_class[c] == 0) continue;
            page.sample(requests, labels + "," + label("code", status_class_name(c)), r.by_class[c]);
        }
    }

    constexpr std::string_view duration = "downstream_http_request_duration_seconds";
    page.family(duration, "histogram",
                "Time from reading a request to its last byte sent, by route pattern.");
    const std::string bucket = std::string(duration) + "_bucket";
    for (const RouteFigures& r : s.routes) {
        const LatencyCounts totals = cumulative(r.latency);
        if (totals.back() == 0) continue;
        const std::string labels = route_labels(r);
        for (std::size_t i = 0; i < kLatencyBuckets; ++i) {
            const std::string le =
                i < kLatencyBoundsUs.size() ? seconds_text(kLatencyBoundsUs[i]) : "+Inf";
            page.sample(bucket, labels + "," + label("le", le), totals[i]);
        }
        page.sample(std::string(duration) + "_sum", labels, seconds_text(r.latency_sum_us));
        page.sample(std::string(duration) + "_count", labels, totals.back());
    }

    constexpr std::string_view proofs = "downstream_proofs_total";
    page.family(proofs, "counter", "Proofs checked, by result.");
    for (std::size_t i = 0; i < kProofResults; ++i)
        page.sample(proofs, label("result", proof_result_name(static_cast<ProofResult>(i))), s.proofs[i]);

    page.counter("downstream_tokens_issued_total", "Tokens created (GET or POST /new).", s.tokens_issued);
    page.counter("downstream_contracts_issued_total", "Chunk contracts issued from the pool.",
                 s.contracts_issued);
    page.counter("downstream_contract_bytes_issued_total",
                 "Bytes of the chunk contracts issued from the pool.", s.contract_bytes_issued);
    page.counter("downstream_challenges_issued_total",
                 "Next challenges issued to answered contracts that fell due.", s.challenges_issued);

    page.counter("downstream_db_transactions_total", "Database transactions completed.",
                 s.database.transactions);
    page.counter("downstream_db_conflict_retries_total",
                 "Transactions run again after a deadlock, lock wait timeout or certification failure.",
                 s.database.conflict_retries);
    page.counter("downstream_db_connection_retries_total",
                 "Transactions run again on a new session after a lost or refused connection.",
                 s.database.connection_retries);
    page.counter("downstream_db_errors_total",
                 "Transactions that failed: database unavailable or an SQL error.", s.database.errors);
    page.counter("downstream_db_sessions_opened_total", "Database sessions opened.",
                 s.database.sessions_opened);

    page.counter("downstream_worker_starts_total", "Worker processes started (restarts and reloads included).",
                 s.workers.starts);
    page.counter("downstream_worker_restarts_total", "Workers replaced after dying unexpectedly.",
                 s.workers.restarts);
    page.counter("downstream_reloads_total", "Successful configuration reloads (SIGHUP).", s.workers.reloads);
    page.family("downstream_workers", "gauge", "Worker processes running now.");
    page.sample("downstream_workers", "", s.workers.running);

    page.family("downstream_pool_chunks", "gauge",
                "Pre-generated chunks waiting in the pool for this node's scheme and key, by size in bytes.");
    std::int64_t pool_bytes = 0;
    if (s.pool) {
        for (const auto& [size, count] : s.pool->chunks) {
            page.sample("downstream_pool_chunks",
                        label("scheme", s.pool->scheme) + "," + label("size", std::to_string(size)),
                        std::to_string(count));
            pool_bytes += size * count;
        }
    }
    page.family("downstream_pool_bytes", "gauge",
                "Bytes of pre-generated chunks waiting in the pool for this node's scheme and key.");
    if (s.pool)
        page.sample("downstream_pool_bytes", label("scheme", s.pool->scheme), std::to_string(pool_bytes));
    return page.take();
}

}  // namespace downstream::metrics

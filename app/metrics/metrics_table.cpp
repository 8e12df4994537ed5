#include "metrics/metrics_table.h"

#include <sys/mman.h>

#include <new>
#include <stdexcept>

namespace downstream::metrics {
namespace {

using Cell = std::atomic<std::uint64_t>;
static_assert(Cell::is_always_lock_free, "counters shared between processes need lock-free atomics");

// Cells of one route slot: status classes, latency buckets, latency sum.
constexpr std::size_t kRouteCells = kStatusClasses + kLatencyBuckets + 1;
constexpr std::size_t kFirstRouteCell = kCounters + kProofResults;

}  // namespace

MetricsTable::MetricsTable(const std::vector<std::string>& route_labels) {
    for (const std::string& label : route_labels) {
        const std::size_t space = label.find(' ');
        if (space == std::string::npos || space == 0 || space + 1 == label.size())
            throw std::invalid_argument("route label without method and path: " + label);
        if (slots_.count(label)) continue;
        slots_.emplace(label, labels_.size());
        labels_.push_back(Label{label.substr(0, space), label.substr(space + 1)});
    }
    cells_ = kFirstRouteCell + (labels_.size() + 1) * kRouteCells;
    bytes_ = cells_ * sizeof(Cell);
    mapping_ = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mapping_ == MAP_FAILED) {
        mapping_ = nullptr;
        throw std::bad_alloc();
    }
    Cell* cells = static_cast<Cell*>(mapping_);
    for (std::size_t i = 0; i < cells_; ++i) new (&cells[i]) Cell(0);
}

MetricsTable::~MetricsTable() {
    // std::atomic<uint64_t> is trivially destructible: unmapping is all there is to do.
    if (mapping_ != nullptr) ::munmap(mapping_, bytes_);
}

Cell& MetricsTable::cell(std::size_t index) const { return static_cast<Cell*>(mapping_)[index]; }

std::size_t MetricsTable::route_base(std::size_t slot) const {
    return kFirstRouteCell + slot * kRouteCells;
}

std::size_t MetricsTable::slot_of(std::string_view label) const {
    const auto it = slots_.find(label);
    return it == slots_.end() ? other_slot() : it->second;
}

void MetricsTable::record_request(std::size_t slot, int status, std::uint64_t micros) {
    if (slot > other_slot()) slot = other_slot();
    const std::size_t base = route_base(slot);
    // Relaxed: each cell is an independent count; a scrape may see one request's cells
    // partly updated, never a torn value.
    cell(base + status_class(status)).fetch_add(1, std::memory_order_relaxed);
    cell(base + kStatusClasses + latency_bucket(micros)).fetch_add(1, std::memory_order_relaxed);
    cell(base + kStatusClasses + kLatencyBuckets).fetch_add(micros, std::memory_order_relaxed);
}

void MetricsTable::add(Counter counter, std::uint64_t n) {
    cell(static_cast<std::size_t>(counter)).fetch_add(n, std::memory_order_relaxed);
}

void MetricsTable::add_proof(ProofResult result) {
    cell(kCounters + static_cast<std::size_t>(result)).fetch_add(1, std::memory_order_relaxed);
}

MetricsSnapshot MetricsTable::snapshot() const {
    auto read = [this](std::size_t index) { return cell(index).load(std::memory_order_relaxed); };
    auto counter = [&](Counter c) { return read(static_cast<std::size_t>(c)); };
    MetricsSnapshot s;
    s.tokens_issued = counter(Counter::TokensIssued);
    s.contracts_issued = counter(Counter::ContractsIssued);
    s.contract_bytes_issued = counter(Counter::ContractBytesIssued);
    s.challenges_issued = counter(Counter::ChallengesIssued);
    s.database.transactions = counter(Counter::DbTransactions);
    s.database.conflict_retries = counter(Counter::DbConflictRetries);
    s.database.connection_retries = counter(Counter::DbConnectionRetries);
    s.database.errors = counter(Counter::DbErrors);
    s.database.sessions_opened = counter(Counter::DbSessionsOpened);
    for (std::size_t i = 0; i < kProofResults; ++i) s.proofs[i] = read(kCounters + i);
    s.routes.reserve(labels_.size() + 1);
    for (std::size_t slot = 0; slot <= labels_.size(); ++slot) {
        RouteFigures r;
        if (slot < labels_.size()) {
            r.method = labels_[slot].method;
            r.route = labels_[slot].route;
        } else {
            r.method = "<other>";
            r.route = "<other>";
        }
        const std::size_t base = route_base(slot);
        for (std::size_t i = 0; i < kStatusClasses; ++i) r.by_class[i] = read(base + i);
        for (std::size_t i = 0; i < kLatencyBuckets; ++i) r.latency[i] = read(base + kStatusClasses + i);
        r.latency_sum_us = read(base + kStatusClasses + kLatencyBuckets);
        s.routes.push_back(std::move(r));
    }
    return s;
}

}  // namespace downstream::metrics

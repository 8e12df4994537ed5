#include "store/status_repository.h"

#include "store/database.h"
#include "store/node_settings_repository.h"
#include "store/sql_binding.h"
#include "store/transaction.h"

namespace downstream::store {
namespace {

using Poco::Nullable;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// Everything of a farmer the status API shows, without the token hash.
constexpr const char* kSummaryColumns =
    "id, farmer_id, address, ip, location_city, location_country, location_state,"
    " location_zip, location_lat, location_lon, created_ms, heartbeats, first_contract_ms,"
    " online_start_ms, online_end_ms, covered_ms, contracts_online, size_online, last_due_ms,"
    " changed_ms";

std::vector<TokenRecord> read_summaries(Poco::Data::Statement& st) {
    std::vector<std::int64_t> id, created, heartbeats, covered, contracts, size, changed;
    std::vector<std::string> farmer_id, address, ip;
    std::vector<Nullable<std::string>> city, country, state, zip;
    std::vector<Nullable<double>> lat, lon;
    std::vector<Nullable<std::int64_t>> first, start, end, last_due;
    st, into(id), into(farmer_id), into(address), into(ip), into(city), into(country),
        into(state), into(zip), into(lat), into(lon), into(created), into(heartbeats),
        into(first), into(start), into(end), into(covered), into(contracts), into(size),
        into(last_due), into(changed);
    st.execute();
    std::vector<TokenRecord> result(id.size());
    for (std::size_t i = 0; i < id.size(); ++i) {
        TokenRecord& t = result[i];
        t.id = id[i];
        t.farmer_id = std::move(farmer_id[i]);
        t.address = std::move(address[i]);
        t.ip = std::move(ip[i]);
        t.location = Location{to_optional(city[i]), to_optional(country[i]), to_optional(state[i]),
                              to_optional(zip[i]),  to_optional(lat[i]),     to_optional(lon[i])};
        t.created_ms = created[i];
        t.heartbeats = heartbeats[i];
        t.online = OnlineInterval(to_optional(first[i]), to_optional(start[i]).value_or(0),
                                  to_optional(end[i]).value_or(0), covered[i]);
        t.contracts_online = contracts[i];
        t.size_online = size[i];
        t.last_due_ms = to_optional(last_due[i]);
        t.changed_ms = changed[i];
    }
    return result;
}

}  // namespace

std::vector<TokenRecord> StatusRepository::farmers_after(std::int64_t after_id, std::size_t limit) {
    std::vector<TokenRecord> result;
    db_.transact([&](Transaction& tx) {
        std::int64_t after = after_id;
        std::int64_t max = static_cast<std::int64_t>(limit);
        Poco::Data::Statement st(tx.session());
        st << "SELECT " << kSummaryColumns << " FROM tokens WHERE id > ? ORDER BY id LIMIT ?",
            use(after), use(max);
        result = read_summaries(st);
    });
    return result;
}

std::vector<TokenRecord> StatusRepository::changed_after(FeedCursor cursor, std::size_t limit) {
    std::vector<TokenRecord> result;
    db_.transact([&](Transaction& tx) {
        std::int64_t ms = cursor.ms;
        std::int64_t ms2 = cursor.ms;
        std::int64_t id = cursor.id;
        std::int64_t max = static_cast<std::int64_t>(limit);
        Poco::Data::Statement st(tx.session());
        // Written as an OR rather than a row comparison: MariaDB 10.11 turns this form into
        // a range on ix_tokens_changed (changed_ms, then the primary key it carries).
        st << "SELECT " << kSummaryColumns
           << " FROM tokens WHERE changed_ms > ? OR (changed_ms = ? AND id > ?)"
              " ORDER BY changed_ms, id LIMIT ?",
            use(ms), use(ms2), use(id), use(max);
        result = read_summaries(st);
    });
    return result;
}

std::vector<FarmerDeletion> StatusRepository::deleted_after(FeedCursor cursor, std::size_t limit) {
    std::vector<FarmerDeletion> result;
    db_.transact([&](Transaction& tx) {
        result.clear();
        std::int64_t ms = cursor.ms;
        std::int64_t ms2 = cursor.ms;
        std::int64_t id = cursor.id;
        std::int64_t max = static_cast<std::int64_t>(limit);
        std::vector<std::int64_t> ids, times;
        std::vector<std::string> farmers;
        tx.session() << "SELECT id, farmer_id, deleted_ms FROM token_deletions"
                        " WHERE deleted_ms > ? OR (deleted_ms = ? AND id > ?)"
                        " ORDER BY deleted_ms, id LIMIT ?",
            use(ms), use(ms2), use(id), use(max), into(ids), into(farmers), into(times), now;
        for (std::size_t i = 0; i < ids.size(); ++i)
            result.push_back(FarmerDeletion{ids[i], std::move(farmers[i]), times[i]});
    });
    return result;
}

FeedWatermarks StatusRepository::watermarks() {
    FeedWatermarks marks;
    db_.transact([&](Transaction& tx) {
        Nullable<std::int64_t> changed, deleted;
        tx.session() << "SELECT MAX(changed_ms) FROM tokens", into(changed), now;
        tx.session() << "SELECT MAX(deleted_ms) FROM token_deletions", into(deleted), now;
        marks.changed_ms = to_optional(changed).value_or(0);
        marks.deleted_ms = to_optional(deleted).value_or(0);
    });
    return marks;
}

std::optional<SweepReport> StatusRepository::sweep_if_due(UnixMillis now_ms, UnixMillis period_ms,
                                                          const std::string& holder) {
    NodeSettingsRepository settings(db_);
    if (!settings.try_take_lease(kStatusSweepLease, holder, now_ms, period_ms)) return std::nullopt;
    return contracts_.sweep_expired(now_ms);
}

}  // namespace downstream::store

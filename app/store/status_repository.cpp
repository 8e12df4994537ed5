#include "store/status_repository.h"

#include "store/database.h"
#include "store/node_settings_repository.h"
#include "store/sql_binding.h"
#include "store/token_columns.h"
#include "store/transaction.h"

namespace downstream::store {
namespace {

using Poco::Nullable;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// Runs a prepared `SELECT <every token column but its hash> ...`: everything of a farmer the
// status API shows.
std::vector<TokenRecord> read_summaries(Poco::Data::Statement& st) {
    auto columns = TokenColumns::without_hash();
    columns.bind(st);
    st.execute();
    return columns.take_records();
}

}  // namespace

std::vector<TokenRecord> StatusRepository::farmers_after(std::int64_t after_id, std::size_t limit) {
    std::vector<TokenRecord> result;
    db_.transact([&](Transaction& tx) {
        std::int64_t after = after_id;
        std::int64_t max = static_cast<std::int64_t>(limit);
        Poco::Data::Statement st(tx.session());
        st << "SELECT " << TokenColumns::without_hash().select_list()
           << " FROM tokens WHERE id > ? ORDER BY id LIMIT ?",
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
        st << "SELECT " << TokenColumns::without_hash().select_list()
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

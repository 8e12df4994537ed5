#include "store/token_removal.h"

#include "store/sql_binding.h"
#include "store/transaction.h"

#include <algorithm>
#include <string>

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

}  // namespace

std::size_t delete_unreferenced_files(Transaction& tx, const std::vector<std::int64_t>& file_ids) {
    std::vector<std::int64_t> ids = file_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::size_t deleted = 0;
    for (std::int64_t id : ids) {
        Poco::Data::Statement st(tx.session());
        std::int64_t a = id;
        std::int64_t b = id;
        st << "DELETE FROM files WHERE id = ?"
              " AND NOT EXISTS (SELECT 1 FROM contracts WHERE file_id = ?)",
            use(a), use(b);
        deleted += st.execute();
    }
    return deleted;
}

RemovalCounts remove_tokens(Transaction& tx, const std::vector<std::int64_t>& token_ids,
                            UnixMillis now_ms) {
    RemovalCounts counts;
    std::vector<std::int64_t> ids = token_ids;
    std::sort(ids.begin(), ids.end());  // a fixed lock order
    for (std::int64_t token_id : ids) {
        std::int64_t id = token_id;
        std::vector<std::string> farmer_ids;
        std::vector<std::string> ips;
        tx.session() << "SELECT farmer_id, ip FROM tokens WHERE id = ? FOR UPDATE", use(id),
            into(farmer_ids), into(ips), now;
        if (farmer_ids.empty()) continue;  // already gone

        std::vector<std::int64_t> file_ids;
        tx.session() << "SELECT file_id FROM contracts WHERE token_id = ? FOR UPDATE", use(id),
            into(file_ids), now;
        {
            Poco::Data::Statement st(tx.session());
            st << "DELETE FROM contracts WHERE token_id = ?", use(id);
            counts.contracts += st.execute();
        }
        counts.files += delete_unreferenced_files(tx, file_ids);

        tx.session() << "DELETE FROM tokens WHERE id = ?", use(id), now;
        std::string ip = ips.front();
        tx.session() << "UPDATE ip_token_counts SET tokens = tokens - 1 WHERE ip = ? AND tokens > 0",
            use(ip), now;
        std::string farmer_id = farmer_ids.front();
        std::int64_t at = now_ms;
        tx.session() << "INSERT INTO token_deletions (farmer_id, deleted_ms) VALUES (?, ?)",
            use(farmer_id), use(at), now;
        ++counts.tokens;
    }
    return counts;
}

}  // namespace downstream::store

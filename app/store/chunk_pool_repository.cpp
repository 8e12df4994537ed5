#include "store/chunk_pool_repository.h"

#include "store/database.h"
#include "store/sql_binding.h"
#include "store/token_removal.h"
#include "store/transaction.h"

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using Poco::Data::Keywords::useRef;

// A multi-row INSERT ends at this many rows or this many bytes of tags and states, whichever
// comes first: few round trips, well under any max_allowed_packet.
constexpr std::size_t kRowsPerInsert = 64;
constexpr std::size_t kBytesPerInsert = 4u << 20;
constexpr std::int64_t kDeleteBatch = 1000;

}  // namespace

void ChunkPoolRepository::insert(const PoolKey& key, const std::vector<PoolChunk>& chunks,
                                 UnixMillis now_ms) {
    db_.transact([&](Transaction& tx) {
        std::int64_t at = now_ms;
        std::size_t begin = 0;
        while (begin < chunks.size()) {
            std::size_t end = begin;
            std::size_t bytes = 0;
            while (end < chunks.size() && end - begin < kRowsPerInsert &&
                   (end == begin || bytes + chunks[end].tag_json.size() + chunks[end].state.size() <=
                                        kBytesPerInsert)) {
                bytes += chunks[end].tag_json.size() + chunks[end].state.size();
                ++end;
            }
            std::string sql = "INSERT INTO chunk_pool (scheme, key_fingerprint, size, seed,"
                              " file_hash, tag_json, state, created_ms) VALUES ";
            for (std::size_t i = begin; i < end; ++i)
                sql += i == begin ? "(?, ?, ?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?, ?, ?)";
            Poco::Data::Statement st(tx.session());
            st << sql;
            for (std::size_t i = begin; i < end; ++i) {
                const PoolChunk& c = chunks[i];
                st, useRef(key.scheme), useRef(key.key_fingerprint), useRef(c.size),
                    useRef(c.seed), useRef(c.file_hash), useRef(c.tag_json), useRef(c.state),
                    use(at);
            }
            st.execute();
            begin = end;
        }
    });
}

std::map<std::int64_t, std::int64_t> ChunkPoolRepository::counts_by_size(const PoolKey& key) {
    std::map<std::int64_t, std::int64_t> counts;
    db_.transact([&](Transaction& tx) {
        counts.clear();
        std::string scheme = key.scheme;
        std::string fingerprint = key.key_fingerprint;
        std::vector<std::int64_t> sizes;
        std::vector<std::int64_t> numbers;
        tx.session() << "SELECT size, COUNT(*) FROM chunk_pool WHERE scheme = ? AND key_fingerprint = ?"
                        " GROUP BY size",
            use(scheme), use(fingerprint), into(sizes), into(numbers), now;
        for (std::size_t i = 0; i < sizes.size(); ++i) counts[sizes[i]] = numbers[i];
    });
    return counts;
}

std::int64_t ChunkPoolRepository::count_all() {
    std::int64_t n = 0;
    db_.transact([&](Transaction& tx) {
        tx.session() << "SELECT COUNT(*) FROM chunk_pool", into(n), now;
    });
    return n;
}

std::int64_t ChunkPoolRepository::clear() {
    std::int64_t total = 0;
    for (;;) {
        std::size_t deleted = 0;
        db_.transact([&](Transaction& tx) {
            std::int64_t batch = kDeleteBatch;
            Poco::Data::Statement st(tx.session());
            st << "DELETE FROM chunk_pool ORDER BY id LIMIT ?", use(batch);
            deleted = st.execute();
        });
        total += static_cast<std::int64_t>(deleted);
        if (deleted < static_cast<std::size_t>(kDeleteBatch)) return total;
    }
}

std::int64_t ChunkPoolRepository::delete_unreferenced_files() {
    std::int64_t total = 0;
    std::int64_t after = 0;
    for (;;) {
        std::vector<std::int64_t> ids;
        std::size_t deleted = 0;
        db_.transact([&](Transaction& tx) {
            ids.clear();
            std::int64_t from = after;
            std::int64_t batch = kDeleteBatch;
            tx.session() << "SELECT f.id FROM files f WHERE f.id > ? AND NOT EXISTS"
                            " (SELECT 1 FROM contracts c WHERE c.file_id = f.id)"
                            " ORDER BY f.id LIMIT ?",
                use(from), use(batch), into(ids), now;
            deleted = store::delete_unreferenced_files(tx, ids);
        });
        total += static_cast<std::int64_t>(deleted);
        if (ids.size() < static_cast<std::size_t>(kDeleteBatch)) return total;
        after = ids.back();
    }
}

}  // namespace downstream::store

#include "store/pool_draw.h"

#include "store/sql_binding.h"

#include <stdexcept>

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

// The tag is read in pieces of this many bytes (see the column types in sql/001_init.sql:
// Poco would otherwise allocate the MEDIUMBLOB's 16 MiB maximum for every read). Poco
// allocates and zeroes a buffer of the piece's size at every execution, so the piece is
// small: 64 KiB holds the tag of 256 challenges (24 KB) in one read; with 1 MiB the
// zeroing was a fifth of a worker's CPU while issuing contracts (DECISIONS.md).
constexpr std::int64_t kTagPiece = 1 << 16;

struct PoolDraw : CachedStatement {
    static constexpr const char* kSql =
        "SELECT id, size, seed, file_hash, LENGTH(tag_json), SUBSTRING(tag_json, 1, 65536),"
        " state FROM chunk_pool WHERE scheme = ? AND key_fingerprint = ? AND size <= ?"
        " ORDER BY size DESC LIMIT ? FOR UPDATE SKIP LOCKED";
    std::string scheme, fingerprint;
    std::int64_t limit = 0, rows = 0;
    std::vector<std::int64_t> ids, sizes, tag_lengths;
    std::vector<std::string> seeds, hashes, tags, states;

    explicit PoolDraw(Poco::Data::Session& session) : CachedStatement(session) {
        statement << kSql, use(scheme), use(fingerprint), use(limit), use(rows), into(ids),
            into(sizes), into(seeds), into(hashes), into(tag_lengths), into(tags), into(states);
    }
};

// Statements for up to this many rows at once; larger lists are cut in powers of two (1, 2,
// 4, 8, 16: five prepared statements per kind, whatever the request sizes).
constexpr std::size_t kMaxRowsPerStatement = 16;

// The largest power of two <= min(n, kMaxRowsPerStatement).
std::size_t next_slice(std::size_t n) {
    std::size_t slice = kMaxRowsPerStatement;
    while (slice > n) slice >>= 1;
    return slice;
}

struct PoolDelete : CachedStatement {
    static std::string sql(std::size_t n) {
        return "DELETE FROM chunk_pool WHERE id IN (" + placeholder_list(n) + ")";
    }
    std::vector<std::int64_t> ids;  // bound element by element: never resized
    PoolDelete(Poco::Data::Session& session, std::size_t n) : CachedStatement(session), ids(n) {
        statement << sql(n);
        for (auto& id : ids) statement, use(id);
    }
};

// `(row), (row), ...` n times.
std::string rows_of(const std::string& row, std::size_t n) {
    std::string text = row;
    for (std::size_t i = 1; i < n; ++i) text += ", " + row;
    return text;
}

struct FileInsert : CachedStatement {
    static std::string sql(std::size_t n) {
        return "INSERT INTO files (file_hash, seed, size, redundancy, interval_ms, created_ms) VALUES " +
               rows_of("(?, ?, ?, 1, ?, ?)", n);
    }
    std::vector<std::string> hashes, seeds;
    std::vector<std::int64_t> sizes, intervals, ats;
    FileInsert(Poco::Data::Session& session, std::size_t n)
        : CachedStatement(session), hashes(n), seeds(n), sizes(n), intervals(n), ats(n) {
        statement << sql(n);
        for (std::size_t i = 0; i < n; ++i)
            statement, use(hashes[i]), use(seeds[i]), use(sizes[i]), use(intervals[i]), use(ats[i]);
    }
};

// The file id comes from the files row inserted just before (file_hash is unique there):
// a multi-row insert's ids are not consecutive under Galera (innodb_autoinc_lock_mode = 2).
struct ContractInsert : CachedStatement {
    static std::string sql(std::size_t n) {
        return "INSERT INTO contracts (token_id, file_id, file_hash, size, state, challenge,"
               " challenge_json, due_ms, answered, expiration_ms, interval_ms, online, created_ms)"
               " VALUES " +
               rows_of("(?, (SELECT id FROM files WHERE file_hash = ?), ?, ?, ?, ?, ?, ?, 0, ?, ?, 1, ?)", n);
    }
    struct Row {
        std::int64_t token_id = 0, size = 0, due = 0, interval = 0, at = 0;
        std::string file_hash, state, challenge, challenge_json;
    };
    std::vector<Row> rows;  // bound member by member: never resized
    ContractInsert(Poco::Data::Session& session, std::size_t n) : CachedStatement(session), rows(n) {
        statement << sql(n);
        for (Row& r : rows)
            statement, use(r.token_id), use(r.file_hash), use(r.file_hash), use(r.size), use(r.state),
                use(r.challenge), use(r.challenge_json), use(r.due), use(r.due), use(r.interval),
                use(r.at);
    }
};

}  // namespace

std::vector<DrawnChunk> draw_largest(Transaction& tx, const PoolKey& key, std::int64_t max_size,
                                     std::size_t count) {
    auto& draw = tx.cached<PoolDraw>(PoolDraw::kSql);
    draw.scheme = key.scheme;
    draw.fingerprint = key.key_fingerprint;
    draw.limit = max_size;
    draw.rows = static_cast<std::int64_t>(count);
    for (auto* column : {&draw.ids, &draw.sizes, &draw.tag_lengths}) column->clear();
    for (auto* column : {&draw.seeds, &draw.hashes, &draw.tags, &draw.states}) column->clear();
    draw.execute();

    std::vector<DrawnChunk> drawn;
    for (std::size_t r = 0; r < draw.ids.size(); ++r) {
        const std::int64_t id = draw.ids[r];
        std::string tag = std::move(draw.tags[r]);
        for (std::int64_t from = kTagPiece + 1; from <= draw.tag_lengths[r]; from += kTagPiece) {
            std::string piece;
            std::int64_t start = from;
            std::int64_t chunk_id = id;
            tx.session() << "SELECT SUBSTRING(tag_json, ?, 65536) FROM chunk_pool WHERE id = ?",
                use(start), use(chunk_id), into(piece), now;
            tag += piece;
        }
        if (static_cast<std::int64_t>(tag.size()) != draw.tag_lengths[r])
            throw std::runtime_error("pool chunk " + std::to_string(id) + ": read " +
                                     std::to_string(tag.size()) + " bytes of a " +
                                     std::to_string(draw.tag_lengths[r]) + "-byte tag");
        drawn.push_back(DrawnChunk{id, draw.sizes[r], std::move(draw.seeds[r]),
                                   std::move(draw.hashes[r]), std::move(tag),
                                   std::move(draw.states[r])});
    }
    return drawn;
}

void delete_from_pool(Transaction& tx, const std::vector<std::int64_t>& ids) {
    for (std::size_t from = 0; from < ids.size();) {
        const std::size_t n = next_slice(ids.size() - from);
        auto& remove = tx.cached<PoolDelete>(PoolDelete::sql(n), n);
        std::copy(ids.begin() + static_cast<std::ptrdiff_t>(from),
                  ids.begin() + static_cast<std::ptrdiff_t>(from + n), remove.ids.begin());
        remove.execute();
        from += n;
    }
}

void insert_contracts(Transaction& tx, std::int64_t token_id, const std::vector<NewContract>& contracts,
                      UnixMillis due_ms, std::int64_t interval_ms, UnixMillis now_ms) {
    for (std::size_t from = 0; from < contracts.size();) {
        const std::size_t n = next_slice(contracts.size() - from);
        auto& files = tx.cached<FileInsert>(FileInsert::sql(n), n);
        for (std::size_t i = 0; i < n; ++i) {
            const NewContract& c = contracts[from + i];
            files.hashes[i] = c.file_hash;
            files.seeds[i] = c.seed;
            files.sizes[i] = c.size;
            files.intervals[i] = interval_ms;
            files.ats[i] = now_ms;
        }
        files.execute();
        auto& rows = tx.cached<ContractInsert>(ContractInsert::sql(n), n);
        for (std::size_t i = 0; i < n; ++i) {
            const NewContract& c = contracts[from + i];
            ContractInsert::Row& r = rows.rows[i];
            r.token_id = token_id;
            r.file_hash = c.file_hash;
            r.size = c.size;
            r.state = c.state;
            r.challenge = c.challenge;
            r.challenge_json = c.challenge_json;
            r.due = due_ms;
            r.interval = interval_ms;
            r.at = now_ms;
        }
        rows.execute();
        from += n;
    }
}

}  // namespace downstream::store

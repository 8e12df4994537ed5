#include "store/migrations.h"

#include "base/log.h"
#include "crypto/sha256.h"
#include "encoding/hex.h"
#include "store/database.h"
#include "store/database_error.h"
#include "store/transaction.h"


#include <algorithm>
#include <map>

namespace downstream::store {
namespace {

using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

constexpr const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,"
    " applied_ms BIGINT NOT NULL,"
    " PRIMARY KEY (version)"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

bool is_blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    });
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

bool table_exists(Transaction& tx, const std::string& table) {
    int count = 0;
    std::string name = table;
    tx.session() << "SELECT COUNT(*) FROM information_schema.tables"
                    " WHERE table_schema = DATABASE() AND table_name = ?",
        use(name), into(count), now;
    return count > 0;
}

std::vector<AppliedMigration> read_applied(Transaction& tx) {
    std::vector<AppliedMigration> result;
    if (!table_exists(tx, "schema_migrations")) return result;
    std::vector<int> versions;
    std::vector<std::string> names;
    std::vector<std::string> checksums;
    std::vector<std::int64_t> times;
    tx.session() << "SELECT version, name, checksum, applied_ms FROM schema_migrations"
                    " ORDER BY version",
        into(versions), into(names), into(checksums), into(times), now;
    for (std::size_t i = 0; i < versions.size(); ++i)
        result.push_back(AppliedMigration{versions[i], names[i], checksums[i], times[i]});
    return result;
}

}  // namespace

Result<std::vector<std::string>> split_sql_statements(std::string_view sql) {
    std::vector<std::string> statements;
    std::string current;
    std::size_t i = 0;
    const std::size_t n = sql.size();
    while (i < n) {
        const char c = sql[i];
        // Comments: "-- " (MySQL needs white space after the dashes), "#", "/* */".
        if (c == '-' && i + 1 < n && sql[i + 1] == '-' &&
            (i + 2 == n || sql[i + 2] == ' ' || sql[i + 2] == '\t' || sql[i + 2] == '\n' ||
             sql[i + 2] == '\r')) {
            while (i < n && sql[i] != '\n') ++i;
            continue;
        }
        if (c == '#') {
            while (i < n && sql[i] != '\n') ++i;
            continue;
        }
        if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            const auto end = sql.find("*/", i + 2);
            if (end == std::string_view::npos) return make_error("SQL: unterminated /* comment");
            i = end + 2;
            current += ' ';
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            const char quote = c;
            current += c;
            ++i;
            bool closed = false;
            while (i < n) {
                const char d = sql[i];
                current += d;
                ++i;
                if (d == '\\' && quote != '`' && i < n) {
                    current += sql[i];
                    ++i;
                } else if (d == quote) {
                    if (i < n && sql[i] == quote) {  // doubled quote: an escaped quote
                        current += sql[i];
                        ++i;
                    } else {
                        closed = true;
                        break;
                    }
                }
            }
            if (!closed) return make_error(std::string("SQL: unterminated ") + quote + " quote");
            continue;
        }
        if (c == ';') {
            if (!is_blank(current)) statements.push_back(trimmed(current));
            current.clear();
            ++i;
            continue;
        }
        current += c;
        ++i;
    }
    if (!is_blank(current)) statements.push_back(trimmed(current));
    return statements;
}

std::string migration_checksum(const Migration& migration) {
    return encoding::hex_encode(crypto::sha256(migration.sql));
}

std::vector<AppliedMigration> applied_migrations(Database& db) {
    std::vector<AppliedMigration> result;
    db.autocommit([&](Transaction& tx) { result = read_applied(tx); });
    return result;
}

Result<MigrationReport> apply_migrations(Database& db, const std::vector<Migration>& migrations,
                                         UnixMillis now_ms) {
    MigrationReport report;
    // Check everything that can be checked before the first change.
    std::map<int, const Migration*> known;
    std::map<int, std::vector<std::string>> statements;
    for (const Migration& m : migrations) {
        if (!known.emplace(m.version, &m).second)
            return make_error("two migrations have version " + std::to_string(m.version));
        auto split = split_sql_statements(m.sql);
        if (!split)
            return make_error("migration " + std::to_string(m.version) + "_" + m.name + ": " +
                              split.error().message);
        statements[m.version] = std::move(split).value();
    }

    std::vector<AppliedMigration> applied;
    db.autocommit([&](Transaction& tx) {
        tx.session() << kCreateVersionTable, now;
        applied = read_applied(tx);
    });
    std::map<int, AppliedMigration> recorded;
    for (const auto& a : applied) recorded.emplace(a.version, a);
    for (const auto& [version, a] : recorded) {
        const auto it = known.find(version);
        if (it == known.end())
            return make_error("the database records schema migration " + std::to_string(version) +
                              " (" + a.name + "), which this node binary does not know: a newer "
                              "version of the node migrated it; run that version");
        if (a.checksum != migration_checksum(*it->second))
            report.warnings.push_back("migration " + std::to_string(version) + "_" + a.name +
                                      " was changed after it was applied (checksum differs); "
                                      "its changes are not applied again");
    }

    for (const auto& [version, migration] : known) {
        if (recorded.count(version)) continue;
        const std::string label = std::to_string(version) + "_" + migration->name;
        log::info("migrate: applying " + label);
        for (const std::string& statement : statements[version]) {
            try {
                db.autocommit([&](Transaction& tx) { tx.session() << statement, now; });
            } catch (const DatabaseUnavailable&) {
                throw;
            } catch (const DatabaseError& e) {
                throw DatabaseError("migration " + label + " failed: " + e.what() +
                                        "; statement: " + statement.substr(0, 200),
                                    e.mysql_errno());
            }
        }
        db.autocommit([&](Transaction& tx) {
            int v = version;
            std::string name = migration->name;
            std::string checksum = migration_checksum(*migration);
            std::int64_t at = now_ms;
            // INSERT IGNORE: another host migrating at the same moment is harmless, since every
            // statement is idempotent.
            tx.session() << "INSERT IGNORE INTO schema_migrations (version, name, checksum, applied_ms)"
                            " VALUES (?, ?, ?, ?)",
                use(v), use(name), use(checksum), use(at), now;
        });
        report.applied.push_back(version);
    }
    report.schema_version = known.empty() ? 0 : known.rbegin()->first;
    for (const auto& [version, a] : recorded) report.schema_version = std::max(report.schema_version, version);
    return report;
}

}  // namespace downstream::store

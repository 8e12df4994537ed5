// Schema migrations: the numbered files of sql/ (compiled into the binary), applied in order
// and recorded in the table schema_migrations. Applying is idempotent: what is recorded is
// skipped, and each migration's statements are themselves safe to repeat (IF NOT EXISTS),
// so a run interrupted half-way can simply be run again.
#pragma once

#include "base/clock.h"
#include "base/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace downstream::store {

class Database;

struct Migration {
    int version;       // from the file name: 001_init.sql -> 1
    std::string name;  // "init"
    std::string sql;   // the file's text
};

// The migrations of sql/, in version order (generated at build time by scripts/embed-sql.sh).
const std::vector<Migration>& embedded_migrations();

// Splits SQL text into statements at ';' outside quotes and comments; comments are dropped
// and statements that are empty after that are skipped. Fails on an unterminated quote or
// comment.
Result<std::vector<std::string>> split_sql_statements(std::string_view sql);

// Lower-case hex SHA-256 of a migration's text: recorded, so an edited applied file is noticed.
std::string migration_checksum(const Migration& migration);

struct AppliedMigration {
    int version = 0;
    std::string name;
    std::string checksum;  // hex
    UnixMillis applied_ms = 0;
};

struct MigrationReport {
    std::vector<int> applied;           // versions applied by this run, in order
    int schema_version = 0;             // highest recorded version afterwards
    std::vector<std::string> warnings;  // e.g. an applied migration whose text changed since
};

// Applies the migrations missing from the database, in order. Fails (without touching the
// schema) when the database records a version this binary does not know (a newer node
// migrated it) or when a migration's SQL does not split; throws DatabaseError when a
// statement fails (naming the migration and the statement).
Result<MigrationReport> apply_migrations(Database& db, const std::vector<Migration>& migrations,
                                         UnixMillis now);

// What schema_migrations records (empty when the table does not exist yet).
std::vector<AppliedMigration> applied_migrations(Database& db);

}  // namespace downstream::store

// One line per event on stderr: "2024-05-01T12:00:00.123Z info  message". journald and the
// terminal both read it as is. The threshold is process-wide configuration, set once in main.
#pragma once

#include <string_view>

namespace downstream::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3 };

// Lines below `level` are dropped. The default is Info.
void set_threshold(Level level);
Level threshold();

// Parses "debug", "info", "warn" or "error"; false (and no change) for anything else.
bool parse_level(std::string_view text, Level& out);

// Writes one line (newlines inside `message` are replaced by spaces so one event stays one
// line). Safe to call from several threads; lines never interleave.
void write(Level level, std::string_view message);

inline void debug(std::string_view message) { write(Level::Debug, message); }
inline void info(std::string_view message) { write(Level::Info, message); }
inline void warn(std::string_view message) { write(Level::Warn, message); }
inline void error(std::string_view message) { write(Level::Error, message); }

}  // namespace downstream::log

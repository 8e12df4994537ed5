#include "node/cli.h"

#include "base/log.h"
#include "node/command.h"
#include "store/database_error.h"

#include <cstdio>
#include <exception>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace downstream::node {
namespace {

constexpr const char* kSystemConfig = "/etc/downstream-node/node.conf";

struct Invocation {
    std::vector<std::string> config_paths;
    std::string log_level;
    bool help = false;
    std::string command;
    std::vector<std::string> args;
};

const Command* find_command(const std::string& name) {
    for (const Command& c : commands())
        if (name == c.name) return &c;
    return nullptr;
}

Result<Invocation> parse(int argc, char** argv) {
    Invocation inv;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--config" || a == "--log-level") {
            if (i + 1 >= argc) return make_error(a + " needs a value");
            (a == "--config" ? inv.config_paths.emplace_back(argv[++i]) : (inv.log_level = argv[++i]));
        } else if (a.rfind("--config=", 0) == 0) {
            inv.config_paths.push_back(a.substr(9));
        } else if (a.rfind("--log-level=", 0) == 0) {
            inv.log_level = a.substr(12);
        } else if (a == "--help" || a == "-h") {
            inv.help = true;
        } else if (inv.command.empty() && a.rfind("--", 0) == 0 && find_command(a.substr(2))) {
            inv.command = a.substr(2);  // an original spelling: --initdb, --whitelist F, ...
        } else if (inv.command.empty() && a == "help") {
            inv.help = true;
            inv.command = i + 1 < argc ? argv[++i] : "";
        } else if (inv.command.empty()) {
            if (a.rfind("-", 0) == 0) return make_error("unknown option " + a);
            inv.command = a;
        } else {
            inv.args.push_back(a);
        }
    }
    return inv;
}

std::string usage_line(const Command& c) {
    std::string line = std::string("downstream-node [--config FILE] ") + c.name;
    if (*c.usage) line += std::string(" ") + c.usage;
    return line;
}

std::string help_text() {
    std::string text =
        "usage: downstream-node [--config FILE]... [--log-level LEVEL] COMMAND [ARGS]\n"
        "\n"
        "The downstream verification node: admin commands (and, once built, the FastCGI server).\n"
        "\n"
        "commands:\n";
    for (const Command& c : commands()) {
        std::string head = std::string("  ") + c.name + (*c.usage ? std::string(" ") + c.usage : "");
        text += head + "\n      " + c.summary + "\n";
    }
    text +=
        "\n"
        "options:\n"
        "  --config FILE      a configuration file; give several, later ones win (default: " +
        std::string(kSystemConfig) +
        " if it exists, else the built-in defaults; see `downstream-node config`)\n"
        "  --log-level LEVEL  debug, info, warn or error (overrides log.level)\n"
        "  --help             this text; `downstream-node help COMMAND` for one command\n"
        "\n"
        "The original spellings work too: --initdb, --migrate, --whitelist FILE,\n"
        "--generate-chunk SIZE [COUNT], --maintain MIN MAX TOTAL BASE, --cleandb, --clearchunks,\n"
        "--revoke-token TOKEN.\n"
        "\n"
        "Exit status: 0 success, 1 the operation failed, 2 bad command line or configuration.\n";
    return text;
}

bool file_exists(const char* path) {
    struct stat st {};
    return stat(path, &st) == 0;
}

int dispatch(int argc, char** argv) {
    auto parsed = parse(argc, argv);
    if (!parsed) {
        log::error("downstream-node: " + parsed.error().message + " (see --help)");
        return kExitUsage;
    }
    Invocation& inv = *parsed;
    if (inv.help) {
        if (const Command* c = find_command(inv.command)) {
            std::printf("usage: %s\n\n%s\n", usage_line(*c).c_str(), c->summary);
        } else {
            std::fputs(help_text().c_str(), stdout);
        }
        return kExitOk;
    }
    if (inv.command.empty()) {
        std::fputs(help_text().c_str(), stderr);
        return kExitUsage;
    }
    const Command* command = find_command(inv.command);
    if (!command) {
        log::error("downstream-node: unknown command '" + inv.command + "' (see --help)");
        return kExitUsage;
    }

    if (inv.config_paths.empty() && file_exists(kSystemConfig)) inv.config_paths.push_back(kSystemConfig);
    auto config = load_config(inv.config_paths);
    if (!config) {
        log::error("downstream-node: configuration: " + config.error().message);
        return kExitUsage;
    }
    log::Level level = log::Level::Info;
    const std::string& level_text = inv.log_level.empty() ? config->log_level : inv.log_level;
    if (!log::parse_level(level_text, level)) {
        log::error("downstream-node: --log-level must be debug, info, warn or error");
        return kExitUsage;
    }
    log::set_threshold(level);

    if (!command->built) {
        log::error(std::string(command->name) +
                   ": not built yet: this version of downstream-node has only the admin commands");
        return kExitFailure;
    }
    SystemClock clock;
    CommandContext context(std::move(config).value(), inv.config_paths, inv.args, clock);
    if (Status s = context.take_options(command->value_options, command->flags); !s) {
        log::error(std::string(command->name) + ": " + s.error().message + "; usage: " + usage_line(*command));
        return kExitUsage;
    }
    const std::size_t n = context.args().size();
    if (n < command->min_args || n > command->max_args) {
        log::error(std::string(command->name) + ": wrong number of arguments; usage: " + usage_line(*command));
        return kExitUsage;
    }
    try {
        return command->run(context);
    } catch (const store::DatabaseError& e) {
        log::error(std::string(command->name) + ": " + e.what());
        return kExitFailure;
    } catch (const store::DatabaseUnavailable& e) {
        log::error(std::string(command->name) + ": " + e.what());
        return kExitFailure;
    }
}

}  // namespace

int run_cli(int argc, char** argv) {
    try {
        return dispatch(argc, argv);
    } catch (const std::exception& e) {
        log::error(std::string("internal error: ") + e.what());
        return kExitFailure;
    } catch (...) {
        log::error("internal error");
        return kExitFailure;
    }
}

}  // namespace downstream::node

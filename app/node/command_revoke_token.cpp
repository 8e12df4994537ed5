// revoke-token TOKEN
#include "base/log.h"
#include "identity/token.h"
#include "node/command.h"
#include "store/token_repository.h"

namespace downstream::node {

int run_revoke_token(CommandContext& context) {
    const auto token = identity::Token::parse(context.args().at(0));
    if (!token) {
        log::error("revoke-token: " + token.error().message);
        return kExitUsage;
    }
    if (Status s = context.require_schema(); !s) {
        log::error("revoke-token: " + s.error().message);
        return kExitFailure;
    }
    if (auto key = context.load_checked_key(); !key) {
        log::error("revoke-token: " + key.error().message);
        return kExitFailure;
    }
    store::TokenRepository tokens(context.database());
    if (!tokens.remove(token->storage_hash(), context.clock().now_ms())) {
        log::error("revoke-token: no such token (farmer id " + token->farmer_id() + ")");
        return kExitFailure;
    }
    log::info("revoke-token: deleted farmer " + token->farmer_id() + " with its contracts");
    return kExitOk;
}

}  // namespace downstream::node

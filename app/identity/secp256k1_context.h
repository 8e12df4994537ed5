// The process's libsecp256k1 context: created once, randomized, then only read.
#pragma once

#include <secp256k1.h>

#include <memory>

namespace downstream::identity {

// Owns a secp256k1_context. After construction nothing modifies it, and libsecp256k1 functions
// that take a const context (parse, recover, sign, serialize) may then run on it from any
// number of threads at once. Not copyable, not movable.
class Secp256k1Context {
public:
    // The one context of the process, created and randomized (blinding against side channels
    // when signing) on first use; C++ guarantees that first use is thread-safe.
    static const Secp256k1Context& shared();

    Secp256k1Context(const Secp256k1Context&) = delete;
    Secp256k1Context& operator=(const Secp256k1Context&) = delete;

    const secp256k1_context* get() const { return ctx_.get(); }

private:
    Secp256k1Context();

    struct Destroy {
        void operator()(secp256k1_context* ctx) const { secp256k1_context_destroy(ctx); }
    };
    std::unique_ptr<secp256k1_context, Destroy> ctx_;
};

}  // namespace downstream::identity

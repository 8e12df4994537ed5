#include "proof/merkle_json.h"

#include "encoding/base64.h"
#include "json/json_parse.h"
#include "proof/python_float.h"

#include <cmath>

namespace downstream::proof {
namespace {

// ---------------------------------------------------------------------------------------
// Writing

void write_string(json::Writer& writer, std::string_view text) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_key(json::Writer& writer, std::string_view key) {
    writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

void write_b64(json::Writer& writer, std::string_view bytes) {
    write_string(writer, encoding::base64_encode(bytes));
}

// A float as Python writes it; the texts of finite doubles are valid JSON numbers.
void write_python_float(json::Writer& writer, double value) {
    const std::string text = python_float_repr(value);
    writer.RawValue(text.data(), text.size(), rapidjson::kNumberType);
}

std::string finish(json::Buffer& buffer) { return std::string(buffer.GetString(), buffer.GetSize()); }

template <class T>
std::string compact(const T& object) {
    json::Buffer buffer;
    json::Writer writer(buffer);
    write_json(writer, object);
    return finish(buffer);
}

// ---------------------------------------------------------------------------------------
// Reading

// Python's dict keeps the last of repeated keys.
const json::Value* find_member(const json::Value& object, std::string_view name) {
    const json::Value* found = nullptr;
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
        const json::Value& key = it->name;
        if (std::string_view(key.GetString(), key.GetStringLength()) == name) found = &it->value;
    }
    return found;
}

Error missing(std::string_view what, std::string_view name) {
    return make_error(std::string(what) + " has no \"" + std::string(name) + "\"");
}

Result<const json::Value*> require_object_member(const json::Value& object,
                                                 std::string_view what,
                                                 std::string_view name) {
    const json::Value* member = find_member(object, name);
    if (member == nullptr) return missing(what, name);
    return member;
}

Status require_object(const json::Value& value, std::string_view what) {
    if (!value.IsObject())
        return make_error(std::string(what) + " must be a JSON object, not " +
                          json::describe_type(value));
    return {};
}

Result<std::string> decode_b64_string(const json::Value& value, std::string_view what) {
    if (!value.IsString())
        return make_error(std::string(what) + " must be a base64 string, not " +
                          json::describe_type(value));
    auto bytes = encoding::base64_decode_skipping_bytes(
        std::string_view(value.GetString(), value.GetStringLength()));
    if (!bytes.ok()) return make_error(std::string(what) + ": " + bytes.error().message);
    return bytes;
}

Result<std::uint64_t> decode_uint(const json::Value& value, std::string_view what) {
    if (!value.IsUint64())
        return make_error(std::string(what) + " must be a non-negative integer, not " +
                          (value.IsNumber() ? "this number" : json::describe_type(value)));
    return value.GetUint64();
}

// hb_decode: a string is base64; a list is decoded element by element (the reference then
// holds a list where it expects bytes). Nesting is bounded so a document built in memory,
// deeper than any parsed one, cannot exhaust the stack. Decoded bytes go to `bytes`, whose
// capacity is reused (emptied for a list).
enum class HbDecoded { Bytes, EmptyList, List };

Result<HbDecoded> hb_decode(const json::Value& value, std::string_view what, std::string& bytes,
                            int depth = 0) {
    constexpr int kMaxListDepth = 64;
    if (value.IsArray()) {
        if (depth >= kMaxListDepth) return make_error(std::string(what) + " is nested too deeply");
        std::string element_bytes;
        for (const json::Value& element : value.GetArray()) {
            auto inner = hb_decode(element, what, element_bytes, depth + 1);
            if (!inner.ok()) return inner.error();
        }
        bytes.clear();
        return value.Empty() ? HbDecoded::EmptyList : HbDecoded::List;
    }
    if (!value.IsString())
        return make_error(std::string(what) + " must be a base64 string, not " +
                          json::describe_type(value));
    auto status = encoding::base64_decode_skipping_bytes(
        std::string_view(value.GetString(), value.GetStringLength()), bytes);
    if (!status.ok()) return make_error(std::string(what) + ": " + status.error().message);
    return HbDecoded::Bytes;
}

// Python's view of a leaf index: the value it compares with the challenge's index and, for
// a float or a boolean, the text str() gives it. Sets proof.verifiable = false when no
// challenge index can equal it.
void decode_leaf_index(const json::Value& index, MerkleProof& proof) {
    if (index.IsUint64()) {
        proof.leaf_index = index.GetUint64();
    } else if (index.IsBool()) {
        proof.leaf_index = index.GetBool() ? 1 : 0;
        proof.leaf_index_text = index.GetBool() ? "True" : "False";
    } else if (index.IsDouble()) {
        const double d = index.GetDouble();
        // Integer-valued and in [0, 2^64): equal to some challenge index (exactly).
        if (std::isfinite(d) && d == std::floor(d) && d >= 0 && d < 18446744073709551616.0) {
            proof.leaf_index = static_cast<std::uint64_t>(d);
            proof.leaf_index_text = python_float_repr(d);
        } else {
            proof.verifiable = false;
        }
    } else {
        // Strings, null, lists, objects, negative integers: never equal to an index.
        proof.verifiable = false;
    }
}

// Decodes one row into `proof.branch`; `left` and `right` are scratch buffers whose capacity
// carries from row to row.
Status decode_row(const json::Value& row, std::size_t r, MerkleProof& proof, std::string& left,
                  std::string& right) {
    // Error texts are built only when needed: this runs for every row of every proof.
    const auto what = [r] { return "branch row " + std::to_string(r); };
    if (!row.IsArray())
        return make_error(what() + " must be a list, not " + json::describe_type(row));
    if (row.Size() < 2)
        return make_error(what() + " has " + std::to_string(row.Size()) +
                          " entries; a row needs two");
    std::string* const sides[2] = {&left, &right};
    for (rapidjson::SizeType side = 0; side < 2; ++side) {
        auto entry = hb_decode(row[side], "a branch row entry", *sides[side]);
        if (!entry.ok()) return make_error(what() + ": " + entry.error().message);
        // An empty list compares unequal and hashes as nothing, exactly as empty bytes do; a
        // non-empty list would make the reference fail before it could verify.
        if (*entry == HbDecoded::List) proof.verifiable = false;
    }
    proof.branch.add_row(left, right);
    return {};
}

}  // namespace

// -------------------------------------------------------------------------------------------

void write_json(json::Writer& writer, const MerkleChallenge& challenge) {
    writer.StartObject();
    write_key(writer, "seed");
    write_b64(writer, challenge.seed);
    write_key(writer, "index");
    writer.Uint64(challenge.index);
    writer.EndObject();
}

void write_json(json::Writer& writer, const MerkleTag& tag) {
    writer.StartObject();
    write_key(writer, "tree");
    writer.StartObject();
    write_key(writer, "nodes");
    writer.StartArray();
    for (const std::string& node : tag.tree.nodes()) write_b64(writer, node);
    writer.EndArray();
    write_key(writer, "order");
    writer.Uint(tag.tree.order());
    write_key(writer, "leaves");
    writer.StartArray();
    writer.EndArray();
    writer.EndObject();
    write_key(writer, "chunksz");
    writer.Uint64(tag.chunksz);
    write_key(writer, "filesz");
    writer.Uint64(tag.filesz);
    writer.EndObject();
}

void write_json(json::Writer& writer, const MerkleState& state) {
    writer.StartObject();
    write_key(writer, "index");
    writer.Uint64(state.index);
    write_key(writer, "seed");
    write_b64(writer, state.seed);
    write_key(writer, "n");
    writer.Uint64(state.n);
    write_key(writer, "root");
    write_b64(writer, state.root);
    write_key(writer, "hmac");
    write_b64(writer, state.hmac);
    write_key(writer, "timestamp");
    write_python_float(writer, state.timestamp);
    writer.EndObject();
}

void write_json(json::Writer& writer, const MerkleProof& proof) {
    writer.StartObject();
    write_key(writer, "leaf");
    writer.StartObject();
    write_key(writer, "index");
    if (proof.leaf_index_text.empty()) {
        writer.Uint64(proof.leaf_index);
    } else if (proof.leaf_index_text == "True" || proof.leaf_index_text == "False") {
        writer.Bool(proof.leaf_index_text == "True");
    } else {
        const std::string& text = proof.leaf_index_text;
        writer.RawValue(text.data(), text.size(), rapidjson::kNumberType);
    }
    write_key(writer, "blob");
    write_b64(writer, proof.leaf_blob);
    writer.EndObject();
    write_key(writer, "branch");
    writer.StartObject();
    write_key(writer, "rows");
    writer.StartArray();
    for (std::size_t r = 0; r < proof.branch.size(); ++r) {
        writer.StartArray();
        write_b64(writer, proof.branch.left(r));
        write_b64(writer, proof.branch.right(r));
        writer.EndArray();
    }
    writer.EndArray();
    writer.EndObject();
    writer.EndObject();
}

std::string to_json(const MerkleChallenge& challenge) { return compact(challenge); }
std::string to_json(const MerkleTag& tag) { return compact(tag); }
std::string to_json(const MerkleState& state) { return compact(state); }
std::string to_json(const MerkleProof& proof) { return compact(proof); }

std::string heartbeat_to_json(std::string_view key, std::optional<double> check_fraction) {
    json::Buffer buffer;
    json::Writer writer(buffer);
    writer.StartObject();
    write_key(writer, "key");
    write_b64(writer, key);
    write_key(writer, "check_fraction");
    if (check_fraction) {
        write_python_float(writer, *check_fraction);
    } else {
        writer.Null();
    }
    writer.EndObject();
    return finish(buffer);
}

// -------------------------------------------------------------------------------------------

Result<MerkleHeartbeatParams> decode_heartbeat(const json::Value& value) {
    if (auto s = require_object(value, "a Merkle heartbeat"); !s.ok()) return s.error();
    auto key = require_object_member(value, "the heartbeat", "key");
    if (!key.ok()) return key.error();
    auto fraction = require_object_member(value, "the heartbeat", "check_fraction");
    if (!fraction.ok()) return fraction.error();
    MerkleHeartbeatParams params;
    auto key_bytes = decode_b64_string(**key, "the heartbeat's key");
    if (!key_bytes.ok()) return key_bytes.error();
    params.key = std::move(key_bytes).value();
    if (!(*fraction)->IsNull()) {
        if (!(*fraction)->IsNumber())
            return make_error("the check fraction must be a number or null");
        params.check_fraction = (*fraction)->GetDouble();
    }
    return params;
}

Result<MerkleChallenge> decode_challenge(const json::Value& value) {
    if (auto s = require_object(value, "a challenge"); !s.ok()) return s.error();
    auto seed = require_object_member(value, "the challenge", "seed");
    if (!seed.ok()) return seed.error();
    auto index = require_object_member(value, "the challenge", "index");
    if (!index.ok()) return index.error();
    MerkleChallenge challenge;
    auto seed_bytes = decode_b64_string(**seed, "the challenge's seed");
    if (!seed_bytes.ok()) return seed_bytes.error();
    challenge.seed = std::move(seed_bytes).value();
    auto index_value = decode_uint(**index, "the challenge's index");
    if (!index_value.ok()) return index_value.error();
    challenge.index = *index_value;
    return challenge;
}

Result<MerkleTag> decode_tag(const json::Value& value) {
    if (auto s = require_object(value, "a tag"); !s.ok()) return s.error();
    auto tree = require_object_member(value, "the tag", "tree");
    if (!tree.ok()) return tree.error();
    if (auto s = require_object(**tree, "the tag's tree"); !s.ok()) return s.error();
    auto nodes = require_object_member(**tree, "the tag's tree", "nodes");
    if (!nodes.ok()) return nodes.error();
    auto order = require_object_member(**tree, "the tag's tree", "order");
    if (!order.ok()) return order.error();
    auto leaves = require_object_member(**tree, "the tag's tree", "leaves");
    if (!leaves.ok()) return leaves.error();
    auto chunksz = require_object_member(value, "the tag", "chunksz");
    if (!chunksz.ok()) return chunksz.error();
    auto filesz = require_object_member(value, "the tag", "filesz");
    if (!filesz.ok()) return filesz.error();

    if (!(*nodes)->IsArray()) return make_error("the tag's nodes must be a list");
    if ((*nodes)->Size() > kMaxTagNodes)
        return make_error("the tag has " + std::to_string((*nodes)->Size()) +
                          " nodes; at most " + std::to_string(kMaxTagNodes) + " are accepted");
    if (!(*leaves)->IsArray()) return make_error("the tag's leaves must be a list");
    auto order_value = decode_uint(**order, "the tag's order");
    if (!order_value.ok()) return order_value.error();
    if (*order_value > kMaxTagOrder) return make_error("the tag's order is too large");
    std::vector<std::string> node_bytes;
    node_bytes.reserve((*nodes)->Size());
    for (const json::Value& node : (*nodes)->GetArray()) {
        auto bytes = decode_b64_string(node, "a tag node");
        if (!bytes.ok()) return bytes.error();
        node_bytes.push_back(std::move(bytes).value());
    }
    MerkleTag tag;
    tag.tree = MerkleTree::from_nodes(std::move(node_bytes), static_cast<unsigned>(*order_value));
    auto chunksz_value = decode_uint(**chunksz, "the tag's chunksz");
    if (!chunksz_value.ok()) return chunksz_value.error();
    tag.chunksz = *chunksz_value;
    auto filesz_value = decode_uint(**filesz, "the tag's filesz");
    if (!filesz_value.ok()) return filesz_value.error();
    tag.filesz = *filesz_value;
    return tag;
}

Result<MerkleState> decode_state(const json::Value& value) {
    if (auto s = require_object(value, "a state"); !s.ok()) return s.error();
    MerkleState state;
    const char* const kWhat = "the state";
    auto index = require_object_member(value, kWhat, "index");
    if (!index.ok()) return index.error();
    auto seed = require_object_member(value, kWhat, "seed");
    if (!seed.ok()) return seed.error();
    auto n = require_object_member(value, kWhat, "n");
    if (!n.ok()) return n.error();
    auto root = require_object_member(value, kWhat, "root");
    if (!root.ok()) return root.error();
    auto hmac = require_object_member(value, kWhat, "hmac");
    if (!hmac.ok()) return hmac.error();
    auto timestamp = require_object_member(value, kWhat, "timestamp");
    if (!timestamp.ok()) return timestamp.error();

    auto index_value = decode_uint(**index, "the state's index");
    if (!index_value.ok()) return index_value.error();
    state.index = *index_value;
    auto seed_bytes = decode_b64_string(**seed, "the state's seed");
    if (!seed_bytes.ok()) return seed_bytes.error();
    state.seed = std::move(seed_bytes).value();
    auto n_value = decode_uint(**n, "the state's n");
    if (!n_value.ok()) return n_value.error();
    state.n = *n_value;
    auto root_bytes = decode_b64_string(**root, "the state's root");
    if (!root_bytes.ok()) return root_bytes.error();
    state.root = std::move(root_bytes).value();
    auto hmac_bytes = decode_b64_string(**hmac, "the state's hmac");
    if (!hmac_bytes.ok()) return hmac_bytes.error();
    state.hmac = std::move(hmac_bytes).value();
    if (!(*timestamp)->IsDouble())
        return make_error("the state's timestamp must be a float");
    state.timestamp = (*timestamp)->GetDouble();
    return state;
}

Result<MerkleProof> decode_proof(const json::Value& value) {
    if (auto s = require_object(value, "a proof"); !s.ok()) return s.error();
    auto leaf = require_object_member(value, "the proof", "leaf");
    if (!leaf.ok()) return leaf.error();
    if (auto s = require_object(**leaf, "the proof's leaf"); !s.ok()) return s.error();
    auto index = require_object_member(**leaf, "the proof's leaf", "index");
    if (!index.ok()) return index.error();
    auto blob = require_object_member(**leaf, "the proof's leaf", "blob");
    if (!blob.ok()) return blob.error();

    MerkleProof proof;
    decode_leaf_index(**index, proof);
    auto blob_kind = hb_decode(**blob, "the proof's leaf blob", proof.leaf_blob);
    if (!blob_kind.ok()) return blob_kind.error();
    // hashlib refuses a list, and the reference's verify turns that into false.
    if (*blob_kind != HbDecoded::Bytes) proof.verifiable = false;

    auto branch = require_object_member(value, "the proof", "branch");
    if (!branch.ok()) return branch.error();
    if (auto s = require_object(**branch, "the proof's branch"); !s.ok()) return s.error();
    auto rows = require_object_member(**branch, "the proof's branch", "rows");
    if (!rows.ok()) return rows.error();
    if (!(*rows)->IsArray())
        return make_error("the proof's rows must be a list, not " +
                          std::string(json::describe_type(**rows)));
    if ((*rows)->Size() > kMaxBranchRows)
        return make_error("the proof's branch has " + std::to_string((*rows)->Size()) +
                          " rows; at most " + std::to_string(kMaxBranchRows) +
                          " are accepted");
    proof.branch.reserve((*rows)->Size());
    std::string left;
    std::string right;
    std::size_t r = 0;
    for (const json::Value& row : (*rows)->GetArray()) {
        if (auto s = decode_row(row, r++, proof, left, right); !s.ok()) return s.error();
    }
    return proof;
}

}  // namespace downstream::proof

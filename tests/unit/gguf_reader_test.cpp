// The GGUF header reader on built-in-memory files: every value type, v2/v3, and one hostile
// defect per test, each refused with an error naming its byte offset and nothing allocated
// from the bad field.
#include <edgeplan/catalog/catalog.hpp>
#include <edgeplan/gguf/gguf_file.hpp>

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

using namespace edgeplan;

namespace {

const Catalog& catalog() {
    static const Catalog loaded = std::move(*load_catalog(CatalogSource::embedded()));
    return loaded;
}

/// Little-endian GGUF bytes, written field by field.
struct Bytes {
    std::vector<std::byte> data;
    Bytes& u8(std::uint8_t v) {
        data.push_back(static_cast<std::byte>(v));
        return *this;
    }
    Bytes& u32(std::uint32_t v) {
        for (int k = 0; k < 4; ++k) {
            u8(static_cast<std::uint8_t>(v >> (8 * k)));
        }
        return *this;
    }
    Bytes& u64(std::uint64_t v) {
        for (int k = 0; k < 8; ++k) {
            u8(static_cast<std::uint8_t>(v >> (8 * k)));
        }
        return *this;
    }
    Bytes& raw(const std::string& s) {
        for (char c : s) {
            u8(static_cast<std::uint8_t>(c));
        }
        return *this;
    }
    Bytes& str(const std::string& s) {
        return u64(s.size()).raw(s);
    }
    Bytes& header(std::uint32_t version, std::uint64_t tensors, std::uint64_t kvs) {
        return raw("GGUF").u32(version).u64(tensors).u64(kvs);
    }
    Bytes& pad_to(std::size_t alignment) {
        while (data.size() % alignment != 0) {
            u8(0);
        }
        return *this;
    }
    Bytes& zeros(std::size_t n) {
        data.insert(data.end(), n, std::byte{0});
        return *this;
    }
};

Result<GgufFile> read(const Bytes& bytes) {
    MemoryByteSource source(bytes.data);
    return read_gguf(source, "t.gguf", catalog());
}

std::string error_of(const Bytes& bytes) {
    auto file = read(bytes);
    REQUIRE_FALSE(file.ok());
    CHECK(file.error().code == ExitCode::bad_input);
    CHECK(file.error().where == "t.gguf");
    return file.error().message;
}

/// One f32 tensor of 32 elements after an architecture key.
Bytes one_tensor(std::uint32_t version, std::uint64_t offset, std::uint32_t type = 0) {
    Bytes b;
    b.header(version, 1, 1).str("general.architecture").u32(8).str("llama");
    b.str("t.weight").u32(1).u64(32).u32(type).u64(offset);
    b.pad_to(32).zeros(128);
    return b;
}

} // namespace

TEST_CASE("gguf reader: v2 and v3 headers with one tensor read the same") {
    for (std::uint32_t version : {2u, 3u}) {
        auto file = read(one_tensor(version, 0));
        REQUIRE(file.ok());
        CHECK(file->version == version);
        REQUIRE(file->tensors.size() == 1);
        CHECK(file->tensors[0].type == "f32");
        CHECK(file->tensors[0].bytes == 128);
        CHECK(file->data_offset % 32 == 0);
        CHECK(*file->find("general.architecture")->as_string() == "llama");
    }
}

TEST_CASE("gguf reader: every scalar type, strings and arrays of arrays") {
    Bytes b;
    b.header(3, 0, 5);
    b.str("a.u16").u32(2).u8(0x34).u8(0x12);
    b.str("a.i8").u32(1).u8(0xff);
    b.str("a.f32").u32(6).u32(0x3f000000); // 0.5
    b.str("a.bool").u32(7).u8(1);
    // [[1, 2], []] of uint8
    b.str("a.nested").u32(9).u32(9).u64(2).u32(0).u64(2).u8(1).u8(2).u32(0).u64(0);
    auto file = read(b);
    REQUIRE(file.ok());
    CHECK(file->find("a.u16")->as_unsigned() == 0x1234u);
    CHECK(std::get<std::int64_t>(file->find("a.i8")->data) == -1);
    CHECK(file->find("a.f32")->as_number() == 0.5);
    CHECK(file->find("a.bool")->as_bool() == true);
    const GgufArray* outer = file->find("a.nested")->as_array();
    REQUIRE(outer != nullptr);
    REQUIRE(outer->values.size() == 2);
    CHECK(outer->values[0].as_array()->values[1].as_unsigned() == 2u);
    CHECK(outer->values[1].as_array()->count == 0);
}

TEST_CASE("gguf reader: a long array keeps its count but only a bounded prefix") {
    Bytes b;
    const std::uint64_t n = gguf_array_kept_elements + 10;
    b.header(3, 0, 1).str("tokenizer.ggml.scores").u32(9).u32(4).u64(n);
    for (std::uint64_t k = 0; k < n; ++k) {
        b.u32(static_cast<std::uint32_t>(k));
    }
    auto file = read(b);
    REQUIRE(file.ok());
    const GgufArray* array = file->find("tokenizer.ggml.scores")->as_array();
    CHECK(array->count == n);
    CHECK(array->values.size() == gguf_array_kept_elements);
    CHECK_FALSE(array->complete());
}

TEST_CASE("gguf reader: bad magic, v1, big-endian and unknown versions are named") {
    Bytes magic;
    magic.raw("GGML").zeros(20);
    CHECK(error_of(magic) == "offset 0: not a GGUF file: magic \"GGML\", expected \"GGUF\"");
    CHECK_THAT(error_of(Bytes{}.header(1, 0, 0)), Catch::Contains("GGUF version 1"));
    Bytes big;
    big.raw("GGUF").u8(0).u8(0).u8(0).u8(3).zeros(16);
    CHECK_THAT(error_of(big), Catch::Contains("big-endian GGUF (version 3 byte-swapped)"));
    CHECK_THAT(error_of(Bytes{}.header(4, 0, 0)), Catch::Contains("unknown GGUF version 4"));
    CHECK(error_of(Bytes{}.raw("GG")) ==
          "offset 0: not a GGUF file: shorter than its 4-byte magic");
}

TEST_CASE("gguf reader: huge counts are refused before anything is allocated") {
    CHECK_THAT(error_of(Bytes{}.header(3, 1ull << 60, 0)),
               Catch::StartsWith("offset 8: tensor count 1152921504606846976 exceeds the file"));
    CHECK_THAT(error_of(Bytes{}.header(3, 0, ~0ull)),
               Catch::StartsWith("offset 16: metadata key/value count"));
    Bytes array;
    array.header(3, 0, 1).str("k").u32(9).u32(10).u64(1ull << 61);
    CHECK_THAT(error_of(array),
               Catch::Contains("array of 2305843009213693952 uint64 elements exceeds the file"));
}

TEST_CASE("gguf reader: a string length past the file names the offset and the sizes") {
    Bytes b;
    b.header(3, 0, 1).u64(1ull << 40).raw("general.architecture");
    CHECK(error_of(b) ==
          "offset 24: key length 1099511627776 exceeds the file (52 bytes, 20 left)");
}

TEST_CASE("gguf reader: truncation anywhere in the header is an error, never a crash") {
    const Bytes whole = one_tensor(3, 0);
    for (std::size_t cut = 0; cut < 100; ++cut) {
        Bytes part;
        part.data.assign(whole.data.begin(), whole.data.begin() + static_cast<long>(cut));
        CHECK_FALSE(read(part).ok());
    }
}

TEST_CASE("gguf reader: tensor data must lie inside the file, aligned and not overlapping") {
    CHECK_THAT(error_of(one_tensor(3, 1 << 20)),
               Catch::Contains("tensor \"t.weight\": data (128 bytes at data offset 1048576) ends "
                               "beyond the file"));
    CHECK_THAT(error_of(one_tensor(3, 16)),
               Catch::Contains("not a multiple of the 32-byte alignment"));
    Bytes two;
    two.header(3, 2, 0);
    two.str("a").u32(1).u64(32).u32(0).u64(0);
    two.str("b").u32(1).u64(32).u32(0).u64(64);
    two.pad_to(32).zeros(320);
    CHECK_THAT(error_of(two), Catch::Contains("tensor \"b\": data overlaps tensor \"a\""));
}

TEST_CASE("gguf reader: unknown ggml types name the tensor and the offset of the type") {
    CHECK(error_of(one_tensor(3, 0, 99)) ==
          "offset 97: tensor \"t.weight\" has unknown ggml type 99");
}

TEST_CASE("gguf reader: element counts that overflow and rows that split a block fail") {
    Bytes b;
    b.header(3, 1, 0).str("t").u32(2).u64(1ull << 40).u64(1ull << 40).u32(0).u64(0);
    CHECK_THAT(error_of(b), Catch::Contains("element count overflows"));
    Bytes q;
    q.header(3, 1, 0).str("t").u32(1).u64(33).u32(8).u64(0).pad_to(32).zeros(64);
    CHECK_THAT(error_of(q),
               Catch::Contains("row length 33 is not a multiple of q8_0's block of 32"));
}

TEST_CASE("gguf reader: duplicate keys, bad alignment and control bytes in names") {
    Bytes dup;
    dup.header(3, 0, 2).str("k").u32(4).u32(1).str("k").u32(4).u32(2);
    CHECK(error_of(dup) == "offset 41: duplicate key \"k\"");
    Bytes align;
    align.header(3, 0, 1).str("general.alignment").u32(4).u32(48);
    CHECK_THAT(error_of(align), Catch::Contains("general.alignment must be a uint32 power of two"));
    Bytes control;
    control.header(3, 0, 1).str("bad\nkey").u32(13);
    const std::string message = error_of(control);
    CHECK(message.find('\n') == std::string::npos);
    CHECK_THAT(message, Catch::Contains("\"bad\\x0akey\" has unknown value type 13"));
}

TEST_CASE("gguf reader: a file without tensors may end before the data padding") {
    Bytes b;
    b.header(3, 0, 1).str("general.architecture").u32(8).str("llama");
    auto file = read(b);
    REQUIRE(file.ok());
    CHECK(file->data_offset >= file->file_bytes);
    CHECK(file->tensors.empty());
}

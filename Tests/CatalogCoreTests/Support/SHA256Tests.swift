import CKernels
import Testing
@testable import CatalogCore

@Suite struct SHA256Tests {
    static let vectors: [(input: String, hex: String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    @Test(arguments: 0..<vectors.count)
    func knownVectors(index: Int) {
        let (input, hex) = Self.vectors[index]
        #expect(SHA256Hasher.hex(SHA256Hasher.digest(Array(input.utf8))) == hex)
        var portable = SHA256Hasher.portable()
        portable.update(Array(input.utf8))
        #expect(SHA256Hasher.hex(portable.finalize()) == hex)
    }

    @Test func millionA() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(SHA256Hasher.hex(SHA256Hasher.digest(input)) == expected)
        var portable = SHA256Hasher.portable()
        portable.update(input)
        #expect(SHA256Hasher.hex(portable.finalize()) == expected)
    }

    @Test func chunkedUpdatesEqualOneShot() {
        let input = (0..<10_007).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let oneShot = SHA256Hasher.digest(input)
        for chunk in [1, 3, 55, 56, 63, 64, 65, 127, 128, 1000, 4096] {
            var hasher = SHA256Hasher()
            var portable = SHA256Hasher.portable()
            var offset = 0
            while offset < input.count {
                let slice = input[offset..<min(offset + chunk, input.count)]
                hasher.update(slice)
                portable.update(slice)
                offset += chunk
            }
            #expect(hasher.finalize() == oneShot, "chunk \(chunk)")
            #expect(portable.finalize() == oneShot, "portable, chunk \(chunk)")
        }
    }

    @Test func hardwareAndPortablePathsAgreeOnEveryLength() {
        // Lengths 0...300 cover every padding case (block_len < 56, == 56..63, several blocks).
        let input = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 131) }
        for length in 0...input.count {
            var fast = catalog_sha256_ctx()
            var slow = catalog_sha256_ctx()
            catalog_sha256_init(&fast)
            catalog_sha256_init_portable(&slow)
            #expect(slow.use_sha_ni == 0)
            var a = [UInt8](repeating: 0, count: 32)
            var b = [UInt8](repeating: 0, count: 32)
            input.withUnsafeBytes { bytes in
                catalog_sha256_update(&fast, bytes.baseAddress, length)
                catalog_sha256_update(&slow, bytes.baseAddress, length)
            }
            catalog_sha256_final(&fast, &a)
            catalog_sha256_final(&slow, &b)
            #expect(a == b, "length \(length)")
        }
    }

    @Test func usesShaNIWhenTheCPUHasIt() {
        var context = catalog_sha256_ctx()
        catalog_sha256_init(&context)
        #expect((context.use_sha_ni != 0) == SHA256Hasher.usesHardwareAcceleration)
    }

    @Test func copiedHasherForks() {
        var hasher = SHA256Hasher()
        hasher.update(Array("ab".utf8))
        var fork = hasher
        hasher.update(Array("c".utf8))
        fork.update(Array("x".utf8))
        #expect(SHA256Hasher.hex(hasher.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(fork.finalize() == SHA256Hasher.digest(Array("abx".utf8)))
    }
}

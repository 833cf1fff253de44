import Foundation
import Testing
@testable import CatalogCore

extension Ingest {
    @Suite struct InputDiscoveryTests {
        /// A small tree: visible files at three depths, hidden entries, mixed extensions.
        func makeTree() throws -> TemporaryDirectory {
            let directory = TemporaryDirectory()
            for name in ["b.jsonl", "a/z.txt", "a/b/c.jsonl.gz", "A.json", "a.txt", ".hidden/x.jsonl", ".h.jsonl", "d/e.ndjson.zst"] {
                directory.write("tree/" + name, "x")
            }
            return directory
        }

        @Test func walksDirectoriesDepthFirstInByteOrder() throws {
            let directory = try makeTree()
            let result = try InputDiscovery().discover([directory.path + "/tree"])
            #expect(result.files.map(\.relativePath) == ["A.json", "a/b/c.jsonl.gz", "a/z.txt", "a.txt", "b.jsonl", "d/e.ndjson.zst"])
            #expect(result.files.map(\.format) == [.jsonl, .jsonl, .plainText, .plainText, .jsonl, .jsonl])
            #expect(result.files.map(\.compression) == [.none, .gzip, .none, .none, .none, .zstd])
            #expect(result.files.first?.path == directory.path + "/tree/A.json")
            #expect(result.files.first?.byteCount == 1)
            #expect(result.skipped.isEmpty)
        }

        @Test func filtersWithIncludeAndExcludeGlobs() throws {
            let directory = try makeTree()
            let tree = directory.path + "/tree"
            let jsonl = try InputDiscovery(include: ["*.jsonl", "*.jsonl.*"]).discover([tree])
            #expect(jsonl.files.map(\.relativePath) == ["a/b/c.jsonl.gz", "b.jsonl"])
            let notUnderA = try InputDiscovery(exclude: ["a/**", "*.txt"]).discover([tree])
            #expect(notUnderA.files.map(\.relativePath) == ["A.json", "b.jsonl", "d/e.ndjson.zst"])
            let anchored = try InputDiscovery(include: ["a/*"]).discover([tree])
            #expect(anchored.files.map(\.relativePath) == ["a/z.txt"])
        }

        @Test func explicitFilesAreTakenAsGivenAndDeduplicated() throws {
            let directory = try makeTree()
            let hidden = directory.path + "/tree/.h.jsonl"
            let result = try InputDiscovery(include: ["*.txt"]).discover([hidden, directory.path + "/tree", hidden])
            #expect(result.files.map(\.relativePath) == [hidden, "a/z.txt", "a.txt"])
        }

        @Test func noMatchingFilesIsAnError() throws {
            let directory = try makeTree()
            let tree = directory.path + "/tree"
            let failure = #expect(throws: InputError.self) { _ = try InputDiscovery(include: ["*.parquet"]).discover([tree]) }
            #expect(failure == .noInputFiles(path: tree, detail: "6 files found, none passed --include *.parquet"))
            #expect(
                failure?.description
                    == "\(tree): no input files matched (6 files found, none passed --include *.parquet); check the path and the --include/--exclude patterns")
            let empty = directory.makeDirectory("empty")
            #expect(throws: InputError.noInputFiles(path: empty, detail: "the directory has no files")) {
                _ = try InputDiscovery().discover([empty])
            }
        }

        @Test func nonexistentPathIsAnError() throws {
            let directory = TemporaryDirectory()
            let missing = directory.path + "/missing.jsonl"
            let failure = #expect(throws: InputError.self) { _ = try InputDiscovery().discover([missing]) }
            #expect(failure == .notFound(path: missing))
            #expect(
                failure?.description
                    == "\(missing): no such file or directory; check the path (relative paths start from the current directory)")
        }

        @Test func fifoIsNotARegularFile() throws {
            let directory = TemporaryDirectory()
            let fifo = directory.path + "/pipe.jsonl"
            #expect(mkfifo(fifo, 0o644) == 0)
            let failure = #expect(throws: InputError.self) { _ = try InputDiscovery().discover([fifo]) }
            #expect(failure == .notRegularFile(path: fifo, kind: "FIFO (named pipe)"))
            #expect(failure?.description == "\(fifo): not a regular file (it is a FIFO (named pipe)); pass regular files or directories")
            // Opening it directly must fail fast instead of waiting for a writer.
            #expect(throws: InputError.notRegularFile(path: fifo, kind: "FIFO (named pipe)")) { _ = try openByteSource(path: fifo) }
            // Inside a directory it is skipped and reported, and the regular files still come.
            directory.write("doc.jsonl", "x")
            let result = try InputDiscovery().discover([directory.path])
            #expect(result.files.map(\.relativePath) == ["doc.jsonl"])
            #expect(result.skipped == [SkippedInput(path: fifo, reason: "not a regular file (it is a FIFO (named pipe))")])
        }

        @Test func unreadableFileIsAnError() throws {
            let directory = TemporaryDirectory()
            let path = directory.write("secret.jsonl", "x")
            #expect(chmod(path, 0) == 0)
            let probe = open(path, O_RDONLY)
            if probe >= 0 {
                // Running as root (or with CAP_DAC_OVERRIDE): mode 000 does not stop reads, so
                // there is no permission error to observe here. Nothing to assert.
                close(probe)
                return
            }
            let failure = #expect(throws: InputError.self) { _ = try InputDiscovery().discover([path]) }
            #expect(failure == .permissionDenied(path: path))
            #expect(failure?.description == "\(path): permission denied; make it readable (chmod u+r) or leave it out")
        }

        @Test func followsSymlinksWithoutLooping() throws {
            let directory = TemporaryDirectory()
            directory.write("data/doc.jsonl", "x")
            #expect(symlink(directory.path + "/data", directory.path + "/data/loop") == 0)
            #expect(symlink(directory.path + "/nowhere", directory.path + "/data/dangling") == 0)
            let result = try InputDiscovery().discover([directory.path + "/data"])
            #expect(result.files.map(\.relativePath) == ["doc.jsonl"])
            #expect(result.skipped == [SkippedInput(path: directory.path + "/data/dangling", reason: "broken symbolic link")])
        }

        @Test func classifiesByExtension() {
            #expect(InputFile.classify(fileName: "a.jsonl") == (.jsonl, .none))
            #expect(InputFile.classify(fileName: "a.json.gz") == (.jsonl, .gzip))
            #expect(InputFile.classify(fileName: "a.ndjson.zstd") == (.jsonl, .zstd))
            #expect(InputFile.classify(fileName: "a.jsonl.zst") == (.jsonl, .zstd))
            #expect(InputFile.classify(fileName: "book.txt.gz") == (.plainText, .gzip))
            #expect(InputFile.classify(fileName: "README") == (.plainText, .none))
            #expect(InputFile.classify(fileName: "a.jsonlines") == (.plainText, .none))
        }
    }

    @Suite struct GlobPatternTests {
        @Test(arguments: [
            ("*.jsonl", "a.jsonl", true),
            ("*.jsonl", "x/y/a.jsonl", true),  // no slash: matched at any depth
            ("*.jsonl", "a.jsonl.gz", false),
            ("a/*.jsonl", "a/b.jsonl", true),
            ("a/*.jsonl", "a/b/c.jsonl", false),
            ("a/**/*.jsonl", "a/c.jsonl", true),
            ("a/**/*.jsonl", "a/b/c/d.jsonl", true),
            ("**/b/*", "a/b/c", true),
            ("tmp/**", "tmp/x/y", true),
            ("tmp/**", "tmpx/y", false),
            ("./data/?.txt", "data/1.txt", true),
            ("data/[0-9][!a-z].txt", "data/5B.txt", true),
            ("data/[0-9][!a-z].txt", "data/5b.txt", false),
            ("data/[^0-9]*", "data/x1", true),
            ("data/part\\*", "data/part*", true),
            ("data/part\\*", "data/part1", false),
            ("a**b/x", "aXXb/x", true),
            ("[", "[", true),
        ])
        func matches(pattern: String, path: String, expected: Bool) {
            #expect(GlobPattern(pattern).matches(path) == expected, "\(pattern) vs \(path)")
        }
    }

    @Suite struct PlainTextReaderTests {
        @Test func readsTextAndDropsTheByteOrderMark() throws {
            let directory = TemporaryDirectory()
            let path = directory.write("note.txt", [0xEF, 0xBB, 0xBF] + Array("Hello, wörld\n".utf8))
            #expect(try PlainTextReader.read(path: path) == .text(Array("Hello, wörld\n".utf8)))
        }

        @Test func readsCompressedText() throws {
            let directory = TemporaryDirectory()
            let text = Array(String(repeating: "line of text\n", count: 1000).utf8)
            let path = directory.write("book.txt.zst", try CompressionFixtures.zstd(text))
            #expect(try PlainTextReader.read(path: path) == .text(text))
        }

        @Test func detectsBinaryFiles() throws {
            let directory = TemporaryDirectory()
            let path = directory.write("image.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x00, 0x1A])
            #expect(try PlainTextReader.read(path: path) == .skipped(reason: "binary file (NUL byte at offset 5)"))
        }

        @Test func detectsNonUTF8Text() throws {
            let directory = TemporaryDirectory()
            let path = directory.write("latin1.txt", Array("caf".utf8) + [0xE9, 0x0A])
            #expect(
                try PlainTextReader.read(path: path)
                    == .skipped(reason: "not UTF-8 text (invalid byte at offset 3); convert it to UTF-8 (iconv)"))
        }

        @Test func skipsEmptyAndOversizedFiles() throws {
            let directory = TemporaryDirectory()
            let blank = directory.write("blank.txt", " \n\t\n")
            #expect(try PlainTextReader.read(path: blank) == .skipped(reason: "empty file (no text, or only whitespace)"))
            let big = directory.write("big.txt", String(repeating: "a", count: 20))
            #expect(
                try PlainTextReader.read(path: big, maxBytes: 10)
                    == .skipped(reason: "file is 20 bytes, over the 10 bytes limit (--max-line-bytes)"))
            let bigCompressed = directory.write("big.txt.gz", try CompressionFixtures.gzip(Array(repeating: 0x61, count: 3 << 20)))
            #expect(
                try PlainTextReader.read(path: bigCompressed, maxBytes: 1 << 20)
                    == .skipped(reason: "file is 3.0 MiB, over the 1 MiB limit (--max-line-bytes)"))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only stream of decompressed bytes from one input file.
///
/// Sources are used from one thread at a time and close their file when released.
public protocol ByteSource: AnyObject {
    /// The file being read, as given to `openByteSource(path:)`.
    var path: String { get }
    /// The compression format being decoded.
    var format: CompressionFormat { get }
    /// Raw bytes read from the file so far (compressed bytes for gzip and zstd), for progress.
    var bytesConsumed: Int64 { get }
    /// Fills `buffer` with the next bytes and returns how many; returns 0 only at the end.
    ///
    /// A compressed stream that stops inside a member or frame throws `InputError.truncated`
    /// after every complete byte before the cut has been returned.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}

/// How an input file is compressed.
public enum CompressionFormat: String, Sendable, Equatable {
    /// Not compressed.
    case none
    /// gzip (RFC 1952), possibly several concatenated members.
    case gzip
    /// Zstandard, possibly several frames.
    case zstd

    /// The format a file name promises: `.gz` is gzip, `.zst` and `.zstd` are zstd.
    public init(fileName: String) {
        if fileName.hasSuffix(".gz") {
            self = .gzip
        } else if fileName.hasSuffix(".zst") || fileName.hasSuffix(".zstd") {
            self = .zstd
        } else {
            self = .none
        }
    }

    /// The format the first bytes of a file show (gzip 1f 8b, zstd 28 b5 2f fd), or nil.
    public init?(magic bytes: UnsafeRawBufferPointer) {
        if bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            self = .gzip
        } else if bytes.count >= 4, bytes[0] == 0x28, bytes[1] == 0xB5, bytes[2] == 0x2F, bytes[3] == 0xFD {
            self = .zstd
        } else {
            return nil
        }
    }

    var displayName: String {
        switch self {
        case .none: "uncompressed"
        case .gzip: "gzip"
        case .zstd: "zstd"
        }
    }

    var magicDescription: String {
        switch self {
        case .none: "none"
        case .gzip: "1f 8b"
        case .zstd: "28 b5 2f fd"
        }
    }
}

/// Opens `path` and returns a source that decompresses it as its content requires.
///
/// The magic bytes decide: gzip or zstd data is decoded whatever the file is called. A file
/// named `.gz`/`.zst`/`.zstd` whose bytes are neither is rejected (`InputError.misnamed`)
/// rather than read as text; an empty file is an empty stream whatever its name.
public func openByteSource(path: String) throws(InputError) -> any ByteSource {
    let file = try RawFile(path: path)
    var magic: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    let magicCount = try withUnsafeMutableBytes(of: &magic) { buffer throws(InputError) in
        try file.peek(into: buffer)
    }
    let sniffed = withUnsafeBytes(of: magic) { CompressionFormat(magic: UnsafeRawBufferPointer(rebasing: $0[..<magicCount])) }
    let named = CompressionFormat(fileName: path)
    switch sniffed {
    case .gzip?: return try GzipByteSource(file: file)
    case .zstd?: return try ZstdByteSource(file: file)
    case .none?, nil:
        if named != .none, magicCount > 0 {
            let shown = withUnsafeBytes(of: magic) { bytes in
                bytes[..<magicCount].map { hexByte($0).lowercased() }.joined(separator: " ")
            }
            throw .misnamed(path: path, expected: named, firstBytes: shown)
        }
        return PlainByteSource(file: file)
    }
}

/// An open file descriptor with `read(2)` that retries on EINTR and counts bytes.
final class RawFile {
    let path: String
    private(set) var bytesRead: Int64 = 0
    private let descriptor: Int32

    init(path: String) throws(InputError) {
        self.path = path
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is rejected just below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw InputError.fromOpenErrno(errno, path: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw InputError.fromOpenErrno(code, path: path)
        }
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else {
            close(fd)
            throw .notRegularFile(path: path, kind: kind?.rawValue ?? "special file")
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `buffer.count` bytes at the current position; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return 0 }
        while true {
            let n = posixRead(descriptor, base, buffer.count)
            if n >= 0 {
                bytesRead += Int64(n)
                return n
            }
            if errno != EINTR { throw .readFailed(path: path, reason: errnoDescription(errno)) }
        }
    }

    /// Reads the first bytes of the file without moving the read position.
    func peek(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, base + done, buffer.count - done, off_t(done))
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: errnoDescription(errno))
            }
            done += n
        }
        return done
    }
}

private func posixRead(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, base, count)
}

/// The type of a file system entry, from `st_mode`.
enum FileKind: String {
    case regular = "regular file"
    case directory = "directory"
    case fifo = "FIFO (named pipe)"
    case socket = "socket"
    case characterDevice = "character device"
    case blockDevice = "block device"
    case symbolicLink = "symbolic link"

    init?(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFLNK: self = .symbolicLink
        default: return nil
        }
    }
}

/// Reads an uncompressed file straight into the caller's buffer.
final class PlainByteSource: ByteSource {
    private let file: RawFile
    var path: String { file.path }
    var format: CompressionFormat { .none }
    var bytesConsumed: Int64 { file.bytesRead }

    init(file: RawFile) {
        self.file = file
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        try file.read(into: buffer)
    }
}

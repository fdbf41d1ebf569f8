import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where the first start leaves the admin token: a file beside the database that only its
/// owner can read (mode 0600), instead of standard output, which often goes to a log.
struct FirstAdminTokenFile {
    let path: String

    init(databasePath: String) {
        path = URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("first-admin-token").path
    }

    struct WriteError: Error, CustomStringConvertible {
        let call: String
        let code: Int32
        var description: String { "\(call): \(String(cString: strerror(code)))" }
    }

    /// Writes the token (and a newline), replacing an older file. The file is created with mode
    /// 0600 from the start (never readable by others, whatever the umask) and synced before use.
    func write(_ token: String) throws {
        let temporary = path + ".tmp"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError(call: "open", code: errno) }
        let bytes = Array((token + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw WriteError(call: "write", code: code)
            }
            written += n
        }
        // fchmod as well: open's mode is narrowed by the umask, never widened, but be explicit.
        guard fchmod(fd, 0o600) == 0, fsync(fd) == 0 else {
            let code = errno
            close(fd)
            unlink(temporary)
            throw WriteError(call: "fsync", code: code)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw WriteError(call: "rename", code: code)
        }
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Deadlines for every open connection, enforced by a watchdog thread.
///
/// libmicrohttpd's own timeout (`MHD_OPTION_CONNECTION_TIMEOUT`) counts idle time, so a
/// client that sends one header line or one body byte every few seconds never reaches it.
/// This watch gives each connection an absolute deadline for the phase it is in — headers
/// of the next request, the body, sending the answer — and shuts down the socket of a
/// connection past it. It never closes a socket itself: `shutdown(2)` makes libmicrohttpd
/// see the end of the stream and close the connection on its own thread. The entry is
/// removed in libmicrohttpd's `MHD_CONNECTION_NOTIFY_CLOSED` callback, which daemon.c
/// calls before it closes the socket; both run under the same lock, so a descriptor
/// number is never shut down after it was closed and reused.
final class ConnectionWatch: Sendable {
    private struct Entry {
        var socket: Int32
        var deadline: ContinuousClock.Instant?
        var shut = false
    }

    private let entries = Mutex<[UInt: Entry]>([:])

    func started(_ connection: OpaquePointer, socket: Int32, deadline: ContinuousClock.Instant) {
        entries.withLock { $0[Self.key(connection)] = Entry(socket: socket, deadline: deadline) }
    }

    /// The connection's next deadline; nil while the service itself is working on its request.
    func setDeadline(_ connection: OpaquePointer, _ deadline: ContinuousClock.Instant?) {
        entries.withLock { $0[Self.key(connection)]?.deadline = deadline }
    }

    func closed(_ connection: OpaquePointer) {
        _ = entries.withLock { $0.removeValue(forKey: Self.key(connection)) }
    }

    /// Shuts down the sockets of connections past their deadline; returns how many.
    func sweep(now: ContinuousClock.Instant = .now) -> Int {
        entries.withLock { entries in
            var count = 0
            for (key, entry) in entries where !entry.shut {
                guard let deadline = entry.deadline, deadline < now else { continue }
                _ = shutdown(entry.socket, Int32(SHUT_RDWR))
                entries[key]?.shut = true
                count += 1
            }
            return count
        }
    }

    var count: Int { entries.withLock { $0.count } }

    private static func key(_ connection: OpaquePointer) -> UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection))) }
}

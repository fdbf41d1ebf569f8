import Foundation
@testable import KioskBackend
import Synchronization
import Testing

/// A handler runs on the libmicrohttpd thread that took its request until it first waits
/// (`Task.immediate` in `HTTPServer.dispatch`); `leaveServerThread()` is how long work waits
/// on purpose, so that thread goes back to its other connections.
struct ServerThreadTests {
    final class Seen: @unchecked Sendable {
        let lock = NSLock()
        var threads: [String: ObjectIdentifier] = [:]
        var returnedBeforeEnd = false
        func note(_ step: String) {
            let here = ServerThreadTests.here()
            lock.withLock { threads[step] = here }
        }
    }

    /// The thread this runs on (a synchronous function: `Thread.current` is not for async code).
    @inline(never) static func here() -> ObjectIdentifier { ObjectIdentifier(Thread.current) }

    static func inner() async -> ObjectIdentifier { here() }

    @Test func aHandlerRunsInPlaceUntilItLeaves() async throws {
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let server = Thread {
            seen.note("server")
            Task.immediate {
                seen.note("start")
                let nested = await Self.inner()
                seen.lock.withLock { seen.threads["nested"] = nested }
                await leaveServerThread()
                seen.note("after")
                done.signal()
            }
            seen.lock.withLock { seen.returnedBeforeEnd = seen.threads["after"] == nil }
            done.wait()
            seen.note("server-again")
        }
        server.start()
        while seen.lock.withLock({ seen.threads["server-again"] == nil }) { try await Task.sleep(for: .milliseconds(5)) }
        let t = seen.lock.withLock { seen.threads }
        #expect(t["start"] == t["server"], "the handler starts on the thread that took the request")
        #expect(t["nested"] == t["server"], "calling async code that does not wait stays there")
        #expect(t["after"] != t["server"], "after leaveServerThread the work goes on elsewhere")
        #expect(seen.lock.withLock { seen.returnedBeforeEnd }, "the server thread got back control at once")
    }
}

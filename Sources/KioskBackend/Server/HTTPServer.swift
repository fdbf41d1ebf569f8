import CMicroHTTPD
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server over libmicrohttpd that hands every complete request to an `HTTPHandler`.
///
/// One `HTTPServer` owns one `MHD_Daemon`. libmicrohttpd runs an internal epoll
/// thread pool (one thread per core); each request's body is accumulated across
/// the repeated upload calls, then the connection is suspended while the async
/// handler runs, and resumed to send its answer. Suspending (rather than blocking
/// a pool thread) lets many requests wait on one SQLite commit together.
///
/// Hostile clients are bounded here, before any handler runs: connections per client
/// address, absolute deadlines for headers, body and answer (`ConnectionWatch`), the
/// route's own body limit, a budget for all bodies still arriving, URL and header
/// sizes, and the request-smuggling building blocks (two `Content-Length`s, or one with
/// `Transfer-Encoding`).
public final class HTTPServer: @unchecked Sendable {
    public struct Options: Sendable {
        /// An IPv4 or IPv6 address (`127.0.0.1`, `0.0.0.0`, `::1`, `::`).
        public var host: String = "127.0.0.1"
        /// 0 picks a free port; read `port` after `start()`.
        public var port: UInt16 = 8080
        /// Threads in libmicrohttpd's pool; bounded, since a huge value exhausts file descriptors.
        public var threads: Int = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 16)
        public var connectionLimit: Int = 1024
        /// Connections one client address may hold at once (0: no limit), so that one
        /// address cannot take the capacity that others need.
        public var connectionsPerClient: Int = 32
        /// Seconds a connection may stay silent before libmicrohttpd closes it.
        public var idleTimeoutSeconds: Int = 15
        /// Seconds from a connection's start, or from its previous answer, to the end of the next request's headers.
        public var headerTimeoutSeconds: Int = 10
        /// Seconds from the end of the headers to the end of the body, and to send an answer.
        public var bodyTimeoutSeconds: Int = 30
        /// Bytes all bodies still arriving may hold together; past it a request gets 503.
        public var pendingBodyBytes: Int = 32 << 20
        /// A longer request target gets 414.
        public var maxURLBytes: Int = 8 << 10
        /// Larger or more numerous header fields get 431.
        public var maxHeaderBytes: Int = 16 << 10
        public var maxHeaderFields: Int = 100
        /// libmicrohttpd's memory pool per connection (`MHD_OPTION_CONNECTION_MEMORY_LIMIT`). It
        /// holds the request line and headers, so it is larger than the two limits above: a
        /// request within it gets our problem document, one beyond it libmicrohttpd's own answer.
        public var connectionMemoryBytes: Int = 64 << 10

        public init() {}
    }

    public enum StartError: Error, CustomStringConvertible {
        case badHost(String)
        case cannotListen(host: String, port: UInt16)

        public var description: String {
            switch self {
            case .badHost(let h): "'\(h)' is not an IP address (use e.g. 127.0.0.1, 0.0.0.0, ::1 or ::)"
            case .cannotListen(let h, let p): "cannot listen on \(h):\(p) (is the port in use?)"
            }
        }
    }

    let handler: any HTTPHandler
    let options: Options
    let logger: Logger
    private var daemon: OpaquePointer?
    private var quiescedSocket: Int32 = -1
    /// Requests that started and have not completed: `stop` waits for them.
    let inFlight = Atomic<Int>(0)
    /// Set by `stop`: from then on a request is answered 503 at once instead of being
    /// handed to the handler, because libmicrohttpd aborts the process if
    /// `MHD_stop_daemon` finds a suspended connection, and quiescing stops new
    /// connections only, not new requests on kept-alive ones.
    let stopping = Atomic<Bool>(false)
    /// Bytes reserved by bodies that are arriving or waiting for their answer.
    let pendingBodyBytes = Atomic<Int>(0)
    /// The part of `pendingBodyBytes` held by large bodies (routes taking more than
    /// ``largeBodyLimit``, such as 10 MB photos). They may hold at most half the budget, so
    /// a few uploads cannot leave ordinary requests with nothing (they would get 503).
    let largePendingBodyBytes = Atomic<Int>(0)
    /// A route whose body limit is above this takes large bodies.
    static let largeBodyLimit = 1 << 20
    /// Set when bodies held much memory; the watchdog then gives freed memory back to the system.
    let trimWanted = Atomic<Bool>(false)
    let watch = ConnectionWatch()
    private let watchdogRunning = Atomic<Bool>(false)
    private var watchdog: Thread?
    public private(set) var port: UInt16 = 0

    public init(handler: any HTTPHandler, options: Options, logger: Logger) {
        self.handler = handler
        self.options = options
        self.logger = logger
    }

    deinit {
        assert(daemon == nil, "HTTPServer released while running: call stop() first")
    }

    /// Starts listening. Throws if the address cannot be bound.
    public func start() throws {
        precondition(daemon == nil, "start() called twice")
        var storage = sockaddr_storage()
        var flags = MHD_USE_EPOLL_INTERNAL_THREAD.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
        if options.host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = options.port.bigEndian
            guard inet_pton(AF_INET6, options.host, &address.sin6_addr) == 1 else { throw StartError.badHost(options.host) }
            withUnsafeBytes(of: address) { source in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
            }
            flags |= MHD_USE_IPv6.rawValue
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = options.port.bigEndian
            guard inet_pton(AF_INET, options.host, &address.sin_addr) == 1 else { throw StartError.badHost(options.host) }
            withUnsafeBytes(of: address) { source in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
            }
        }

        let completed: MHD_RequestCompletedCallback = requestCompleted
        let connectionNotice: MHD_NotifyConnectionCallback = connectionChanged
        let me = Unmanaged.passUnretained(self).toOpaque()
        let started: OpaquePointer? = withUnsafeMutablePointer(to: &storage) { addressPointer in
            var items: [MHD_OptionItem] = [
                MHD_OptionItem(option: MHD_OPTION.THREAD_POOL_SIZE, value: options.threads, ptr_value: nil),
                MHD_OptionItem(option: MHD_OPTION.CONNECTION_LIMIT, value: options.connectionLimit, ptr_value: nil),
                MHD_OptionItem(option: MHD_OPTION.PER_IP_CONNECTION_LIMIT, value: options.connectionsPerClient, ptr_value: nil),
                MHD_OptionItem(option: MHD_OPTION.CONNECTION_TIMEOUT, value: options.idleTimeoutSeconds, ptr_value: nil),
                MHD_OptionItem(option: MHD_OPTION.CONNECTION_MEMORY_LIMIT, value: options.connectionMemoryBytes, ptr_value: nil),
                MHD_OptionItem(option: MHD_OPTION.LISTEN_BACKLOG_SIZE, value: 1024, ptr_value: nil),
                // Two-pointer options: the function goes in `value` cast to intptr_t (manual, MHD_OPTION_ARRAY).
                MHD_OptionItem(option: MHD_OPTION.NOTIFY_COMPLETED, value: unsafeBitCast(completed, to: Int.self), ptr_value: me),
                MHD_OptionItem(
                    option: MHD_OPTION.NOTIFY_CONNECTION, value: unsafeBitCast(connectionNotice, to: Int.self), ptr_value: me),
                MHD_OptionItem(option: MHD_OPTION.SOCK_ADDR, value: 0, ptr_value: UnsafeMutableRawPointer(addressPointer)),
                MHD_OptionItem(option: MHD_OPTION.END, value: 0, ptr_value: nil),
            ]
            return items.withUnsafeMutableBufferPointer { buffer in
                CMicroHTTPD_start_daemon(UInt32(flags), options.port, accessHandler, me, buffer.baseAddress)
            }
        }
        guard let started else { throw StartError.cannotListen(host: options.host, port: options.port) }
        daemon = started
        port = CMicroHTTPD_bound_port(started)
        startWatchdog()
    }

    /// Stops accepting connections, lets the requests in flight finish (up to `grace`),
    /// then closes every connection. Idempotent.
    public func stop(grace: Duration = .seconds(10)) {
        guard let daemon else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        if quiescedSocket < 0 {
            quiescedSocket = MHD_quiesce_daemon(daemon)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while inFlight.load(ordering: .sequentiallyConsistent) > 0 && clock.now < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        watchdogRunning.store(false, ordering: .sequentiallyConsistent)
        let left = inFlight.load(ordering: .sequentiallyConsistent)
        if left > 0 {
            // libmicrohttpd aborts the process if MHD_stop_daemon finds a suspended
            // connection; leave the daemon to the process's exit instead. Nothing
            // acknowledged is lost: a 201 is sent only after its commit.
            logger.error(
                "requests still in flight after the grace period; leaving them unanswered",
                metadata: ["http.in_flight": "\(left)"])
            self.daemon = nil
            return
        }
        MHD_stop_daemon(daemon)
        self.daemon = nil
        // The manual: with internal threads the quiesced socket must be closed only after MHD_stop_daemon.
        if quiescedSocket >= 0 {
            close(quiescedSocket)
            quiescedSocket = -1
        }
    }

    /// Twice a second: shut down connections past their deadline, and give memory that
    /// bodies held back to the system once they are gone (glibc keeps freed memory otherwise).
    private func startWatchdog() {
        watchdogRunning.store(true, ordering: .sequentiallyConsistent)
        // The thread holds the server until `stop` ends its loop.
        let thread = Thread { [self] in
            while watchdogRunning.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 0.5)
                let shut = watch.sweep()
                if shut > 0 {
                    logger.notice("closed connections past their deadline", metadata: ["http.connections": "\(shut)"])
                }
                if pendingBodyBytes.load(ordering: .relaxed) < (1 << 20), trimWanted.exchange(false, ordering: .relaxed) {
                    _ = malloc_trim(0)
                }
            }
        }
        thread.name = "http-watchdog"
        watchdog = thread
        thread.start()
    }

    // MARK: Per-request work, called from the C callbacks below.

    func deadline(seconds: Int) -> ContinuousClock.Instant { .now + .seconds(seconds) }

    func begin(connection: OpaquePointer, url: String, method: String) -> RequestState {
        inFlight.add(1, ordering: .sequentiallyConsistent)
        let box = HeaderCollector()
        let boxPointer = Unmanaged.passUnretained(box).toOpaque()
        MHD_get_connection_values(connection, .HEADER_KIND, collectValue, boxPointer)
        let headers = box.pairs
        box.pairs = []
        MHD_get_connection_values(connection, .GET_ARGUMENT_KIND, collectValue, boxPointer)
        var headerMap: [String: String] = [:]
        for (k, v) in headers { headerMap[k.lowercased()] = headerMap[k.lowercased()].map { "\($0), \(v)" } ?? v }
        let request = HTTPRequest(
            method: method, path: url, query: box.pairs, headers: headerMap,
            clientAddress: Self.clientAddress(connection))
        let state = RequestState(request: request)
        state.refusal = screen(request: request, rawHeaders: headers, url: url)
        return state
    }

    /// What the server refuses before any handler sees the request, or nil.
    /// Each refusal goes out on the first call, which makes libmicrohttpd discard
    /// the rest of the request and close the connection after the answer.
    func screen(request: HTTPRequest, rawHeaders: [(String, String)], url: String) -> HTTPResponse? {
        func refuse(_ status: Int, _ title: String, _ detail: String) -> HTTPResponse {
            var response = handler.refusal(request, status: status, title: title, detail: detail)
            response.setHeader("Connection", "close")
            return response
        }
        if url.utf8.count > options.maxURLBytes {
            return refuse(414, "URI too long", "The request target is longer than \(options.maxURLBytes) bytes.")
        }
        let headerBytes = rawHeaders.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 }
        if rawHeaders.count > options.maxHeaderFields || headerBytes > options.maxHeaderBytes {
            return refuse(
                431, "Request header fields too large",
                "The request has more than \(options.maxHeaderFields) header fields or more than \(options.maxHeaderBytes) bytes of them.")
        }
        let lengths = rawHeaders.filter { $0.0.lowercased() == "content-length" }
        let encodings = rawHeaders.filter { $0.0.lowercased() == "transfer-encoding" }
        if lengths.count > 1 {
            return refuse(400, "Ambiguous body length", "The request has more than one Content-Length header.")
        }
        if !encodings.isEmpty && !lengths.isEmpty {
            return refuse(400, "Ambiguous body length", "The request has both Content-Length and Transfer-Encoding.")
        }
        if encodings.count > 1 || encodings.contains(where: { $0.1.trimmingCharacters(in: .whitespaces).lowercased() != "chunked" }) {
            return refuse(400, "Unsupported transfer encoding", "The only transfer encoding accepted is a single \"chunked\".")
        }
        let limit = handler.bodyLimit(method: request.method, path: request.path)
        if let length = lengths.first.flatMap({ Int($0.1.trimmingCharacters(in: .whitespaces)) }), length > limit {
            return refuse(413, "Body too large", "The request body is larger than \(limit) bytes.")
        }
        return nil
    }

    func end() {
        inFlight.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// Reserves `bytes` of the pending-body budget for `state`; false when the budget is spent.
    func reserve(_ bytes: Int, for state: RequestState) -> Bool {
        let large = state.bodyLimit > Self.largeBodyLimit
        if large {
            let after = largePendingBodyBytes.add(bytes, ordering: .relaxed).newValue
            if after > options.pendingBodyBytes / 2 {
                largePendingBodyBytes.subtract(bytes, ordering: .relaxed)
                return false
            }
        }
        let after = pendingBodyBytes.add(bytes, ordering: .relaxed).newValue
        if after > options.pendingBodyBytes {
            pendingBodyBytes.subtract(bytes, ordering: .relaxed)
            if large { largePendingBodyBytes.subtract(bytes, ordering: .relaxed) }
            return false
        }
        state.reserved += bytes
        if after > (8 << 20) { trimWanted.store(true, ordering: .relaxed) }
        return true
    }

    func release(_ state: RequestState) {
        if state.reserved > 0 {
            pendingBodyBytes.subtract(state.reserved, ordering: .relaxed)
            if state.bodyLimit > Self.largeBodyLimit { largePendingBodyBytes.subtract(state.reserved, ordering: .relaxed) }
            state.reserved = 0
        }
    }

    static func clientAddress(_ connection: OpaquePointer) -> String {
        guard let sa = CMicroHTTPD_client_address(connection) else { return "unknown" }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch Int32(sa.pointee.sa_family) {
        case AF_INET:
            return sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                var addr = p.pointee.sin_addr
                inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
                return String(cString: buffer)
            }
        case AF_INET6:
            return sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                var addr = p.pointee.sin6_addr
                inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
                return String(cString: buffer)
            }
        default:
            return "unknown"
        }
    }

    /// Queues `response` on `connection`. Copies the body (Self.mustCopy), so nothing
    /// Swift owns is referenced after this returns.
    func send(_ response: HTTPResponse, on connection: OpaquePointer, state: RequestState) -> MHD_Result {
        state.queued = true
        watch.setDeadline(connection, deadline(seconds: options.bodyTimeoutSeconds))
        var body = response.body
        let mhdResponse = body.withUnsafeMutableBytes { buffer in
            MHD_create_response_from_buffer(buffer.count, buffer.baseAddress, Self.mustCopy)
        }
        guard let mhdResponse else { return .NO }
        for (name, value) in response.headers {
            _ = MHD_add_response_header(mhdResponse, name, value)
        }
        let result = MHD_queue_response(connection, UInt32(response.status), mhdResponse)
        MHD_destroy_response(mhdResponse)
        return result
    }

    /// Runs the handler on this libmicrohttpd thread until it first waits (`Task.immediate`).
    /// A handler that answers without waiting — a read, a refusal — is answered here and now,
    /// as the C baseline does: no task hop, no suspend and resume, no wake-up of this thread
    /// (those were a third of a GET's CPU). One that waits (a write waits for its group
    /// commit; long work leaves this thread on purpose, see ``leaveServerThread()``) has its
    /// connection suspended and resumed when the answer is there. Answers the response to send
    /// now, or nil when the connection was suspended.
    func dispatch(_ state: RequestState, connection: OpaquePointer) -> HTTPResponse? {
        state.request.body = state.body
        state.body = []
        let request = state.request
        let handler = self.handler
        let suspended = ConnectionHandle(pointer: connection)
        watch.setDeadline(connection, nil)
        Task.immediate {
            let response = await handler.respond(to: request)
            let resume = state.handoff.withLock { phase in
                state.response = response
                if phase == .suspended { return true }
                phase = .answered
                return false
            }
            // The manual: a suspended connection is resumed from any thread with
            // MHD_resume_connection; the access handler is then called again.
            if resume { MHD_resume_connection(suspended.pointer) }
        }
        return state.handoff.withLock { phase in
            if phase == .answered {
                defer { state.response = nil }
                return state.response
            }
            // Suspended under the lock, so the task cannot resume the connection before this.
            MHD_suspend_connection(connection)
            phase = .suspended
            return nil
        }
    }

    /// `MHD_RESPMEM_MUST_COPY` (value 2 in microhttpd.h): libmicrohttpd copies the body.
    static let mustCopy = MHD_ResponseMemoryMode(rawValue: 2)!

    func shuttingDown(_ request: HTTPRequest) -> HTTPResponse {
        unavailable(request, title: "Service unavailable", detail: "The service is restarting; nothing was stored. Try again.", retryAfter: 5)
    }

    func tooLarge(_ state: RequestState) -> HTTPResponse {
        handler.refusal(
            state.request, status: 413, title: "Body too large",
            detail: "The request body is larger than \(state.bodyLimit) bytes.")
    }

    func busy(_ request: HTTPRequest) -> HTTPResponse {
        unavailable(
            request, title: "Service busy",
            detail: "Too many request bodies are arriving at once; nothing was stored. Try again shortly.", retryAfter: 2)
    }

    /// A 503 after which the connection closes.
    private func unavailable(_ request: HTTPRequest, title: String, detail: String, retryAfter: Int) -> HTTPResponse {
        var response = handler.refusal(request, status: 503, title: title, detail: detail)
        response.setHeader("Connection", "close")
        response.setHeader("Retry-After", "\(retryAfter)")
        return response
    }
}

/// Per-request state kept in libmicrohttpd's `*con_cls` between calls.
///
/// Passed retained to C and released in the request-completed callback. Only one
/// thread touches it at a time: libmicrohttpd's thread, then the handler's task
/// between `MHD_suspend_connection` and `MHD_resume_connection`, then libmicrohttpd's again;
/// `handoff` orders the answer against the suspension when the task goes on elsewhere.
final class RequestState: @unchecked Sendable {
    var request: HTTPRequest
    var body: [UInt8] = []
    /// The route's body limit, asked of the handler when the headers arrived.
    var bodyLimit = 0
    /// Bytes of the server's pending-body budget this request holds.
    var reserved = 0
    /// An answer decided from the headers alone (see `HTTPServer.screen`).
    var refusal: HTTPResponse?
    var rejected = false
    var dispatched = false
    var queued = false
    var response: HTTPResponse?
    /// Whether the handler answered while the access handler still ran, or the connection was suspended first.
    let handoff = Mutex(Handoff.running)

    enum Handoff { case running, answered, suspended }

    init(request: HTTPRequest) {
        self.request = request
    }
}

/// A connection pointer carried to the task that resumes it.
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

final class HeaderCollector {
    var pairs: [(String, String)] = []
}

// The C callbacks are global functions with the exact C signatures: a closure that
// captures context cannot become a C function pointer. Context travels in `cls`.

private func collectValue(
    _ cls: UnsafeMutableRawPointer?, _ kind: MHD_ValueKind, _ key: UnsafePointer<CChar>?,
    _ value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let cls, let key else { return .YES }
    let box = Unmanaged<HeaderCollector>.fromOpaque(cls).takeUnretainedValue()
    box.pairs.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
    return .YES
}

private func accessHandler(
    _ cls: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ url: UnsafePointer<CChar>?,
    _ method: UnsafePointer<CChar>?, _ version: UnsafePointer<CChar>?, _ uploadData: UnsafePointer<CChar>?,
    _ uploadDataSize: UnsafeMutablePointer<Int>?, _ conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let uploadDataSize, let conCls else { return .NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()

    guard let existing = conCls.pointee else {
        // First call: headers only. Answering now costs keep-alive (libmicrohttpd then
        // discards the rest of the request and closes), so only refusals answer here.
        let state = server.begin(
            connection: connection, url: url.map { String(cString: $0) } ?? "/",
            method: method.map { String(cString: $0) } ?? "GET")
        conCls.pointee = Unmanaged.passRetained(state).toOpaque()
        if let refusal = state.refusal {
            state.rejected = true
            return server.send(refusal, on: connection, state: state)
        }
        state.bodyLimit = server.handler.bodyLimit(method: state.request.method, path: state.request.path)
        let declared = state.request.header("content-length").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        if declared > 0 {
            // The whole declared body is reserved at once, so a thousand half-sent bodies
            // cannot together hold more than the budget.
            guard server.reserve(declared, for: state) else {
                state.rejected = true
                return server.send(server.busy(state.request), on: connection, state: state)
            }
            state.body.reserveCapacity(declared)
        }
        let chunked = state.request.header("transfer-encoding") != nil
        server.watch.setDeadline(
            connection, declared > 0 || chunked ? server.deadline(seconds: server.options.bodyTimeoutSeconds) : nil)
        return .YES
    }
    let state = Unmanaged<RequestState>.fromOpaque(existing).takeUnretainedValue()

    if let response = state.response {
        state.response = nil
        return server.send(response, on: connection, state: state)
    }
    let size = uploadDataSize.pointee
    if size > 0 {
        uploadDataSize.pointee = 0
        if state.rejected || state.queued { return .YES }
        if state.body.count + size > state.bodyLimit {
            // Only a chunked body gets here (a declared one was refused on the first call).
            // libmicrohttpd takes no answer mid-upload: the rest is discarded within the
            // body deadline and 413 goes out at its end.
            state.rejected = true
            state.body = []
            server.release(state)
            return .YES
        }
        let unreserved = state.body.count + size - state.reserved
        if unreserved > 0 && !server.reserve(unreserved, for: state) {
            // The budget for arriving bodies is spent and no answer can be queued
            // mid-upload: close this connection.
            return .NO
        }
        if let uploadData {
            uploadData.withMemoryRebound(to: UInt8.self, capacity: size) { p in
                state.body.append(contentsOf: UnsafeBufferPointer(start: p, count: size))
            }
        }
        return .YES
    }
    if state.queued || state.dispatched { return .YES }
    if state.rejected {
        return server.send(server.tooLarge(state), on: connection, state: state)
    }
    if server.stopping.load(ordering: .sequentiallyConsistent) {
        return server.send(server.shuttingDown(state.request), on: connection, state: state)
    }
    state.dispatched = true
    if let response = server.dispatch(state, connection: connection) {
        return server.send(response, on: connection, state: state)
    }
    return .YES
}

private func requestCompleted(
    _ cls: UnsafeMutableRawPointer?, _ connection: OpaquePointer?,
    _ conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ code: MHD_RequestTerminationCode
) {
    guard let cls, let conCls, let pointer = conCls.pointee else { return }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    let state = Unmanaged<RequestState>.fromOpaque(pointer).takeRetainedValue()
    server.release(state)
    conCls.pointee = nil
    if let connection {
        // A kept-alive connection now waits for its next request's headers.
        server.watch.setDeadline(connection, server.deadline(seconds: server.options.headerTimeoutSeconds))
    }
    server.end()
}

private func connectionChanged(
    _ cls: UnsafeMutableRawPointer?, _ connection: OpaquePointer?,
    _ socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ code: MHD_ConnectionNotificationCode
) {
    guard let cls, let connection else { return }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    // MHD_CONNECTION_NOTIFY_STARTED is 0, MHD_CONNECTION_NOTIFY_CLOSED 1 (microhttpd.h).
    switch code.rawValue {
    case 0:
        let socket = CMicroHTTPD_connection_fd(connection)
        if socket >= 0 {
            server.watch.started(
                connection, socket: socket, deadline: server.deadline(seconds: server.options.headerTimeoutSeconds))
        }
    default:
        server.watch.closed(connection)
    }
}

/// Continues the calling request on Swift's cooperative thread pool, leaving the libmicrohttpd
/// thread that started it (``HTTPServer/dispatch(_:connection:)`` runs a handler there until it
/// first waits) free to serve its other connections. Handlers call it before work that can take
/// long — a report over every signal, a photo through libvips, a search — so that the short
/// requests on the same thread are not held up behind it.
func leaveServerThread() async {
    await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
        // Resuming enqueues the task on the global executor: it goes on there, not here.
        DispatchQueue.global().async { continuation.resume() }
    }
}

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
public final class HTTPServer: @unchecked Sendable {
    public struct Options: Sendable {
        public var host: String = "127.0.0.1"
        /// 0 picks a free port; read `port` after `start()`.
        public var port: UInt16 = 8080
        /// Threads in libmicrohttpd's pool; bounded, since a huge value exhausts file descriptors.
        public var threads: Int = min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 16)
        public var connectionLimit: Int = 1024
        /// Seconds a connection may stay silent before it is closed.
        public var connectionTimeoutSeconds: Int = 15
        /// Bodies above this get 413, answered as soon as the excess is known.
        public var maxBodyBytes: Int = 1 << 20

        public init() {}
    }

    public enum StartError: Error, CustomStringConvertible {
        case badHost(String)
        case cannotListen(host: String, port: UInt16)

        public var description: String {
            switch self {
            case .badHost(let h): "'\(h)' is not an IPv4 address (use e.g. 127.0.0.1 or 0.0.0.0)"
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
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = options.port.bigEndian
        guard inet_pton(AF_INET, options.host, &address.sin_addr) == 1 else {
            throw StartError.badHost(options.host)
        }

        let flags = MHD_USE_EPOLL_INTERNAL_THREAD.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
        let completed: MHD_RequestCompletedCallback = requestCompleted
        let started: OpaquePointer? = withUnsafePointer(to: &address) { addressPointer in
            var items: [MHD_OptionItem] = [
                MHD_OptionItem(option: MHD_OPTION.THREAD_POOL_SIZE, value: options.threads, ptr_value: nil),
                MHD_OptionItem(option: MHD_OPTION.CONNECTION_LIMIT, value: options.connectionLimit, ptr_value: nil),
                MHD_OptionItem(option: MHD_OPTION.CONNECTION_TIMEOUT, value: options.connectionTimeoutSeconds, ptr_value: nil),
                MHD_OptionItem(option: MHD_OPTION.LISTEN_BACKLOG_SIZE, value: 1024, ptr_value: nil),
                // Two-pointer options: the function goes in `value` cast to intptr_t (manual, MHD_OPTION_ARRAY).
                MHD_OptionItem(
                    option: MHD_OPTION.NOTIFY_COMPLETED, value: unsafeBitCast(completed, to: Int.self),
                    ptr_value: Unmanaged.passUnretained(self).toOpaque()),
                MHD_OptionItem(
                    option: MHD_OPTION.SOCK_ADDR, value: 0,
                    ptr_value: UnsafeMutableRawPointer(mutating: addressPointer)),
                MHD_OptionItem(option: MHD_OPTION.END, value: 0, ptr_value: nil),
            ]
            return items.withUnsafeMutableBufferPointer { buffer in
                CMicroHTTPD_start_daemon(
                    UInt32(flags), options.port, accessHandler,
                    Unmanaged.passUnretained(self).toOpaque(), buffer.baseAddress)
            }
        }
        guard let started else { throw StartError.cannotListen(host: options.host, port: options.port) }
        daemon = started
        port = CMicroHTTPD_bound_port(started)
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

    public var openConnections: Int {
        guard let daemon else { return 0 }
        return Int(CMicroHTTPD_current_connections(daemon))
    }

    // MARK: Per-request work, called from the C callbacks below.

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
        return RequestState(request: request)
    }

    func end() {
        inFlight.subtract(1, ordering: .sequentiallyConsistent)
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

    func dispatch(_ state: RequestState, connection: OpaquePointer) {
        state.request.body = state.body
        state.body = []
        let request = state.request
        let handler = self.handler
        let suspended = ConnectionHandle(pointer: connection)
        // The manual: a suspended connection is resumed from any thread with
        // MHD_resume_connection; the access handler is then called again.
        MHD_suspend_connection(connection)
        Task {
            let response = await handler.respond(to: request)
            state.response = response
            MHD_resume_connection(suspended.pointer)
        }
    }

    /// `MHD_RESPMEM_MUST_COPY` (value 2 in microhttpd.h): libmicrohttpd copies the body.
    static let mustCopy = MHD_ResponseMemoryMode(rawValue: 2)!

    func shuttingDown() -> HTTPResponse {
        var response = Problem.unavailable("The service is restarting; nothing was stored. Try again.").response
        response.setHeader("Connection", "close")
        return response
    }

    func tooLarge() -> HTTPResponse {
        Problem(
            status: 413, title: "Body too large",
            detail: "The request body is larger than \(options.maxBodyBytes) bytes."
        ).response
    }
}

/// Per-request state kept in libmicrohttpd's `*con_cls` between calls.
///
/// Passed retained to C and released in the request-completed callback. Only one
/// thread touches it at a time: libmicrohttpd's thread, then the handler's task
/// between `MHD_suspend_connection` and `MHD_resume_connection`, then libmicrohttpd's again.
final class RequestState: @unchecked Sendable {
    var request: HTTPRequest
    var body: [UInt8] = []
    var rejected = false
    var dispatched = false
    var queued = false
    var response: HTTPResponse?

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
        // First call: headers only. Answering now would cost keep-alive, so only a
        // declared oversize body is refused here (and that connection should close anyway).
        let state = server.begin(
            connection: connection, url: url.map { String(cString: $0) } ?? "/",
            method: method.map { String(cString: $0) } ?? "GET")
        conCls.pointee = Unmanaged.passRetained(state).toOpaque()
        if let length = state.request.header("content-length"), let n = Int(length), n > server.options.maxBodyBytes {
            state.rejected = true
            return server.send(server.tooLarge(), on: connection, state: state)
        }
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
        if state.body.count + size > server.options.maxBodyBytes {
            state.rejected = true
            state.body = []
            // Answer at once; if libmicrohttpd will not take a response mid-upload,
            // the rest of the body is discarded and 413 goes out at its end.
            if server.send(server.tooLarge(), on: connection, state: state) == .NO {
                state.queued = false
            }
            return .YES
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
        return server.send(server.tooLarge(), on: connection, state: state)
    }
    if server.stopping.load(ordering: .sequentiallyConsistent) {
        return server.send(server.shuttingDown(), on: connection, state: state)
    }
    state.dispatched = true
    server.dispatch(state, connection: connection)
    return .YES
}

private func requestCompleted(
    _ cls: UnsafeMutableRawPointer?, _ connection: OpaquePointer?,
    _ conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ code: MHD_RequestTerminationCode
) {
    guard let cls, let conCls, let state = conCls.pointee else { return }
    Unmanaged<RequestState>.fromOpaque(state).release()
    conCls.pointee = nil
    Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().end()
}

import Domain
import Foundation
import GRDB
@testable import KioskBackend
import Logging
import Synchronization
import Testing

/// The service without a socket: a real SQLite file in a temporary folder, the bundled
/// Ostend config, and `Application.respond(to:)` as the only way in.
final class TestApp: Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // KioskBackendTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let config: CityConfig = {
        do {
            return try ConfigLoader.load(packageRoot.appendingPathComponent("config/ostend.json").path)
        } catch {
            preconditionFailure("config/ostend.json does not load: \(error)")
        }
    }()

    /// The pages, rendered once for every test (as the service renders them once at start).
    static let pages = Pages.rendered(directory: packageRoot.appendingPathComponent("Static", isDirectory: true), config: config)

    static let quietLogger = Logger(label: "kiosk-backend-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    let directory: URL
    let store: Store
    let application: Application
    let clock: TestClock
    private let closed = Mutex(false)

    init(durability: Store.Durability = .full) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("kiosk-backend-tests-\(UUID().uuidString)", isDirectory: true)
        store = try Store(path: directory.appendingPathComponent("signals.sqlite").path, durability: durability, logger: Self.quietLogger)
        let clock = TestClock()
        self.clock = clock
        let environment = AppEnvironment(
            config: Self.config, store: store, logger: Self.quietLogger,
            staticDirectory: Self.packageRoot.appendingPathComponent("Static", isDirectory: true), pages: Self.pages,
            now: { clock.now })
        application = Application(environment: environment)
    }

    /// Commits what is queued and closes the database; the folder goes with it.
    func close() throws {
        let wasClosed = closed.withLock { c in
            defer { c = true }
            return c
        }
        if !wasClosed { try store.close() }
    }

    deinit {
        try? close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A new bearer token, as `kiosk-backend token create` makes one.
    func token(_ role: Role, name: String? = nil, site: String? = nil) throws -> String {
        try Tokens(store: store).create(role: role, name: name ?? "\(role.rawValue) \(site ?? "")", site: site, config: Self.config)
    }

    func request(
        _ method: String, _ path: String, query: [(String, String)] = [], token: String? = nil,
        body: String? = nil, bytes: [UInt8]? = nil, headers: [String: String] = [:], client: String = "192.0.2.10"
    ) async -> HTTPResponse {
        var headers = headers
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if body != nil || bytes != nil { headers["Content-Type"] = "application/json" }
        return await application.respond(
            to: HTTPRequest(
                method: method, path: path, query: query, headers: headers,
                body: bytes ?? Array((body ?? "").utf8), clientAddress: client))
    }

    func get(_ path: String, query: [(String, String)] = [], token: String? = nil) async -> HTTPResponse {
        await request("GET", path, query: query, token: token)
    }

    func post(_ path: String, token: String? = nil, body: String, headers: [String: String] = [:], client: String = "192.0.2.10") async -> HTTPResponse {
        await request("POST", path, token: token, body: body, headers: headers, client: client)
    }

    /// Rows in the `signal` table, read straight from the database.
    func signalCount() async throws -> Int {
        try await store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM signal") ?? -1 }
    }
}

/// The service's clock: stands still at the whole second it was made, until a test moves it forward.
final class TestClock: Sendable {
    private let instant = Mutex<Date>(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
    var now: Date { instant.withLock { $0 } }
    func advance(by seconds: TimeInterval) { instant.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

extension HTTPResponse {
    /// The body as a JSON object; records an issue and answers `[:]` otherwise.
    func object(sourceLocation: SourceLocation = #_sourceLocation) -> [String: JSONValue] {
        guard case .object(let o)? = try? JSONValue.parse(body) else {
            Issue.record("status \(status): body is not a JSON object: \(bodyText.prefix(300))", sourceLocation: sourceLocation)
            return [:]
        }
        return o
    }

    /// The `errors` of a problem document as (field, message) pairs.
    func problemErrors(sourceLocation: SourceLocation = #_sourceLocation) -> [FieldError] {
        guard case .array(let items)? = object(sourceLocation: sourceLocation)["errors"] else { return [] }
        return items.compactMap { item in
            guard case .string(let f)? = item["field"], case .string(let m)? = item["message"] else { return nil }
            return FieldError(field: f, message: m)
        }
    }
}

extension JSONValue {
    var string: String? { stringValue }
    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
    var intValue: Int? {
        if case .number(let n) = self, n == n.rounded() { return Int(n) }
        return nil
    }
}

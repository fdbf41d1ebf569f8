import Domain
import Foundation
import Logging

/// The running service: store, application and HTTP server, started and stopped together.
public final class Service: @unchecked Sendable {
    public let store: Store
    public let application: Application
    public let server: HTTPServer
    let logger: Logger

    public init(config: CityConfig, databasePath: String, staticDirectory: String, options: HTTPServer.Options,
                durability: Store.Durability, logger: Logger, templates: MailTemplates? = nil) throws {
        self.logger = logger
        store = try Store(
            path: databasePath, durability: durability,
            publicContacts: [config.contact, config.ombudsman] + config.externalParties, logger: logger)
        var environment = AppEnvironment(
            config: config, store: store, logger: logger,
            staticDirectory: URL(fileURLWithPath: staticDirectory, isDirectory: true), templates: templates)
        environment.listenURL = Self.listenURL(options)
        application = Application(environment: environment)
        var options = options
        options.connectionsPerClient = config.limits.connectionsPerClient
        options.headerTimeoutSeconds = config.limits.headerTimeoutSeconds
        options.bodyTimeoutSeconds = config.limits.bodyTimeoutSeconds
        options.pendingBodyBytes = config.limits.pendingBodyBytes
        server = HTTPServer(handler: application, options: options, logger: logger)
    }

    /// The address the service listens on as a URL, unless it names no one host or port.
    static func listenURL(_ options: HTTPServer.Options) -> String? {
        guard options.port != 0, !["0.0.0.0", "::", "[::]", ""].contains(options.host) else { return nil }
        let host = options.host.contains(":") && !options.host.hasPrefix("[") ? "[\(options.host)]" : options.host
        return "http://\(host):\(options.port)"
    }

    private var maintenance: Task<Void, Never>?

    public func start() throws {
        do {
            try server.start()
        } catch {
            try? store.close()
            throw error
        }
        maintenance = Task { [store, application, logger] in
            // The retention purge runs at start and then once a day.
            while !Task.isCancelled {
                do {
                    let env = application.environment
                    let summary = try await store.write { db in
                        try Retention.purge(db, retentionDays: env.config.retentionDays, now: env.now())
                    }
                    logger.notice(
                        "retention purge",
                        metadata: [
                            "purge.signals": "\(summary.signalsCleared)", "purge.calls": "\(summary.callsCleared)",
                            "purge.drafts": "\(summary.draftsDeleted)",
                        ])
                } catch {
                    logger.error("retention purge failed", metadata: ["error.type": "\(type(of: error))"])
                }
                try? await Task.sleep(for: .seconds(86_400))
            }
        }
    }

    /// Stops accepting work, finishes requests in flight, commits and closes the database.
    public func stop() {
        maintenance?.cancel()
        server.stop()
        do {
            try store.close()
        } catch {
            logger.error("closing the database failed", metadata: ["error": "\(error)"])
        }
    }
}

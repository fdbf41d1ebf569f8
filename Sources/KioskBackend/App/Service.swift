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
                durability: Store.Durability, logger: Logger, templates: MailTemplates? = nil, pages: Pages? = nil) throws {
        self.logger = logger
        store = try Store(
            path: databasePath, durability: durability,
            publicContacts: [config.contact, config.ombudsman] + config.externalParties, logger: logger)
        let refreshed = try DueDates(config: config).refresh(store)
        if refreshed > 0 { logger.info("due dates recomputed", metadata: ["signals": "\(refreshed)"]) }
        var environment = AppEnvironment(
            config: config, store: store, logger: logger,
            staticDirectory: URL(fileURLWithPath: staticDirectory, isDirectory: true), templates: templates, pages: pages)
        environment.listenURL = Self.listenURL(options)
        // Outbound mail (docs/interface.md §11): without a `mail` section messages are queued and not sent.
        let worker: DeliveryWorker?
        if let mail = config.mail {
            let smtp: SMTPClient
            do {
                smtp = try SMTPClient(settings: .init(url: mail.smtpURL, environment: ProcessInfo.processInfo.environment))
            } catch {
                try? store.close()
                throw error
            }
            self.smtp = smtp
            worker = DeliveryWorker(store: store, mail: mail, sender: smtp, logger: logger, now: environment.now)
        } else {
            smtp = nil
            worker = nil
        }
        delivery = worker
        // Whoever queues a message wakes the worker, so it goes out at once rather than within a second.
        environment.outboxChanged = { [worker] in worker?.poke() }
        application = Application(environment: environment)
        var options = options
        options.connectionsPerClient = config.limits.connectionsPerClient
        options.headerTimeoutSeconds = config.limits.headerTimeoutSeconds
        options.bodyTimeoutSeconds = config.limits.bodyTimeoutSeconds
        options.pendingBodyBytes = config.limits.pendingBodyBytes
        server = HTTPServer(handler: application, options: options, logger: logger)
    }

    let smtp: SMTPClient?
    let delivery: DeliveryWorker?

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
            smtp?.stop()
            try? store.close()
            throw error
        }
        if let delivery {
            delivery.start()
        } else {
            logger.notice("mail is not configured: messages are queued and not sent (add a mail section to the config)")
        }
        maintenance = Task { [store, application, logger] in
            // The retention purge runs at start and then once a day.
            while !Task.isCancelled {
                do {
                    let env = application.environment
                    let files = env.photoFiles
                    let before = try await store.read { db in try files.referenced(db) }
                    let summary = try await store.write { db in
                        try Retention.purge(db, retentionDays: env.config.retentionDays, now: env.now())
                    }
                    // Photo files whose rows the purge removed, and any left by an upload that failed.
                    try await store.read { db in
                        try files.removeDropped(before: before, db: db)
                        try files.sweep(db)
                    }
                    logger.notice(
                        "retention purge",
                        metadata: [
                            "purge.signals": "\(summary.signalsCleared)", "purge.calls": "\(summary.callsCleared)",
                            "purge.drafts": "\(summary.draftsDeleted)", "purge.photos": "\(summary.photosDeleted)",
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
        // A send in flight is aborted; its message stays queued and goes out after the next start.
        delivery?.stop()
        smtp?.stop()
        server.stop()
        do {
            try store.close()
        } catch {
            logger.error("closing the database failed", metadata: ["error": "\(error)"])
        }
    }
}

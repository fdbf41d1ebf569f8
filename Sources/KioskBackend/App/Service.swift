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
                durability: Store.Durability, logger: Logger) throws {
        self.logger = logger
        store = try Store(path: databasePath, durability: durability, logger: logger)
        let environment = AppEnvironment(
            config: config, store: store, logger: logger,
            staticDirectory: URL(fileURLWithPath: staticDirectory, isDirectory: true))
        application = Application(environment: environment)
        var options = options
        options.maxBodyBytes = config.limits.maxBodyBytes
        server = HTTPServer(handler: application, options: options, logger: logger)
    }

    public func start() throws {
        do {
            try server.start()
        } catch {
            try? store.close()
            throw error
        }
    }

    /// Stops accepting work, finishes requests in flight, commits and closes the database.
    public func stop() {
        server.stop()
        do {
            try store.close()
        } catch {
            logger.error("closing the database failed", metadata: ["error": "\(error)"])
        }
    }
}

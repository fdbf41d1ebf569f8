import Domain
import Foundation
import Logging

/// Everything a route needs, passed in as values so tests can replace the clock.
public struct AppEnvironment: Sendable {
    public var config: CityConfig
    public var store: Store
    public var logger: Logger
    /// The folder served as `Static/`.
    public var staticDirectory: URL
    public var now: @Sendable () -> Date

    public init(config: CityConfig, store: Store, logger: Logger, staticDirectory: URL, now: @escaping @Sendable () -> Date = { Date() }) {
        self.config = config
        self.store = store
        self.logger = logger
        self.staticDirectory = staticDirectory
        self.now = now
    }

    var tokens: Tokens { Tokens(store: store) }
    var intake: SignalIntake { SignalIntake(config: config) }
}

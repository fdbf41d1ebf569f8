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
    /// `http://HOST:PORT` as the service listens (`--host`, `--port`), for absolute links
    /// when the config has no `public_url`; nil when that address says nothing to a client
    /// (all interfaces, or a port picked at start).
    public var listenURL: String?
    /// The message templates (issue 10), checked at start-up.
    public var templates: MailTemplates
    /// The pages, rendered at start-up from `staticDirectory`'s templates with the config's values.
    public var pages: Pages
    /// Call after a commit that queued (or re-queued) an outbox message: wakes the delivery
    /// worker (issue 10). Without mail configured it does nothing.
    public var outboxChanged: @Sendable () -> Void = {}

    public init(
        config: CityConfig, store: Store, logger: Logger, staticDirectory: URL,
        templates: MailTemplates? = nil, pages: Pages? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.config = config
        self.store = store
        self.logger = logger
        self.staticDirectory = staticDirectory
        self.templates = templates ?? .bundled(languages: config.languages)
        self.pages = pages ?? .rendered(directory: staticDirectory, config: config)
        self.now = now
    }

    /// The base of every absolute link handed out: `mail.public_url`, else `public_url`, else the
    /// address the service listens on; nil when none says anything to a client.
    var linkBase: String? { config.linkBase ?? listenURL }

    /// Renders the messages of docs/interface.md §11; links start at `linkBase`.
    var composer: MessageComposer {
        MessageComposer(config: config, templates: templates, linkBase: linkBase ?? "")
    }

    var tokens: Tokens { Tokens(store: store) }
    /// The clock and config a signal's JSON is rendered with (``SignalResource``).
    var signalView: SignalView { SignalView(now: now(), config: config) }
    /// The photos' folder beside the database (docs/interface.md §14).
    var photoFiles: PhotoFiles { PhotoFiles(databasePath: store.path) }
    var intake: SignalIntake { SignalIntake(config: config) }
    /// The config's public contact details, which Open311's redacted texts keep.
    var publicContacts: Open311Redaction.Public { Open311Redaction.Public(config: config) }
}

/// The role table of CONTRACT 3 as a rule: which channels and reporters each caller may create.
public enum AccessPolicy {
    /// The way a signal arrives: the REST API or the Open311 endpoint.
    public enum Entry: Sendable { case api, open311 }

    /// Channels this caller may create signals on.
    public static func channels(for role: Role?, via entry: Entry = .api) -> Set<Channel> {
        switch (role, entry) {
        case (nil, .api): [.web]
        case (.kiosk?, .api): [.kiosk]
        case (.agent?, .api): [.phone]
        case (.desk?, .api): [.counter, .email, .letter]
        case (.staff?, .api): [.web]
        case (.coordinator?, .api), (.admin?, .api): Set(Channel.allCases)
        case (.open311?, .open311): [.web]
        case (.open311?, .api), (.pbx?, _): []
        case (_, .open311): []
        }
    }

    /// Reporters this caller may create signals for.
    public static func reporters(for role: Role?) -> Set<Reporter> {
        switch role {
        case nil, .kiosk?, .agent?, .desk?, .open311?: [.citizen]
        case .staff?: [.staff]
        case .coordinator?, .admin?: Set(Reporter.allCases)
        case .pbx?: []
        }
    }

    /// The channel used when the body names none, if the role allows only one
    /// obvious channel (a desk defaults to `counter`).
    public static func defaultChannel(for role: Role?) -> Channel? {
        switch role {
        case nil, .staff?: .web
        case .kiosk?: .kiosk
        case .agent?: .phone
        case .desk?: .counter
        case .coordinator?, .admin?, .open311?, .pbx?: nil
        }
    }

    public static func defaultReporter(for role: Role?) -> Reporter {
        role == .staff ? .staff : .citizen
    }

    /// Whether this caller may set `received_at` (backfill, letters).
    public static func maySetReceivedAt(_ role: Role?) -> Bool {
        role?.isBackOffice ?? false
    }

    /// Whether this caller may create signals through the REST API at all.
    public static func mayCreateSignals(_ role: Role?) -> Bool {
        !channels(for: role).isEmpty
    }
}

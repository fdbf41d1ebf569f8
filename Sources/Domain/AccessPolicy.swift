/// The role table of docs/interface.md §3 as a rule: which channels and reporters each caller may create.
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
        case (.open311?, .api), (.pbx?, _), (.department?, _): []
        case (_, .open311): []
        }
    }

    /// Reporters this caller may create signals for.
    public static func reporters(for role: Role?) -> Set<Reporter> {
        switch role {
        case nil, .kiosk?, .agent?, .desk?, .open311?: [.citizen]
        case .staff?: [.staff]
        case .coordinator?, .admin?: Set(Reporter.allCases)
        case .pbx?, .department?: []
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
        case .coordinator?, .admin?, .open311?, .pbx?, .department?: nil
        }
    }

    public static func defaultReporter(for role: Role?) -> Reporter {
        role == .staff ? .staff : .citizen
    }

    /// How far back a desk may date a letter or e-mail (docs/interface.md §3).
    public static let deskReceivedAtDays = 90

    /// What a caller may do with `received_at` on a signal of a channel (docs/interface.md §3).
    public enum ReceivedAtRule: Sendable, Equatable {
        /// Not at all: 403.
        case forbidden
        /// Any instant up to now (backfill, imports): coordinator and admin.
        case backfill
        /// The date on a letter or e-mail: not in the future, at most `days` back.
        case letterDate(days: Int)
    }

    /// A coordinator or admin may backfill any channel; a desk may set the date on a
    /// `letter` or `email` signal, at most ``deskReceivedAtDays`` back; nobody else.
    public static func receivedAtRule(for role: Role?, channel: Channel?) -> ReceivedAtRule {
        switch role {
        case .coordinator?, .admin?:
            return .backfill
        case .desk?:
            guard let channel, channel == .letter || channel == .email else { return .forbidden }
            return .letterDate(days: deskReceivedAtDays)
        case nil, .kiosk?, .agent?, .staff?, .open311?, .pbx?, .department?:
            return .forbidden
        }
    }

    /// Whether this caller may set `received_at` on some channel (backfill, letters).
    public static func maySetReceivedAt(_ role: Role?) -> Bool {
        Channel.allCases.contains { receivedAtRule(for: role, channel: $0) != .forbidden }
    }

    /// Whether this caller may create signals through the REST API at all.
    public static func mayCreateSignals(_ role: Role?) -> Bool {
        !channels(for: role).isEmpty
    }
}

/// The closed vocabularies of a signal. Raw values are the API's words.

/// What the citizen brings: a report (melding), a complaint (klacht), a suggestion or a compliment.
public enum SignalKind: String, CaseIterable, Codable, Sendable {
    case report, complaint, suggestion, compliment
}

/// How the signal reached the city.
public enum Channel: String, CaseIterable, Codable, Sendable {
    case web, kiosk, counter, phone, email, letter

    /// Channels that happen at a physical site and so carry a site key.
    public var needsSite: Bool { self == .kiosk || self == .counter }

    /// Self-service forms: the only ones that ask the experience score.
    public var asksExperienceScore: Bool { self == .web || self == .kiosk }
}

/// Who reported: a citizen or a city employee (e.g. a community warden).
public enum Reporter: String, CaseIterable, Codable, Sendable {
    case citizen, staff
}

/// Where O-punt sends a signal.
public enum SignalRoute: String, CaseIterable, Codable, Sendable {
    /// Handled by O-punt with the city department that stays the expert.
    case opunt
    /// Handed wholly to its department (e.g. a defence against a GAS fine).
    case specialProcedure = "special_procedure"
    /// Not for the city: another body such as De Lijn.
    case external
}

/// Whether a complaint is about how the city delivered or what it decided.
public enum Nature: String, CaseIterable, Codable, Sendable {
    case service, policy, combination, undetermined
}

/// What came of a complaint (docs/interface.md §4), recorded when it is answered: upheld
/// (gegrond), partly upheld (deels gegrond), not upheld (ongegrond) or inadmissible (onontvankelijk).
public enum ComplaintOutcome: String, CaseIterable, Codable, Sendable {
    case upheld
    case partlyUpheld = "partly_upheld"
    case notUpheld = "not_upheld"
    case inadmissible
}

/// Role of a bearer token (docs/interface.md §3). A caller without a token is `Caller.public`.
public enum Role: String, CaseIterable, Codable, Sendable {
    case kiosk, agent, desk, staff, coordinator, admin, open311, pbx
    /// A city department (docs/interface.md §3, §13): bound to one department, reads the signals
    /// routed to it, adds notes and a proposed answer, hands a signal back to O-punt.
    case department

    /// Roles that must be bound to a site.
    public var needsSite: Bool { self == .kiosk || self == .desk }

    /// Roles that must be bound to a department.
    public var needsDepartment: Bool { self == .department }

    /// Staff roles that may read signals back.
    public var readsSignals: Bool {
        switch self {
        case .agent, .desk, .coordinator, .admin, .department: true
        case .kiosk, .staff, .open311, .pbx: false
        }
    }

    /// Roles that run the back office: route, classify, report, set `received_at`.
    public var isBackOffice: Bool { self == .coordinator || self == .admin }
}

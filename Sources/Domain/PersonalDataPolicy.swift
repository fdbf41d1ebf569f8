/// docs/interface.md §3's rule on personal data: who may see a signal's `contact` (and its
/// photos), and a caller's number.
///
/// "Personal data is shown to `coordinator` and `admin`; to a `desk` only for
/// signals of its own site or that it registered; to an `agent` only for phone
/// signals; to a `department` only for signals routed to it. Everyone else gets
/// the signal without it, or nothing."
///
/// Every resource that renders a signal, a history entry or a call asks here,
/// so the rule lives in one place. The switches are exhaustive over ``Role``:
/// a new role (issue 11's `department`) does not compile until it has its case.
public enum PersonalDataPolicy {
    /// What the rule needs to know about a signal.
    public struct SignalFacts: Sendable, Equatable {
        public var channel: Channel
        /// The site of a kiosk or counter signal.
        public var site: String?
        /// The id of the token that registered the signal; nil for the website form
        /// and for signals stored before the service recorded it.
        public var createdByTokenId: Int64?
        /// The department the signal is routed to, if any.
        public var department: String?

        public init(channel: Channel, site: String? = nil, createdByTokenId: Int64? = nil, department: String? = nil) {
            self.channel = channel
            self.site = site
            self.createdByTokenId = createdByTokenId
            self.department = department
        }
    }

    /// Whether `caller` may see the personal data of the signal described by `facts`.
    public static func mayShow(_ facts: SignalFacts, to caller: Caller) -> Bool {
        guard let role = caller.role else { return false }
        switch role {
        case .coordinator, .admin:
            return true
        case .desk:
            let ownSite = caller.site != nil && facts.site == caller.site
            let registered = caller.tokenId != nil && facts.createdByTokenId == caller.tokenId
            return ownSite || registered
        case .agent:
            return facts.channel == .phone
        case .department:
            return facts.department != nil && facts.department == caller.department
        case .kiosk, .staff, .open311, .pbx:
            return false
        }
    }

    /// Whether `caller` may see the numbers of calls on the phone line (and the agent's
    /// note, which may repeat them): the agents who call back, and the back office.
    public static func mayShowCallerNumbers(to caller: Caller) -> Bool {
        guard let role = caller.role else { return false }
        switch role {
        case .agent, .coordinator, .admin: return true
        case .desk, .kiosk, .staff, .open311, .pbx, .department: return false
        }
    }

    /// History fields whose old and new values are personal data (a contact detail
    /// corrected, a photo added or removed): shown only to callers who may see the
    /// signal's personal data, otherwise redacted.
    public static let personalHistoryFields: Set<String> = [
        "contact", "contact.name", "contact.email", "contact.phone", "contact.postal_address", "photo", "photos",
    ]

    /// Whether a history entry of `field` must have its values redacted for a caller
    /// who may (`mayShow`) or may not see the signal's personal data.
    public static func redactsHistory(field: String, mayShow: Bool) -> Bool {
        !mayShow && personalHistoryFields.contains(field)
    }
}

extension Signal {
    /// The facts ``PersonalDataPolicy`` decides on.
    public var personalDataFacts: PersonalDataPolicy.SignalFacts {
        PersonalDataPolicy.SignalFacts(
            channel: self.channel, site: self.site, createdByTokenId: self.createdByTokenId, department: department)
    }
}

import Foundation

/// A reporter's contact details: personal data, removed after the retention period.
public struct ContactDetails: Sendable, Equatable, Codable {
    public var name: String?
    public var email: String?
    public var phone: String?
    public var language: String?
    /// Where a reply by post goes (docs/interface.md §4): lines separated by `\n`, see ``PostalAddress``.
    public var postalAddress: String?

    public init(
        name: String? = nil, email: String? = nil, phone: String? = nil, language: String? = nil,
        postalAddress: String? = nil
    ) {
        self.name = name
        self.email = email
        self.phone = phone
        self.language = language
        self.postalAddress = postalAddress
    }

    public var isEmpty: Bool { name == nil && email == nil && phone == nil && postalAddress == nil }
}

/// What a signal keeps of its intake, stored once it is accepted: the reporter's own words
/// and choices and who registered them. ``NewSignal`` and ``Signal`` hold one each and read
/// its fields as their own (`signal.kind`).
public struct Submission: Sendable, Equatable {
    public var kind: SignalKind
    public var channel: Channel
    public var site: String?
    public var reporter: Reporter
    /// `main` or `main/sub`.
    public var category: String
    public var mainCategory: String
    public var district: String?
    public var address: String?
    public var lat: Double?
    public var lon: Double?
    public var description: String
    public var experienceScore: ExperienceScore?
    public var contact: ContactDetails?
    public var consentForward: Bool?
    public var assisted: Bool
    /// The name of the token that created it ("public" for the website form).
    public var createdBy: String
    /// The id of the token that registered it (a desk sees the personal data of what it
    /// registered); nil for the website form and for older signals.
    public var createdByTokenId: Int64?
    /// "Mine is the same": the reference of an earlier open signal this one repeats (§14).
    public var sameAs: String? = nil
    /// The reporter agreed that the photos may be shown publicly (Open311's `media_url`, §14).
    public var photosPublic: Bool = false
}

/// A validated signal as it is about to be stored: every rule of the intake holds.
@dynamicMemberLookup
public struct NewSignal: Sendable, Equatable {
    public var submission: Submission
    /// Set only by a coordinator or admin; otherwise the service's clock at storage.
    public var receivedAt: Date?
    public var createdByRole: Role?

    public init(
        kind: SignalKind, channel: Channel, site: String?, reporter: Reporter, category: String,
        mainCategory: String, district: String?, address: String?, lat: Double?, lon: Double?,
        description: String, experienceScore: ExperienceScore?, contact: ContactDetails?,
        consentForward: Bool?, receivedAt: Date?, assisted: Bool, createdBy: String, createdByRole: Role?,
        createdByTokenId: Int64? = nil
    ) {
        submission = Submission(
            kind: kind, channel: channel, site: site, reporter: reporter, category: category,
            mainCategory: mainCategory, district: district, address: address, lat: lat, lon: lon,
            description: description, experienceScore: experienceScore, contact: contact,
            consentForward: consentForward, assisted: assisted, createdBy: createdBy, createdByTokenId: createdByTokenId)
        self.receivedAt = receivedAt
        self.createdByRole = createdByRole
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<Submission, T>) -> T {
        get { submission[keyPath: field] }
        set { submission[keyPath: field] = newValue }
    }
}

/// A stored signal: its ``Submission`` and what the service and the back office added.
@dynamicMemberLookup
public struct Signal: Sendable, Equatable {
    public var reference: String
    public var submission: Submission
    public var receivedAt: Date
    public var status: SignalStatus
    public var route: SignalRoute?
    public var department: String?
    public var specialProcedure: String?
    public var externalParty: String?
    public var nature: Nature?
    /// Complaints only, set by the back office when it answers (docs/interface.md §4).
    public var outcome: ComplaintOutcome?
    public var answer: String?
    public var answeredAt: Date?
    public var closedAt: Date?
    public var ombudsReferredAt: Date?
    public var updatedAt: Date
    /// The reporter's secret for the status page (``StatusKey``); shown only in the 201.
    public var statusKey: String?
    /// When the answer is due (docs/interface.md §13): `received_at` plus the kind's
    /// `deadlines.answer_days` in the city's time zone; set when the signal is stored.
    public var dueAt: Date?
    /// The person in the back office who works on it (a name), if any.
    public var assignee: String?
    /// The reference of the signal this one was closed as a duplicate of.
    public var duplicateOf: String?
    /// The answer the department proposes; O-punt answers the reporter.
    public var proposedAnswer: String?

    /// Not answered or closed, and past its due date (docs/interface.md §13).
    public func isOverdue(at now: Date) -> Bool {
        guard let dueAt, status == .received || status == .inProgress else { return false }
        return now > dueAt
    }

    /// Whether the signal is routed to a department that takes part in it (route `opunt` or
    /// `special_procedure`): what a `department` caller may see (docs/interface.md §3).
    public func isRouted(to department: String) -> Bool {
        (route == .opunt || route == .specialProcedure) && self.department == department
    }

    public init(new: NewSignal, reference: String, receivedAt: Date) {
        self.reference = reference
        self.submission = new.submission
        self.receivedAt = receivedAt
        self.status = .received
        self.updatedAt = receivedAt
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<Submission, T>) -> T {
        get { submission[keyPath: field] }
        set { submission[keyPath: field] = newValue }
    }
}

import Domain
import Foundation

/// The JSON shape of a signal (docs/interface.md §4). Every key is always present, `null` when empty.
///
/// Personal data follows ``PersonalDataPolicy`` (docs/interface.md §3): a caller who may not see
/// it gets `contact: null`, the description without its photo link (`media_url: …`),
/// and `personal_data_withheld: true`, so a page can tell "withheld" from "none given".
struct SignalResource: Encodable {
    let signal: Signal
    /// Whether the caller may see the signal's personal data.
    let personalData: Bool
    /// The request's clock and the config (`overdue`, `suggested_department`, docs/interface.md §13);
    /// nil outside a request (`overdue: false`, no suggestion).
    let view: SignalView?
    /// The reporter's status key (docs/interface.md §12): only in the 201 to the creator, never in a
    /// read, a list, the history or a report; nil leaves the key out.
    var statusKey: String? = nil

    /// The signal as `caller` may see it.
    init(signal: Signal, for caller: Caller, view: SignalView) {
        self.signal = signal
        personalData = PersonalDataPolicy.mayShow(signal.personalDataFacts, to: caller)
        self.view = view
    }

    /// The signal as its creator gets it in the 201, with the status key.
    static func created(_ signal: Signal, for caller: Caller, view: SignalView) -> SignalResource {
        var resource = SignalResource(signal: signal, for: caller, view: view)
        resource.statusKey = signal.statusKey
        return resource
    }

    /// The signal with (`true`) or without its personal data, for callers outside a request
    /// (an access request made by an administrator on the command line).
    init(signal: Signal, personalData: Bool) {
        self.signal = signal
        self.personalData = personalData
        self.view = nil
    }

    enum CodingKeys: String, CodingKey {
        case reference, kind, channel, site, reporter, category, district, address, lat, lon
        case description, status, route, department, nature, outcome, answer, assisted, contact
        case mainCategory = "main_category"
        case experienceScore = "experience_score"
        case consentForward = "consent_forward"
        case personalDataWithheld = "personal_data_withheld"
        case receivedAt = "received_at"
        case specialProcedure = "special_procedure"
        case externalParty = "external_party"
        case answeredAt = "answered_at"
        case closedAt = "closed_at"
        case ombudsReferredAt = "ombuds_referred_at"
        case updatedAt = "updated_at"
        case statusKey = "status_key"
        case dueAt = "due_at"
        case overdue, assignee
        case duplicateOf = "duplicate_of"
        case proposedAnswer = "proposed_answer"
        case suggestedDepartment = "suggested_department"
        case sameAs = "same_as"
        case photosPublic = "photos_public"
    }

    struct ContactResource: Encodable {
        let contact: ContactDetails
        enum CodingKeys: String, CodingKey {
            case name, email, phone, language
            case postalAddress = "postal_address"
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(contact.name, forKey: .name)
            try c.encode(contact.email, forKey: .email)
            try c.encode(contact.phone, forKey: .phone)
            try c.encode(contact.language, forKey: .language)
            try c.encode(contact.postalAddress, forKey: .postalAddress)
        }
    }

    func encode(to encoder: any Encoder) throws {
        let s = signal
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(s.reference, forKey: .reference)
        try c.encode(s.kind.rawValue, forKey: .kind)
        try c.encode(s.channel.rawValue, forKey: .channel)
        try c.encode(s.site, forKey: .site)
        try c.encode(s.reporter.rawValue, forKey: .reporter)
        try c.encode(s.category, forKey: .category)
        try c.encode(s.mainCategory, forKey: .mainCategory)
        try c.encode(s.district, forKey: .district)
        try c.encode(s.address, forKey: .address)
        try c.encode(s.lat, forKey: .lat)
        try c.encode(s.lon, forKey: .lon)
        // A photo is personal data: its link goes with the contact details.
        try c.encode(personalData ? s.description : Open311Markers.splitMediaURL(s.description).0, forKey: .description)
        try c.encode(s.experienceScore?.rawValue, forKey: .experienceScore)
        try c.encode(personalData ? s.contact.map(ContactResource.init) : nil, forKey: .contact)
        try c.encode(!personalData, forKey: .personalDataWithheld)
        try c.encode(s.consentForward, forKey: .consentForward)
        try c.encode(Timestamp.format(s.receivedAt), forKey: .receivedAt)
        try c.encode(s.assisted, forKey: .assisted)
        try c.encode(s.status.rawValue, forKey: .status)
        try c.encode(s.route?.rawValue, forKey: .route)
        try c.encode(s.department, forKey: .department)
        try c.encode(s.specialProcedure, forKey: .specialProcedure)
        try c.encode(s.externalParty, forKey: .externalParty)
        try c.encode(s.nature?.rawValue, forKey: .nature)
        try c.encode(s.outcome?.rawValue, forKey: .outcome)
        try c.encode(s.answer, forKey: .answer)
        try c.encode(s.answeredAt.map(Timestamp.format), forKey: .answeredAt)
        try c.encode(s.closedAt.map(Timestamp.format), forKey: .closedAt)
        try c.encode(s.ombudsReferredAt.map(Timestamp.format), forKey: .ombudsReferredAt)
        try c.encode(Timestamp.format(s.updatedAt), forKey: .updatedAt)
        try c.encodeIfPresent(statusKey, forKey: .statusKey)
        try c.encode(s.sameAs, forKey: .sameAs)
        try c.encode(s.photosPublic, forKey: .photosPublic)
        try c.encode(s.dueAt.map(Timestamp.format), forKey: .dueAt)
        try c.encode(view.map { s.isOverdue(at: $0.now) } ?? false, forKey: .overdue)
        try c.encode(s.assignee, forKey: .assignee)
        try c.encode(s.duplicateOf, forKey: .duplicateOf)
        try c.encode(s.proposedAnswer, forKey: .proposedAnswer)
        try c.encode(view?.suggestedDepartment(for: s), forKey: .suggestedDepartment)
    }
}

/// What a signal's JSON needs besides the signal: the request's clock and the config.
struct SignalView: Sendable {
    let now: Date
    let config: CityConfig

    /// The department the config maps the signal's category (or subcategory) to, a suggestion
    /// the coordinator confirms by routing (docs/interface.md §13); stored only then.
    func suggestedDepartment(for signal: Signal) -> String? {
        guard let hint = config.resolveCategory(signal.category) else { return nil }
        return hint.sub?.department ?? hint.main.department
    }
}

/// A page of a list endpoint: `{"items": [...], "next_cursor": "…" or null}`.
struct Page<Item: Encodable>: Encodable {
    let items: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }
}

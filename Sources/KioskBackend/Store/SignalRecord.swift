import Domain
import Foundation
import GRDB

/// The `signal` table's row, one property per column: a Codable record whose `CodingKeys` name each
/// column once (GRDB `RecordRecommendedPractices.md`). ``init(signal:)`` and ``signal`` convert from
/// and to the Domain's ``Signal``, whose contact details are nested.
///
/// Open311's texts (`public_description`, `public_answer`) are not among its columns: they are written
/// only through `Open311Text`, never by this record's `encode`, so an update leaves them as they are;
/// ``Open311Record`` reads them.
struct SignalRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    static let databaseTableName = "signal"
    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { MillisDates.encoding }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { MillisDates.decoding }

    var id: Int64?
    var reference: String
    var kind: SignalKind
    var channel: Channel
    var site: String?
    var reporter: Reporter
    var category: String
    var mainCategory: String
    var district: String?
    var address: String?
    var lat: Double?
    var lon: Double?
    var description: String
    var experienceScore: ExperienceScore?
    // Personal data: emptied by the retention purge.
    var contactName: String?
    var contactEmail: String?
    var contactPhone: String?
    var contactLanguage: String?
    var contactPostalAddress: String?
    var consentForward: Bool?
    var receivedAt: Date
    var assisted: Bool
    var status: SignalStatus
    var route: SignalRoute?
    var department: String?
    var specialProcedure: String?
    var externalParty: String?
    var nature: Nature?
    var outcome: ComplaintOutcome?
    var answer: String?
    var answeredAt: Date?
    var closedAt: Date?
    var ombudsReferredAt: Date?
    var createdBy: String
    var createdByTokenId: Int64?
    var updatedAt: Date
    var statusKey: String?
    var dueAt: Date?
    var assignee: String?
    var duplicateOf: String?
    var proposedAnswer: String?
    var sameAs: String?
    var photosPublic: Bool

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, reference, kind, channel, site, reporter, category
        case mainCategory = "main_category"
        case district, address, lat, lon, description
        case experienceScore = "experience_score"
        case contactName = "contact_name"
        case contactEmail = "contact_email"
        case contactPhone = "contact_phone"
        case contactLanguage = "contact_language"
        case contactPostalAddress = "contact_postal_address"
        case consentForward = "consent_forward"
        case receivedAt = "received_at"
        case assisted, status, route, department
        case specialProcedure = "special_procedure"
        case externalParty = "external_party"
        case nature, outcome, answer
        case answeredAt = "answered_at"
        case closedAt = "closed_at"
        case ombudsReferredAt = "ombuds_referred_at"
        case createdBy = "created_by"
        case createdByTokenId = "created_by_token_id"
        case updatedAt = "updated_at"
        case statusKey = "status_key"
        case dueAt = "due_at"
        case assignee
        case duplicateOf = "duplicate_of"
        case proposedAnswer = "proposed_answer"
        case sameAs = "same_as"
        case photosPublic = "photos_public"
    }

    /// The columns, for requests: the coding keys, which name each column once.
    typealias Columns = CodingKeys

    init(id: Int64? = nil, signal s: Signal) {
        self.id = id
        reference = s.reference
        kind = s.kind
        channel = s.channel
        site = s.site
        reporter = s.reporter
        category = s.category
        mainCategory = s.mainCategory
        district = s.district
        address = s.address
        lat = s.lat
        lon = s.lon
        description = s.description
        experienceScore = s.experienceScore
        contactName = s.contact?.name
        contactEmail = s.contact?.email
        contactPhone = s.contact?.phone
        contactLanguage = s.contact?.language
        contactPostalAddress = s.contact?.postalAddress
        consentForward = s.consentForward
        receivedAt = s.receivedAt
        assisted = s.assisted
        status = s.status
        route = s.route
        department = s.department
        specialProcedure = s.specialProcedure
        externalParty = s.externalParty
        nature = s.nature
        outcome = s.outcome
        answer = s.answer
        answeredAt = s.answeredAt
        closedAt = s.closedAt
        ombudsReferredAt = s.ombudsReferredAt
        createdBy = s.createdBy
        createdByTokenId = s.createdByTokenId
        updatedAt = s.updatedAt
        statusKey = s.statusKey
        dueAt = s.dueAt
        assignee = s.assignee
        duplicateOf = s.duplicateOf
        proposedAnswer = s.proposedAnswer
        sameAs = s.sameAs
        photosPublic = s.photosPublic
    }

    /// The stored signal. Contact details with neither a way to reach the reporter nor a
    /// language (a signal without them, or after the purge) are none.
    var signal: Signal {
        let details = ContactDetails(
            name: contactName, email: contactEmail, phone: contactPhone, language: contactLanguage,
            postalAddress: contactPostalAddress)
        var s = Signal(
            new: NewSignal(
                kind: kind, channel: channel, site: site, reporter: reporter, category: category,
                mainCategory: mainCategory, district: district, address: address, lat: lat, lon: lon,
                description: description, experienceScore: experienceScore,
                contact: details.isEmpty && details.language == nil ? nil : details,
                consentForward: consentForward, receivedAt: nil, assisted: assisted, createdBy: createdBy,
                createdByRole: nil, createdByTokenId: createdByTokenId),
            reference: reference, receivedAt: receivedAt)
        s.status = status
        s.route = route
        s.department = department
        s.specialProcedure = specialProcedure
        s.externalParty = externalParty
        s.nature = nature
        s.outcome = outcome
        s.answer = answer
        s.answeredAt = answeredAt
        s.closedAt = closedAt
        s.ombudsReferredAt = ombudsReferredAt
        s.updatedAt = updatedAt
        s.statusKey = statusKey
        s.dueAt = dueAt
        s.assignee = assignee
        s.duplicateOf = duplicateOf
        s.proposedAnswer = proposedAnswer
        s.sameAs = sameAs
        s.photosPublic = photosPublic
        return s
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// A `report` signal as Open311 reads it: the row and its public texts (migration v5), which
/// `Open311Text` writes when the signal's texts are written and ``SignalRecord`` never encodes.
struct Open311Record: Decodable, FetchableRecord, TableRecord, Sendable {
    static let databaseTableName = SignalRecord.databaseTableName
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { MillisDates.decoding }

    var record: SignalRecord
    var publicDescription: String?
    var publicAnswer: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case publicDescription = "public_description"
        case publicAnswer = "public_answer"
    }

    /// The columns, for requests: the coding keys, which name each column once.
    typealias Columns = CodingKeys

    init(from decoder: any Decoder) throws {
        record = try SignalRecord(from: decoder)
        let texts = try decoder.container(keyedBy: CodingKeys.self)
        publicDescription = try texts.decodeIfPresent(String.self, forKey: .publicDescription)
        publicAnswer = try texts.decodeIfPresent(String.self, forKey: .publicAnswer)
    }

    var id: Int64? { record.id }
    var signal: Signal { record.signal }
}

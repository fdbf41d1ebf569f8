import Domain
import Foundation
import GRDB

/// The `signal` table's row.
struct SignalRecord: FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "signal"

    enum Columns {
        static let id = Column("id")
        static let reference = Column("reference")
        static let channel = Column("channel")
        static let status = Column("status")
        static let receivedAt = Column("received_at")
        static let contactEmail = Column("contact_email")
        static let dueAt = Column("due_at")
    }

    var id: Int64?
    var signal: Signal
    /// Open311's texts (`public_description`, `public_answer`) as read; written only
    /// through `Open311Text`, never by `encode`, so an update leaves them as they are.
    var publicDescription: String?
    var publicAnswer: String?

    init(signal: Signal) {
        self.signal = signal
    }

    init(row: Row) throws {
        id = row["id"]
        func decode<E: RawRepresentable>(_ type: E.Type, _ column: String) throws -> E where E.RawValue == String {
            let raw: String = row[column]
            guard let value = E(rawValue: raw) else {
                throw DatabaseError(message: "unexpected value \(raw) in signal.\(column)")
            }
            return value
        }
        var contact: ContactDetails? = ContactDetails(
            name: row["contact_name"], email: row["contact_email"], phone: row["contact_phone"],
            language: row["contact_language"], postalAddress: row["contact_postal_address"])
        if contact!.isEmpty && contact!.language == nil { contact = nil }
        var s = Signal(
            new: NewSignal(
                kind: try decode(SignalKind.self, "kind"), channel: try decode(Channel.self, "channel"),
                site: row["site"], reporter: try decode(Reporter.self, "reporter"), category: row["category"],
                mainCategory: row["main_category"], district: row["district"], address: row["address"],
                lat: row["lat"], lon: row["lon"], description: row["description"],
                experienceScore: (row["experience_score"] as Int?).flatMap(ExperienceScore.init(rawValue:)),
                contact: contact, consentForward: row["consent_forward"], receivedAt: nil,
                assisted: row["assisted"], createdBy: row["created_by"], createdByRole: nil,
                createdByTokenId: row["created_by_token_id"]),
            reference: row["reference"], receivedAt: Millis.date(row["received_at"]))
        s.status = try decode(SignalStatus.self, "status")
        s.route = (row["route"] as String?).flatMap(SignalRoute.init(rawValue:))
        s.department = row["department"]
        s.specialProcedure = row["special_procedure"]
        s.externalParty = row["external_party"]
        s.nature = (row["nature"] as String?).flatMap(Nature.init(rawValue:))
        s.outcome = try (row["outcome"] as String?).map { raw in
            guard let o = ComplaintOutcome(rawValue: raw) else { throw DatabaseError(message: "unexpected value \(raw) in signal.outcome") }
            return o
        }
        s.answer = row["answer"]
        s.answeredAt = (row["answered_at"] as Int64?).map(Millis.date)
        s.closedAt = (row["closed_at"] as Int64?).map(Millis.date)
        s.ombudsReferredAt = (row["ombuds_referred_at"] as Int64?).map(Millis.date)
        s.updatedAt = Millis.date(row["updated_at"])
        s.statusKey = row["status_key"]
        s.dueAt = (row["due_at"] as Int64?).map(Millis.date)
        s.assignee = row["assignee"]
        s.duplicateOf = row["duplicate_of"]
        s.proposedAnswer = row["proposed_answer"]
        s.sameAs = row["same_as"]
        s.photosPublic = row["photos_public"] ?? false
        signal = s
        publicDescription = row["public_description"]
        publicAnswer = row["public_answer"]
    }

    func encode(to container: inout PersistenceContainer) throws {
        let s = signal
        container["id"] = id
        container["reference"] = s.reference
        container["kind"] = s.kind.rawValue
        container["channel"] = s.channel.rawValue
        container["site"] = s.site
        container["reporter"] = s.reporter.rawValue
        container["category"] = s.category
        container["main_category"] = s.mainCategory
        container["district"] = s.district
        container["address"] = s.address
        container["lat"] = s.lat
        container["lon"] = s.lon
        container["description"] = s.description
        container["experience_score"] = s.experienceScore?.rawValue
        container["contact_name"] = s.contact?.name
        container["contact_email"] = s.contact?.email
        container["contact_phone"] = s.contact?.phone
        container["contact_language"] = s.contact?.language
        container["contact_postal_address"] = s.contact?.postalAddress
        container["consent_forward"] = s.consentForward
        container["received_at"] = Millis.from(s.receivedAt)
        container["assisted"] = s.assisted
        container["status"] = s.status.rawValue
        container["route"] = s.route?.rawValue
        container["department"] = s.department
        container["special_procedure"] = s.specialProcedure
        container["external_party"] = s.externalParty
        container["nature"] = s.nature?.rawValue
        container["outcome"] = s.outcome?.rawValue
        container["answer"] = s.answer
        container["answered_at"] = s.answeredAt.map(Millis.from)
        container["closed_at"] = s.closedAt.map(Millis.from)
        container["ombuds_referred_at"] = s.ombudsReferredAt.map(Millis.from)
        container["created_by"] = s.createdBy
        container["created_by_token_id"] = s.createdByTokenId
        container["updated_at"] = Millis.from(s.updatedAt)
        container["status_key"] = s.statusKey
        container["due_at"] = s.dueAt.map(Millis.from)
        container["assignee"] = s.assignee
        container["duplicate_of"] = s.duplicateOf
        container["proposed_answer"] = s.proposedAnswer
        container["same_as"] = s.sameAs
        container["photos_public"] = s.photosPublic
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

import Domain
import Foundation

/// A signal as the back office gets it back from a change: the signal (CONTRACT 4)
/// plus `forwarded_to`, the external party it was forwarded to with the reporter's consent.
struct BackOfficeSignalResource: Encodable {
    let signal: Signal

    enum CodingKeys: String, CodingKey {
        case forwardedTo = "forwarded_to"
    }

    func encode(to encoder: any Encoder) throws {
        try SignalResource(signal: signal).encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(signal.forwardedTo, forKey: .forwardedTo)
    }
}

/// The answer to an ombuds referral: when it was recorded and how to reach the ombudsman.
struct OmbudsReferralResource: Encodable {
    let reference: String
    let ombudsReferredAt: String?
    let ombudsman: PublicConfig.Contact

    init(signal: Signal, ombudsman: CityConfig.Contact, languages: [String]) {
        reference = signal.reference
        ombudsReferredAt = signal.ombudsReferredAt.map(Timestamp.format)
        self.ombudsman = PublicConfig.Contact(
            key: ombudsman.key, name: ombudsman.name.resolved(languages), phone: ombudsman.phone,
            email: ombudsman.email, url: ombudsman.url, address: ombudsman.address)
    }

    enum CodingKeys: String, CodingKey {
        case reference, ombudsman
        case ombudsReferredAt = "ombuds_referred_at"
    }
}

/// One entry of a signal's history: who changed which field when, from what to what.
struct HistoryEntryResource: Encodable {
    let at: String
    let who: String
    let field: String
    let oldValue: String?
    let newValue: String?

    init(_ r: SignalChangeRecord) {
        at = Timestamp.formatPrecise(Millis.date(r.at))
        who = r.actor
        field = r.field
        oldValue = r.oldValue
        newValue = r.newValue
    }

    enum CodingKeys: String, CodingKey {
        case at, who, field
        case oldValue = "old_value"
        case newValue = "new_value"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(at, forKey: .at)
        try c.encode(who, forKey: .who)
        try c.encode(field, forKey: .field)
        try c.encode(oldValue, forKey: .oldValue)
        try c.encode(newValue, forKey: .newValue)
    }
}

/// What the back-office page needs beyond the public config: the departments and
/// special procedures a signal can be routed to (internal, so not in /api/v1/config).
struct BackOfficeConfigResource: Encodable {
    struct Department: Encodable {
        let key: String
        let name: [String: String]
    }

    struct Procedure: Encodable {
        let key: String
        let name: [String: String]
        let department: String
    }

    let departments: [Department]
    let specialProcedures: [Procedure]

    init(_ c: CityConfig) {
        departments = c.departments.map { Department(key: $0.key, name: $0.name.resolved(c.languages)) }
        specialProcedures = c.specialProcedures.map {
            Procedure(key: $0.key, name: $0.name.resolved(c.languages), department: $0.department)
        }
    }

    enum CodingKeys: String, CodingKey {
        case departments
        case specialProcedures = "special_procedures"
    }
}

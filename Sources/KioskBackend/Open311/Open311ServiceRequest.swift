import Domain
import Foundation

/// A signal as a GeoReport v2 service request, for the public GET methods.
///
/// Carries no personal data: no contact field, site, channel or experience score, and
/// `description` and `status_notes` are the public texts stored when the text was
/// written (`Open311Text`); nothing is redacted here, on the read.
struct Open311ServiceRequest {
    let signal: Signal
    let publicDescription: String?
    let publicAnswer: String?
    let catalog: Open311Catalog
    let language: String
    /// The public copy of the signal's first photo, when its reporter agreed (`photos_public`, §14).
    var photoURL: String? = nil

    init(record: Open311Record, catalog: Open311Catalog, language: String) {
        signal = record.signal
        publicDescription = record.publicDescription
        publicAnswer = record.publicAnswer
        self.catalog = catalog
        self.language = language
    }

    /// `open`: reported and not yet handled (`received`, `in_progress`); `closed`: answered or closed.
    static func status(_ s: SignalStatus) -> String {
        switch s {
        case .received, .inProgress: "open"
        case .answered, .closed: "closed"
        }
    }

    /// The signal statuses behind an Open311 status.
    static func statuses(_ open311: String) -> [SignalStatus]? {
        switch open311 {
        case "open": [.received, .inProgress]
        case "closed": [.answered, .closed]
        default: nil
        }
    }

    /// The standard limits `description` to 4,000 characters; other channels allow more.
    static let maxDescription = 4000

    var node: Open311Node {
        let s = signal
        let service = catalog.service(forCategory: s.category)
        // A text not stored yet (never after migration v5) is left out rather than redacted here.
        let (description, mediaURL) = Open311Markers.splitMediaURL(publicDescription ?? "")
        let (address, addressID) = Open311Markers.splitAddressID(s.address)
        let notes = publicAnswer
        let closed = Self.status(s.status) == "closed"
        let updated = closed ? (s.closedAt ?? s.answeredAt ?? s.updatedAt) : s.updatedAt
        return .record([
            ("service_request_id", .text(s.reference)),
            ("status", .text(Self.status(s.status))),
            ("status_notes", .text(notes)),
            ("service_name", .text(service.map { catalog.name($0, language) } ?? s.category)),
            ("service_code", .text(service?.code ?? s.category.replacingOccurrences(of: "/", with: "."))),
            ("description", .text(description.isEmpty ? nil : description)),
            ("agency_responsible", .text(agency)),
            ("service_notice", .text(service.flatMap { catalog.notice($0, language) })),
            ("requested_datetime", .text(Timestamp.format(s.receivedAt))),
            ("updated_datetime", .text(Timestamp.format(updated))),
            ("expected_datetime", .text(nil)),
            ("address", .text(address)),
            ("address_id", .text(addressID)),
            ("zipcode", .text(nil)),
            ("lat", .number(s.lat)),
            ("long", .number(s.lon)),
            ("media_url", .text(mediaURL ?? photoURL)),
        ])
    }

    /// Who handles it once routed: the department, the special procedure's department,
    /// or the external party; nobody yet while O-punt has not routed it.
    var agency: String? {
        let config = catalog.config
        if let d = signal.department, let dep = config.department(d) { return dep.name.text(language) }
        if let p = signal.specialProcedure, let proc = config.specialProcedure(p), let dep = config.department(proc.department) {
            return dep.name.text(language)
        }
        if let e = signal.externalParty, let party = config.externalParty(e) { return party.name.text(language) }
        return nil
    }
}

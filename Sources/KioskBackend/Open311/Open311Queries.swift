import Domain
import Foundation
import GRDB

/// The reads behind Open311's GET requests: only signals of kind `report`, the
/// Open311 notion of a service request (complaints, suggestions and compliments
/// stay between the citizen and the city).
enum Open311Queries {
    /// At most this many requests in one answer (the standard's default volume).
    static let maxRows = 1000

    struct Filter: Sendable {
        /// Signal categories (`main` or `main/sub`), matched exactly: a service is one category.
        var categories: [String] = []
        var statuses: [SignalStatus] = []
        /// `received_at` at or after.
        var start: Date?
        /// `received_at` before (exclusive).
        var end: Date?
    }

    static func reports() -> QueryInterfaceRequest<Open311Record> {
        Open311Record.filter(SignalRecord.Columns.kind == SignalKind.report)
    }

    /// Records rather than signals: the Open311 texts are their `publicDescription` and `publicAnswer`.
    static func list(_ f: Filter, db: Database) throws -> [Open311Record] {
        var request = reports()
        if let start = f.start { request = request.filter(SignalRecord.Columns.receivedAt >= Millis.from(start)) }
        if let end = f.end { request = request.filter(SignalRecord.Columns.receivedAt < Millis.from(end)) }
        if !f.categories.isEmpty { request = request.filter(f.categories.contains(SignalRecord.Columns.category)) }
        if !f.statuses.isEmpty { request = request.filter(f.statuses.contains(SignalRecord.Columns.status)) }
        return try request
            .order(SignalRecord.Columns.receivedAt.desc, SignalRecord.Columns.id.desc)
            .limit(maxRows)
            .fetchAll(db)
    }

    /// The reports with these references, in the order asked, unknown ones left out.
    static func find(references: [String], db: Database) throws -> [Open311Record] {
        let found = try reports()
            .filter(references.contains(SignalRecord.Columns.reference))
            .fetchAll(db)
        let byReference = Dictionary(found.map { ($0.signal.reference, $0) }, uniquingKeysWith: { a, _ in a })
        return references.compactMap { byReference[$0] }
    }
}

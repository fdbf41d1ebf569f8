import Domain
import Foundation
import GRDB

/// Signal reads and writes that run inside a database access.
enum SignalQueries {
    /// The signal `new` will be, with a reference and a status key, before any database
    /// access: what depends only on it (the acknowledgement) can be made outside the write.
    static func prepare(_ new: NewSignal, now: Date) -> Signal {
        var generator = SystemRandomNumberGenerator()
        var signal = Signal(new: new, reference: Reference.make(using: &generator), receivedAt: new.receivedAt ?? now)
        signal.statusKey = StatusKey.make(using: &generator)
        return signal
    }

    /// Inserts a new signal (`prepared`, or one made now), its "created" history entry and its
    /// public texts for Open311, which keep the public contact details `keep`. The reference is
    /// unique: a prepared one already taken is replaced, so the caller compares before using
    /// anything it made from the prepared signal.
    static func insert(_ new: NewSignal, now: Date, keep: Open311Redaction.Public, prepared: Signal? = nil, db: Database) throws -> Signal {
        var generator = SystemRandomNumberGenerator()
        var signal = prepared ?? prepare(new, now: now)
        let exists = try db.cachedStatement(sql: "SELECT 1 FROM signal WHERE reference = ?")
        while try Bool.fetchOne(exists, arguments: [signal.reference]) != nil {
            signal.reference = Reference.make(using: &generator)
        }
        // "Mine is the same" (§14): the earlier signal must exist; it gets a history entry.
        var earlierId: Int64?
        if let earlier = new.sameAs {
            earlierId = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM signal WHERE reference = ?"), arguments: [earlier])
            if earlierId == nil {
                throw Problem.invalid("Invalid signal", [FieldError(field: "same_as", message: "no signal has reference \(earlier)")])
            }
        }
        var record = SignalRecord(signal: signal)
        try record.insert(db)
        if let earlierId {
            var link = SignalChangeRecord(
                id: nil, signalId: earlierId, at: Millis.from(now), actor: new.createdBy, field: "same_report",
                oldValue: nil, newValue: signal.reference)
            try link.insert(db)
        }
        try Open311Text.store(signal, id: record.id!, keep: keep, db: db)
        var change = SignalChangeRecord(
            id: nil, signalId: record.id!, at: Millis.from(now), actor: new.createdBy, field: "created",
            oldValue: nil, newValue: "\(signal.channel.rawValue)/\(signal.kind.rawValue)")
        try change.insert(db)
        return signal
    }

    static func find(reference: String, db: Database) throws -> SignalRecord? {
        try SignalRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM signal WHERE reference = ?"), arguments: [reference])
    }

    /// A stable position in the list order (newest first): `received_at` then `id`.
    struct Cursor: Equatable {
        var receivedAt: Int64
        var id: Int64

        var encoded: String { PageCursor.encode(receivedAt, id, tag: nil) }

        init(receivedAt: Int64, id: Int64) {
            self.receivedAt = receivedAt
            self.id = id
        }
    }

    struct Filter: Sendable {
        var start: Date?
        var end: Date?
        var channels: [Channel] = []
        var statuses: [SignalStatus] = []
        var kinds: [SignalKind] = []
        var reporters: [Reporter] = []
        var sites: [String] = []
        var districts: [String] = []
        var categories: [String] = []
        var limit = 50
        var cursor: Cursor?
    }

    static func list(_ f: Filter, db: Database) throws -> (items: [Signal], next: Cursor?) {
        var request = SignalRecord.all()
        if let start = f.start { request = request.filter(SignalRecord.Columns.receivedAt >= Millis.from(start)) }
        if let end = f.end { request = request.filter(SignalRecord.Columns.receivedAt < Millis.from(end)) }
        if !f.channels.isEmpty { request = request.filter(f.channels.map(\.rawValue).contains(Column("channel"))) }
        if !f.statuses.isEmpty { request = request.filter(f.statuses.map(\.rawValue).contains(Column("status"))) }
        if !f.kinds.isEmpty { request = request.filter(f.kinds.map(\.rawValue).contains(Column("kind"))) }
        if !f.reporters.isEmpty { request = request.filter(f.reporters.map(\.rawValue).contains(Column("reporter"))) }
        if !f.sites.isEmpty { request = request.filter(f.sites.contains(Column("site"))) }
        if !f.districts.isEmpty { request = request.filter(f.districts.contains(Column("district"))) }
        if !f.categories.isEmpty {
            // A main key matches its subcategories too.
            let mains = f.categories.filter { !$0.contains("/") }
            let full = f.categories.filter { $0.contains("/") }
            request = request.filter(mains.contains(Column("main_category")) || full.contains(Column("category")))
        }
        if let c = f.cursor {
            request = request.filter(
                SignalRecord.Columns.receivedAt < c.receivedAt
                    || (SignalRecord.Columns.receivedAt == c.receivedAt && SignalRecord.Columns.id < c.id))
        }
        let rows = try request
            .order(SignalRecord.Columns.receivedAt.desc, SignalRecord.Columns.id.desc)
            .limit(f.limit + 1)
            .fetchAll(db)
        let page = Array(rows.prefix(f.limit))
        var next: Cursor?
        if rows.count > f.limit, let last = page.last, let id = last.id {
            next = Cursor(receivedAt: Millis.from(last.signal.receivedAt), id: id)
        }
        return (page.map(\.signal), next)
    }
}

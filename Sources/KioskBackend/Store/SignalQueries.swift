import Domain
import Foundation
import GRDB

/// Signal reads and writes that run inside a database access.
enum SignalQueries {
    /// The signal `new` will be, with a reference and a status key, before any database
    /// access: what depends only on it (the acknowledgement) can be made outside the write.
    static func prepare(_ new: NewSignal, now: Date, due: DueDates) -> Signal {
        var generator = SystemRandomNumberGenerator()
        var signal = Signal(new: new, reference: Reference.make(using: &generator), receivedAt: new.receivedAt ?? now)
        signal.statusKey = StatusKey.make(using: &generator)
        signal.dueAt = due.dueAt(receivedAt: signal.receivedAt, kind: signal.kind)
        return signal
    }

    /// Inserts a new signal (`prepared`, or one made now), its "created" history entry and its
    /// public texts for Open311, which keep the public contact details `keep`. The reference is
    /// unique: a prepared one already taken is replaced, so the caller compares before using
    /// anything it made from the prepared signal.
    static func insert(
        _ new: NewSignal, now: Date, keep: Open311Redaction.Public, due: DueDates, prepared: Signal? = nil, db: Database
    ) throws -> Signal {
        var generator = SystemRandomNumberGenerator()
        var signal = prepared ?? prepare(new, now: now, due: due)
        let exists = try db.cachedStatement(sql: "SELECT 1 FROM signal WHERE reference = ?")
        while try Bool.fetchOne(exists, arguments: [signal.reference]) != nil {
            signal.reference = Reference.make(using: &generator)
        }
        // "Mine is the same" (§14): the earlier signal must exist; it gets a history entry.
        var earlierId: Int64?
        if let earlier = new.sameAs {
            earlierId = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM signal WHERE reference = ?"), arguments: [earlier])
            if earlierId == nil {
                throw FieldErrors("signal", [FieldError(field: "same_as", message: "no signal has reference \(earlier)")])
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

    /// A stable position in the list order: newest first (`received_at` then `id`, descending),
    /// or with `sort=due` earliest due first (`due_at` then `id`, ascending; tag `due`).
    struct Cursor: Equatable {
        var first: Int64
        var id: Int64
        var byDue: Bool

        var encoded: String { PageCursor.encode(first, id, tag: byDue ? "due" : nil) }

        init(first: Int64, id: Int64, byDue: Bool) {
            self.first = first
            self.id = id
            self.byDue = byDue
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
        var departments: [String] = []
        var assignee: String?
        /// `overdue=true`: open and due before this instant (the request's now).
        var overdueAt: Date?
        /// `q=` as an FTS5 MATCH expression (``SearchQuery``).
        var match: String?
        /// `q=` holding a whole reference.
        var reference: String?
        /// `sort=due`.
        var byDue = false
        /// A `department` caller: only the signals routed to it (docs/interface.md §3).
        var routedTo: String?
        var limit = 50
        var cursor: Cursor?
    }

    /// How `q=` finds its page (bench/search.sh). The full-text query runs once, its ids read in
    /// the direction the list walks (newest first: descending; by due date: ascending, as ids
    /// mostly follow both). When it holds at most ``fewMatches`` they are looked up by id and
    /// sorted. More (a common word): the list's order index is walked and each id asked of the
    /// matches, read on only as far as that id, so a page usually needs a page's worth of them.
    /// Should the walk need more than ``heldMatches`` in memory (ids far out of order), SQLite
    /// walks the order index against its own copy of the matches instead.
    struct SearchPaths: Sendable {
        var fewMatches = 2_000
        var heldMatches = 200_000
    }

    static func list(_ f: Filter, db: Database, search: SearchPaths = SearchPaths()) throws -> (items: [Signal], next: Cursor?) {
        var request = SignalRecord.all()
        if let start = f.start { request = request.filter(SignalRecord.Columns.receivedAt >= Millis.from(start)) }
        if let end = f.end { request = request.filter(SignalRecord.Columns.receivedAt < Millis.from(end)) }
        if !f.channels.isEmpty { request = request.filter(f.channels.map(\.rawValue).contains(SignalRecord.Columns.channel)) }
        if !f.statuses.isEmpty { request = request.filter(f.statuses.map(\.rawValue).contains(SignalRecord.Columns.status)) }
        if !f.kinds.isEmpty { request = request.filter(f.kinds.map(\.rawValue).contains(SignalRecord.Columns.kind)) }
        if !f.reporters.isEmpty { request = request.filter(f.reporters.map(\.rawValue).contains(SignalRecord.Columns.reporter)) }
        if !f.sites.isEmpty { request = request.filter(f.sites.contains(SignalRecord.Columns.site)) }
        if !f.districts.isEmpty { request = request.filter(f.districts.contains(SignalRecord.Columns.district)) }
        if !f.departments.isEmpty { request = request.filter(f.departments.contains(SignalRecord.Columns.department)) }
        if let assignee = f.assignee { request = request.filter(SignalRecord.Columns.assignee == assignee) }
        if let routedTo = f.routedTo {
            request = request.filter(
                SignalRecord.Columns.department == routedTo
                    && [SignalRoute.opunt.rawValue, SignalRoute.specialProcedure.rawValue].contains(SignalRecord.Columns.route))
        }
        if let at = f.overdueAt {
            request = request.filter(
                [SignalStatus.received.rawValue, SignalStatus.inProgress.rawValue].contains(SignalRecord.Columns.status)
                    && SignalRecord.Columns.dueAt < Millis.from(at))
        }
        if let reference = f.reference { request = request.filter(SignalRecord.Columns.reference == reference) }
        // A common word's matches, asked while the order index is walked.
        var many: Matches?
        if let match = f.match {
            // One full-text query: a prefix term (every word is one) costs FTS5 a merge of every
            // posting of the words it starts, whatever the LIMIT, so it is not run twice.
            let matches = try Matches(match: match, descending: !f.byDue, db: db)
            if try matches.readAll(upTo: search.fewMatches) {
                request = request.filter(matches.seen.contains(SignalRecord.Columns.id))
            } else {
                many = matches
            }
        }
        if !f.categories.isEmpty {
            // A main key matches its subcategories too.
            let mains = f.categories.filter { !$0.contains("/") }
            let full = f.categories.filter { $0.contains("/") }
            request = request.filter(mains.contains(SignalRecord.Columns.mainCategory) || full.contains(SignalRecord.Columns.category))
        }
        let id = SignalRecord.Columns.id
        if f.byDue {
            let due = SignalRecord.Columns.dueAt
            if let c = f.cursor {
                request = request.filter(due > c.first || (due == c.first && id > c.id))
            }
            request = request.order(due.asc, id.asc)
        } else {
            let received = SignalRecord.Columns.receivedAt
            if let c = f.cursor {
                request = request.filter(received < c.first || (received == c.first && id < c.id))
            }
            request = request.order(received.desc, id.desc)
        }
        // The page's ids first (the sort reads only what it orders by), then their rows.
        var ids: [Int64]?
        if let many {
            var found: [Int64] = []
            let walk = try Int64.fetchCursor(db, request.select(SignalRecord.Columns.id))
            while found.count <= f.limit, let id = try walk.next() {
                guard let match = try many.contains(id, holdingAtMost: search.heldMatches) else { break }
                if match { found.append(id) }
            }
            if many.seen.count <= search.heldMatches { ids = found }
        }
        if ids == nil, let match = f.match, many != nil {
            // Too many held: the same walk, SQLite holding the matches (`+id` keeps it from
            // looking them up by id).
            request = request.filter(sql: "+id IN (SELECT rowid FROM signal_search WHERE signal_search MATCH ?)", arguments: [match])
        }
        let pageIds = try ids ?? Int64.fetchAll(db, request.select(SignalRecord.Columns.id).limit(f.limit + 1))
        let byId = Dictionary(
            uniqueKeysWithValues: try SignalRecord.filter(pageIds.contains(SignalRecord.Columns.id)).fetchAll(db).map { ($0.id!, $0) })
        let rows = pageIds.compactMap { byId[$0] }
        let page = Array(rows.prefix(f.limit))
        var next: Cursor?
        if rows.count > f.limit, let last = page.last, let lastId = last.id {
            let first = f.byDue ? Millis.from(last.signal.dueAt ?? last.signal.receivedAt) : Millis.from(last.signal.receivedAt)
            next = Cursor(first: first, id: lastId, byDue: f.byDue)
        }
        return (page.map(\.signal), next)
    }

    /// The ids a full-text query matches, read in one direction of id as far as asked.
    final class Matches {
        private let cursor: FastDatabaseValueCursor<Int64>
        private let descending: Bool
        /// Every id read so far.
        private(set) var seen: Set<Int64> = []
        /// The last id read; every match before it (in the reading direction) has been read.
        private var frontier: Int64?
        private var done = false

        init(match: String, descending: Bool, db: Database) throws {
            self.descending = descending
            cursor = try Int64.fetchCursor(
                db, sql: "SELECT rowid FROM signal_search WHERE signal_search MATCH ? ORDER BY rowid \(descending ? "DESC" : "ASC")",
                arguments: [match])
        }

        private func readOne() throws {
            if let id = try cursor.next() {
                seen.insert(id)
                frontier = id
            } else {
                done = true
            }
        }

        /// Reads every match if there are at most `count`; whether it did.
        func readAll(upTo count: Int) throws -> Bool {
            while !done, seen.count <= count { try readOne() }
            return done
        }

        /// Whether `id` matches, reading on past it; nil once more than `limit` are held.
        func contains(_ id: Int64, holdingAtMost limit: Int) throws -> Bool? {
            while !done, let frontier, descending ? frontier > id : frontier < id {
                if seen.count > limit { return nil }
                try readOne()
            }
            return seen.contains(id)
        }
    }

    /// The signals closed as duplicates of `reference` that have no answer yet.
    static func unansweredDuplicates(of reference: String, db: Database) throws -> [SignalRecord] {
        try SignalRecord.fetchAll(
            db, sql: "SELECT * FROM signal WHERE duplicate_of = ? AND answer IS NULL ORDER BY id", arguments: [reference])
    }
}

import CallLog
import Domain
import Foundation
import GRDB

/// Call reads and writes that run inside a database access (docs/interface.md §8).
public enum CallQueries {
    // MARK: Exchange events

    /// Applies one exchange event to its call, in the current transaction: reads
    /// the call by `call_id`, folds the event in with ``CallStateMachine``, and
    /// inserts or updates the row. A duplicate (the state machine gives the
    /// record back unchanged) writes nothing.
    ///
    /// Once a call's numbers were removed for retention, a late event does not bring them back.
    static func apply(_ event: CallEvent, at arrival: Date, reporter: String, db: Database) throws -> CallRow {
        let existing = try CallRow.find(callId: event.callId, db: db)
        var record = CallStateMachine.apply(event, at: arrival, to: existing?.record)
        if existing?.personalDataRemovedAt != nil {
            record = record.removingPersonalData()
        }
        if var row = existing {
            guard row.record != record else { return row }
            let newlyAnswered = row.record.answeredAt == nil && record.answeredAt != nil
            row.record = record
            row.updatedAt = arrival
            try row.updateExchangeColumns(db)
            if newlyAnswered { try clearCallbacks(returnedBy: row, actor: record.agent ?? reporter, now: arrival, db: db) }
            return row
        }
        var row = CallRow(record: record, createdBy: reporter, updatedAt: arrival)
        try row.insert(db)
        if record.answeredAt != nil { try clearCallbacks(returnedBy: row, actor: record.agent ?? reporter, now: arrival, db: db) }
        return row
    }

    /// Takes off the call-back list the unanswered inbound calls that `row`, an answered call,
    /// returns: those of the same caller (``CallerKey``) that arrived before it. An outbound
    /// call clears them as `called_back`, an inbound one (the caller rang again and got
    /// through) as `answered`; each keeps who and which call did it. Returns how many.
    @discardableResult
    static func clearCallbacks(returnedBy row: CallRow, actor: String, now: Date, db: Database) throws -> Int {
        guard let id = row.id, row.record.answeredAt != nil, let key = CallerKey.of(row.record),
              let arrived = row.record.arrivedAt
        else { return 0 }
        let reason: CallbackClearing = row.record.direction == .outbound ? .calledBack : .answered
        let nowMs = Millis.from(now)
        try db.cachedStatement(
            sql: """
                UPDATE call INDEXED BY call_on_caller_key
                SET callback_cleared_at = ?, callback_cleared_by = ?, callback_cleared_reason = ?,
                    callback_cleared_by_call = ?, updated_at = ?
                WHERE caller_key = ? AND arrived_at <= ? AND id <> ?
                  AND direction = 'in' AND callback_cleared_at IS NULL AND answered_at IS NULL
                  AND state IN ('abandoned', 'missed')
                """
        ).execute(arguments: [nowMs, actor, reason.rawValue, id, nowMs, key, Millis.from(arrived), id])
        return db.changesCount
    }

    // MARK: Reading

    static func find(id: Int64, db: Database) throws -> CallRow? {
        try CallRow.filter(CallRow.Columns.id == id).fetchOne(db)
    }

    /// A stable position in the list order (newest first): `arrived_at` then `id`.
    struct Cursor: Equatable, Sendable {
        var arrivedAt: Int64
        var id: Int64

        init(arrivedAt: Int64, id: Int64) {
            self.arrivedAt = arrivedAt
            self.id = id
        }

        var encoded: String { PageCursor.encode(arrivedAt, id, tag: Self.tag) }
        static let tag = "call"
    }

    struct Filter: Sendable {
        var start: Date
        var end: Date
        /// Only calls without a logged outcome.
        var unlogged = false
        var direction: CallDirection?
        var limit = 50
        var cursor: Cursor?
    }

    /// Calls that arrived in the filter's range, newest first, one page.
    static func list(_ f: Filter, db: Database) throws -> (items: [CallRow], next: Cursor?) {
        var conditions = ["arrived_at >= ?", "arrived_at < ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [Millis.from(f.start), Millis.from(f.end)]
        if f.unlogged { conditions.append("outcome IS NULL") }
        if let direction = f.direction {
            conditions.append("direction = ?")
            arguments.append(direction.rawValue)
        }
        if let c = f.cursor {
            conditions.append("(arrived_at < ? OR (arrived_at = ? AND id < ?))")
            arguments += [c.arrivedAt, c.arrivedAt, c.id]
        }
        arguments.append(f.limit + 1)
        let rows = try CallRow.fetchAll(
            db,
            sql: """
                SELECT * FROM call INDEXED BY call_on_arrived_at WHERE \(conditions.joined(separator: " AND "))
                ORDER BY arrived_at DESC, id DESC LIMIT ?
                """,
            arguments: StatementArguments(arguments))
        let page = Array(rows.prefix(f.limit))
        var next: Cursor?
        if rows.count > f.limit, let last = page.last, let id = last.id, let at = last.record.arrivedAt {
            next = Cursor(arrivedAt: Millis.from(at), id: id)
        }
        return (page, next)
    }

    // MARK: Agents' work

    /// A change to one field of a PATCH: left alone, set, or cleared with `null`.
    enum Change<Value: Sendable & Equatable>: Sendable, Equatable {
        case keep
        case set(Value?)

        func applied(to current: Value?) -> Value? {
            switch self {
            case .keep: current
            case .set(let value): value
            }
        }
    }

    /// What an agent logs about a call (docs/interface.md §8).
    struct LogEntry: Sendable, Equatable {
        var outcome: Change<CallOutcome> = .keep
        var topic: Change<String> = .keep
        var note: Change<String> = .keep
        var signalReference: Change<String> = .keep

        var isEmpty: Bool {
            self == LogEntry()
        }
    }

    /// Applies a log entry to a call in memory, checking the rules that need the
    /// database: the signal must exist, and outcome `signal` needs one.
    ///
    /// - Throws: ``FieldErrors`` naming `signal_reference`.
    static func log(_ entry: LogEntry, to row: inout CallRow, by actor: String, now: Date, db: Database) throws {
        var errors = FieldErrors("call log")
        let reference = entry.signalReference.applied(to: row.signalReference)
        if case .set(let given?) = entry.signalReference {
            if try SignalQueries.find(reference: given, db: db) == nil {
                errors.add("signal_reference", "no signal has the reference \(given.prefix(20))")
            }
        }
        let outcome = entry.outcome.applied(to: row.outcome)
        if outcome == .signal && reference == nil && errors.isEmpty {
            errors.add("signal_reference", "is required when outcome is signal")
        }
        guard errors.isEmpty else { throw errors }
        row.outcome = outcome
        row.signalReference = reference
        row.topic = entry.topic.applied(to: row.topic)
        row.note = entry.note.applied(to: row.note)
        row.loggedBy = actor
        row.loggedAt = now
        row.updatedAt = now
    }

    /// Writes what an agent logged about a stored call.
    static func saveLog(_ row: CallRow, db: Database) throws {
        guard let id = row.id else { preconditionFailure("logging a call that was never stored") }
        try db.execute(
            sql: """
                UPDATE call SET outcome = ?, topic = ?, note = ?, signal_reference = ?, logged_by = ?,
                       logged_at = ?, updated_at = ?
                WHERE id = ?
                """,
            arguments: [
                row.outcome?.rawValue, row.topic, row.note, row.signalReference, row.loggedBy,
                row.loggedAt.map(Millis.from), Millis.from(row.updatedAt), id,
            ])
    }

    /// Why a signal cannot be linked to a call.
    enum LinkError: Error, Equatable {
        /// The call is gone (404).
        case noCall(Int64)
        /// The call already has this signal (409).
        case alreadyLinked(String)
    }

    /// Marks a call as having produced a signal, in the signal's transaction.
    ///
    /// - Throws: ``LinkError``.
    static func linkSignal(_ reference: String, toCall id: Int64, by actor: String, now: Date, db: Database) throws {
        guard var row = try find(id: id, db: db) else { throw LinkError.noCall(id) }
        if let existing = row.signalReference { throw LinkError.alreadyLinked(existing) }
        row.outcome = .signal
        row.signalReference = reference
        row.loggedBy = actor
        row.loggedAt = now
        row.updatedAt = now
        try saveLog(row, db: db)
    }

    /// Stores a call an agent logs without events from the exchange: answered by
    /// that agent, ended at `endedAt`, left out of the figures.
    static func insertManual(
        direction: CallDirection, from: String?, to: String?, arrivedAt: Date, endedAt: Date,
        entry: LogEntry, agent: String, now: Date, db: Database
    ) throws -> CallRow {
        let record = CallRecord(
            callId: "manual-\(UUID().uuidString.lowercased())", direction: direction, from: from, to: to,
            agents: [agent], arrivedAt: arrivedAt, answeredAt: arrivedAt, endedAt: endedAt, state: .answered)
        var row = CallRow(record: record, manual: true, createdBy: agent, updatedAt: now)
        if !entry.isEmpty {
            try log(entry, to: &row, by: agent, now: now, db: db)
        }
        try row.insert(db)
        // A call an agent logs was answered (by the agent, or by the citizen called back).
        try clearCallbacks(returnedBy: row, actor: agent, now: now, db: db)
        return try find(id: row.id ?? 0, db: db) ?? row
    }

    // MARK: A caller's history

    /// One page of the caller's other calls: those with the same ``CallerKey`` as `row`
    /// (from or to that number), newest first, in `call_on_caller_key`'s order. A call
    /// without a usable number has no history.
    static func history(of row: CallRow, limit: Int, cursor: Cursor?, db: Database) throws -> (items: [CallRow], next: Cursor?) {
        guard let id = row.id, let key = CallerKey.of(row.record) else { return ([], nil) }
        var conditions = ["caller_key = ?", "id <> ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [key, id]
        if let c = cursor {
            conditions.append("(arrived_at < ? OR (arrived_at = ? AND id < ?))")
            arguments += [c.arrivedAt, c.arrivedAt, c.id]
        }
        arguments.append(limit + 1)
        let rows = try CallRow.fetchAll(
            db,
            sql: """
                SELECT * FROM call INDEXED BY call_on_caller_key WHERE \(conditions.joined(separator: " AND "))
                ORDER BY caller_key DESC, arrived_at DESC, id DESC LIMIT ?
                """,
            arguments: StatementArguments(arguments))
        let page = Array(rows.prefix(limit))
        var next: Cursor?
        if rows.count > limit, let last = page.last, let lastId = last.id, let at = last.record.arrivedAt {
            next = Cursor(arrivedAt: Millis.from(at), id: lastId)
        }
        return (page, next)
    }

    // MARK: Call-back list

    /// One entry of the call-back list: the latest unanswered call of a number, and how many there were.
    struct Callback: Sendable {
        var call: CallRow
        var attempts: Int
    }

    /// Inbound calls that ended without an answer, from a number to call back,
    /// not yet cleared, and not followed by an answered call with that number
    /// (compared as ``CallerKey``): one entry per number (its latest call), newest first.
    ///
    /// An answered call clears the ones it returns when it is stored (``clearCallbacks(returnedBy:actor:now:db:)``);
    /// the `NOT EXISTS` also covers calls stored before that rule.
    static func callbacks(start: Date, end: Date, limit: Int, db: Database) throws -> [Callback] {
        let rows = try CallRow.fetchAll(
            db,
            sql: """
                SELECT * FROM call AS c INDEXED BY call_callbacks
                WHERE c.callback_cleared_at IS NULL AND c.answered_at IS NULL AND c.state IN ('abandoned', 'missed')
                  AND c.arrived_at >= ? AND c.arrived_at < ?
                  AND c.direction = 'in' AND c.from_number IS NOT NULL AND lower(c.from_number) <> 'anonymous'
                  AND NOT EXISTS (
                    SELECT 1 FROM call AS later INDEXED BY call_on_caller_key
                    WHERE later.caller_key = c.caller_key AND later.arrived_at > c.arrived_at
                      AND later.answered_at IS NOT NULL)
                ORDER BY c.arrived_at DESC, c.id DESC
                """,
            arguments: [Millis.from(start), Millis.from(end)])
        var entries: [Callback] = []
        var index: [String: Int] = [:]
        for row in rows where row.awaitsCallback {
            guard let number = CallerKey.of(row.record) ?? row.record.callbackNumber else { continue }
            if let at = index[number] {
                entries[at].attempts += 1
            } else {
                index[number] = entries.count
                entries.append(Callback(call: row, attempts: 1))
            }
        }
        return Array(entries.prefix(limit))
    }

    /// Takes a call off the call-back list, with every earlier one from the same
    /// number; returns the call, or nil when there is none with this id.
    static func clearCallback(id: Int64, by actor: String, now: Date, db: Database) throws -> CallRow? {
        guard let row = try find(id: id, db: db) else { return nil }
        let nowMs = Millis.from(now)
        try db.execute(
            sql: """
                UPDATE call SET callback_cleared_at = ?, callback_cleared_by = ?, callback_cleared_reason = ?, updated_at = ?
                WHERE callback_cleared_at IS NULL AND answered_at IS NULL AND state IN ('abandoned', 'missed')
                  AND (id = ? OR (direction = 'in' AND caller_key = ? AND arrived_at <= ?))
                """,
            arguments: [
                nowMs, actor, CallbackClearing.cleared.rawValue, nowMs, id, CallerKey.of(row.record),
                row.record.arrivedAt.map(Millis.from),
            ])
        return try find(id: id, db: db)
    }

    // MARK: Figures

    /// The outcomes in the order of the report query's outcome number (0 is not logged).
    private static let outcomeByNumber: [CallOutcome?] = [nil] + CallOutcome.allCases

    /// `CASE outcome WHEN 'information' THEN 1 … ELSE 0 END`: a number per row
    /// instead of a string, so a million rows build no strings.
    private static let outcomeNumberSQL: String = {
        let whens = CallOutcome.allCases.enumerated().map { "WHEN '\($1.rawValue)' THEN \($0 + 1)" }
        return "CASE outcome \(whens.joined(separator: " ")) ELSE 0 END"
    }()

    /// The columns of one inbound call that the calls report reads; a missing instant is `Int64.min`.
    struct ReportRow: Sendable {
        var arrivedAt: Int64
        var answeredAt: Int64
        var endedAt: Int64
        /// 0 when not logged, else the place of the outcome in ``CallOutcome/allCases`` plus one.
        var outcome: UInt8
    }

    /// The inbound calls (not logged by hand) that arrived in `[start, end)` milliseconds:
    /// one range scan of the covering index `call_report`, no table row read.
    static func reportRows(from start: Int64, to end: Int64, db: Database) throws -> [ReportRow] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT arrived_at, answered_at, ended_at, \(outcomeNumberSQL)
                FROM call INDEXED BY call_report
                WHERE direction = 'in' AND manual = 0 AND arrived_at >= ? AND arrived_at < ?
                """)
        var rows: [ReportRow] = []
        let cursor = try Row.fetchCursor(statement, arguments: [start, end])
        while let row = try cursor.next() {
            let answered: Int64? = row[1]
            let ended: Int64? = row[2]
            let outcome: Int = row[3]
            rows.append(
                ReportRow(
                    arrivedAt: row[0], answeredAt: answered ?? .min, endedAt: ended ?? .min,
                    outcome: UInt8(clamping: outcome)))
        }
        return rows
    }

    /// Cuts a range of instants into `count` consecutive pieces of (nearly) equal length, in
    /// milliseconds, so that pieces can be scanned on several reader connections at once.
    static func reportPieces(_ interval: DateInterval, count: Int) -> [(start: Int64, end: Int64)] {
        let start = Millis.from(interval.start)
        let end = Millis.from(interval.end)
        let pieces = max(1, min(count, Int(max(1, end - start))))
        let step = (end - start) / Int64(pieces)
        return (0..<pieces).map { i in
            (start + Int64(i) * step, i == pieces - 1 ? end : start + Int64(i + 1) * step)
        }
    }

    /// The figures of the calls report (docs/interface.md §7–8): each stored call fed to
    /// ``CallFiguresTally``, so the rules live in one place (CallLog). Calls logged
    /// by hand have no times from the exchange and are not among the rows.
    static func figures(
        of parts: [[ReportRow]], interval: DateInterval, timeZone: TimeZone, serviceLevelSeconds: Int,
        shortAbandonSeconds: Int
    ) -> CallFigures {
        var tally = CallFiguresTally(
            interval: interval, timeZone: timeZone, serviceLevelSeconds: serviceLevelSeconds,
            shortAbandonSeconds: shortAbandonSeconds)
        let outcomes = outcomeByNumber
        for part in parts {
            for row in part {
                let outcome = Int(row.outcome)
                tally.addInbound(
                    arrivedAt: Millis.date(row.arrivedAt),
                    answeredAt: row.answeredAt == .min ? nil : Millis.date(row.answeredAt),
                    endedAt: row.endedAt == .min ? nil : Millis.date(row.endedAt),
                    isEnded: row.endedAt != .min,
                    outcome: outcome < outcomes.count ? outcomes[outcome] : nil)
            }
        }
        return tally.figures
    }

    /// The figures over the calls that arrived in `interval`, read in one snapshot.
    static func figures(
        interval: DateInterval, timeZone: TimeZone, serviceLevelSeconds: Int, shortAbandonSeconds: Int,
        db: Database
    ) throws -> CallFigures {
        let rows = try reportRows(from: Millis.from(interval.start), to: Millis.from(interval.end), db: db)
        return figures(
            of: [rows], interval: interval, timeZone: timeZone, serviceLevelSeconds: serviceLevelSeconds,
            shortAbandonSeconds: shortAbandonSeconds)
    }

    /// Inbound calls logged by hand that arrived in the range (not in the figures).
    static func manualCount(interval: DateInterval, db: Database) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM call INDEXED BY call_report
                WHERE direction = 'in' AND manual = 1 AND arrived_at >= ? AND arrived_at < ?
                """,
            arguments: [Millis.from(interval.start), Millis.from(interval.end)]) ?? 0
    }

    // MARK: Personal data

    /// Blanks the numbers (and the agent's free-text note) of calls that arrived
    /// before `cutoff`; everything the figures read stays. Returns how many calls changed.
    ///
    /// For the retention purge: call it with `now − retention_days`.
    public static func removePersonalData(olderThan cutoff: Date, now: Date, db: Database) throws -> Int {
        try removePersonalData(db, cutoff: Millis.from(cutoff), now: Millis.from(now))
    }

    /// ``removePersonalData(olderThan:now:db:)`` with instants in Unix milliseconds,
    /// as the retention purge (`Retention.purge`) calls it.
    static func removePersonalData(_ db: Database, cutoff: Int64, now: Int64) throws -> Int {
        try db.execute(
            sql: """
                UPDATE call INDEXED BY call_on_arrived_at
                SET from_number = NULL, to_number = NULL, caller_key = NULL, note = NULL, personal_data_removed_at = ?, updated_at = ?
                WHERE arrived_at < ? AND personal_data_removed_at IS NULL
                """,
            arguments: [now, now, cutoff])
        return db.changesCount
    }

    /// Ids of the calls from or to a phone number, compared as `PersonalData.normalizePhone` does.
    static func callIds(withNumber number: String, db: Database) throws -> [Int64] {
        let wanted = PersonalData.normalizePhone(number)
        guard wanted.count >= 6 else { return [] }
        return try Row.fetchAll(
            db, sql: "SELECT id, from_number, to_number FROM call WHERE from_number IS NOT NULL OR to_number IS NOT NULL"
        )
        .filter { row in
            [row["from_number"] as String?, row["to_number"] as String?]
                .contains { $0.map(PersonalData.normalizePhone) == wanted }
        }
        .map { $0["id"] }
    }

    /// The calls held on a person, for an access request (`PersonalData.export`).
    static func exportPersonalData(_ db: Database, _ subject: PersonalData.Subject) throws -> (String, JSONValue) {
        guard case .phone(let number) = subject else { return ("calls", .array([])) }
        var calls: [JSONValue] = []
        for id in try callIds(withNumber: number, db: db) {
            guard let row = try find(id: id, db: db) else { continue }
            let data = try JSONEncoder().encode(CallResource(row, personalData: true))
            calls.append(try JSONValue.parse(Array(data)))
        }
        return ("calls", .array(calls))
    }

    /// Blanks a person's numbers in their calls, for an erasure request (`PersonalData.erase`).
    static func erasePersonalData(_ db: Database, _ subject: PersonalData.Subject, now: Int64) throws -> Int {
        guard case .phone(let number) = subject else { return 0 }
        let ids = try callIds(withNumber: number, db: db)
        for id in ids {
            try db.execute(
                sql: """
                    UPDATE call SET from_number = NULL, to_number = NULL, caller_key = NULL, note = NULL,
                           personal_data_removed_at = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [now, now, id])
        }
        return ids.count
    }
}

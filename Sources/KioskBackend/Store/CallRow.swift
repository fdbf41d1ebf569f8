import CallLog
import Foundation
import GRDB

/// The `call` table's row: a call as the exchange's events described it
/// (a ``CallRecord``), and what an agent logged about it.
struct CallRow: FetchableRecord, TableRecord, Sendable, Equatable {
    static let databaseTableName = "call"

    enum Columns {
        static let id = Column("id")
        static let callId = Column("call_id")
        static let arrivedAt = Column("arrived_at")
    }

    var id: Int64?
    var record: CallRecord
    var outcome: CallOutcome?
    var topic: String?
    var note: String?
    var signalReference: String?
    var loggedBy: String?
    var loggedAt: Date?
    var callbackClearedAt: Date?
    var callbackClearedBy: String?
    /// Why it left the call-back list.
    var callbackClearedReason: CallbackClearing?
    /// Our id of the call that returned it (reasons `called_back` and `answered`).
    var callbackClearedByCall: Int64?
    /// Logged by an agent without events from the exchange.
    var manual: Bool
    /// The token name that reported the call: the exchange's, or the agent's for a manual one.
    var createdBy: String
    var updatedAt: Date
    var personalDataRemovedAt: Date?

    init(
        id: Int64? = nil, record: CallRecord, outcome: CallOutcome? = nil, topic: String? = nil,
        note: String? = nil, signalReference: String? = nil, loggedBy: String? = nil, loggedAt: Date? = nil,
        manual: Bool = false, createdBy: String, updatedAt: Date
    ) {
        self.id = id
        self.record = record
        self.outcome = outcome
        self.topic = topic
        self.note = note
        self.signalReference = signalReference
        self.loggedBy = loggedBy
        self.loggedAt = loggedAt
        self.manual = manual
        self.createdBy = createdBy
        self.updatedAt = updatedAt
    }

    /// Whether the call is on the call-back list: ``CallRecord/needsCallback`` and nobody cleared it yet.
    var awaitsCallback: Bool {
        record.needsCallback && callbackClearedAt == nil
    }

    init(row: Row) throws {
        func decode<E: RawRepresentable>(_ type: E.Type, _ column: String) throws -> E where E.RawValue == String {
            let raw: String = row[column]
            guard let value = E(rawValue: raw) else {
                throw DatabaseError(message: "unexpected value \(raw) in call.\(column)")
            }
            return value
        }
        let agents = AgentsColumn.decode(row["agents"])
        let eventsText: String = row["events"]
        let events = eventsText.split(separator: ",").compactMap { CallEventKind(rawValue: String($0)) }
        id = row["id"]
        record = CallRecord(
            callId: row["call_id"],
            direction: try decode(CallDirection.self, "direction"),
            from: row["from_number"], to: row["to_number"], queue: row["queue"], agents: agents,
            answeringNumber: row["answering_number"],
            arrivedAt: Millis.date(row["arrived_at"]),
            answeredAt: (row["answered_at"] as Int64?).map(Millis.date),
            endedAt: (row["ended_at"] as Int64?).map(Millis.date),
            cause: (row["cause"] as String?).map(HangupCause.init(rawValue:)),
            state: try decode(CallState.self, "state"),
            appliedEvents: events)
        outcome = try (row["outcome"] as String?).map { raw in
            guard let value = CallOutcome(rawValue: raw) else {
                throw DatabaseError(message: "unexpected value \(raw) in call.outcome")
            }
            return value
        }
        topic = row["topic"]
        note = row["note"]
        signalReference = row["signal_reference"]
        loggedBy = row["logged_by"]
        loggedAt = (row["logged_at"] as Int64?).map(Millis.date)
        callbackClearedAt = (row["callback_cleared_at"] as Int64?).map(Millis.date)
        callbackClearedBy = row["callback_cleared_by"]
        callbackClearedReason = (row["callback_cleared_reason"] as String?).flatMap(CallbackClearing.init(rawValue:))
        callbackClearedByCall = row["callback_cleared_by_call"]
        manual = row["manual"]
        createdBy = row["created_by"]
        updatedAt = Millis.date(row["updated_at"])
        personalDataRemovedAt = (row["personal_data_removed_at"] as Int64?).map(Millis.date)
    }

    /// The columns the exchange's events set, in the order of ``exchangeValues``.
    static let exchangeColumns = [
        "direction", "from_number", "to_number", "queue", "agents", "answering_number",
        "arrived_at", "answered_at", "ended_at", "cause", "state", "events", "caller_key",
    ]

    /// The values of ``exchangeColumns`` for this call.
    var exchangeValues: [(any DatabaseValueConvertible)?] {
        let r = record
        return [
            r.direction.rawValue, r.from, r.to, r.queue, AgentsColumn.encode(r.agents), r.answeringNumber,
            Millis.from(r.arrivedAt ?? updatedAt), r.answeredAt.map(Millis.from), r.endedAt.map(Millis.from),
            r.cause?.rawValue, r.state.rawValue, r.appliedEvents.map(\.rawValue).joined(separator: ","),
            CallerKey.of(r),
        ]
    }

    static let insertColumns =
        ["call_id"] + exchangeColumns + [
            "outcome", "topic", "note", "signal_reference", "logged_by", "logged_at", "manual", "created_by",
            "updated_at",
        ]
    static let insertSQL =
        "INSERT INTO call (\(insertColumns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: insertColumns.count).joined(separator: ", ")))"
    static let updateSQL =
        "UPDATE call SET \((exchangeColumns + ["updated_at"]).map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    /// The exchange's call with this id, through a cached statement: every exchange event reads one.
    /// Calls an agent logged by hand are never found, whatever id the exchange sends (migration v5).
    static func find(callId: String, db: Database) throws -> CallRow? {
        try CallRow.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM call WHERE call_id = ? AND manual = 0"), arguments: [callId])
    }

    /// Inserts the row with every column; sets ``id``.
    mutating func insert(_ db: Database) throws {
        let values: [(any DatabaseValueConvertible)?] =
            [record.callId] + exchangeValues + [
                outcome?.rawValue, topic, note, signalReference, loggedBy, loggedAt.map(Millis.from), manual,
                createdBy, Millis.from(updatedAt),
            ]
        try db.cachedStatement(sql: Self.insertSQL).execute(arguments: StatementArguments(values))
        id = db.lastInsertedRowID
    }

    /// Writes the columns the exchange's events set, and `updated_at`; the agent's log stays.
    func updateExchangeColumns(_ db: Database) throws {
        guard let id else { preconditionFailure("updating a call that was never stored") }
        try db.cachedStatement(sql: Self.updateSQL)
            .execute(arguments: StatementArguments(exchangeValues + [Millis.from(updatedAt), id]))
    }
}

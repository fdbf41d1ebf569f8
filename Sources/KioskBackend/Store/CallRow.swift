import CallLog
import Foundation
import GRDB

/// The `call` table's row: a call as the exchange's events described it
/// (a ``CallRecord``), and what an agent logged about it.
struct CallRow: FetchableRecord, TableRecord, Sendable, Equatable {
    static let databaseTableName = "call"

    /// Every column of `call`, each named once: the reads, the writes and the queries use these.
    enum Columns: String, ColumnExpression, CaseIterable {
        case id
        case callId = "call_id"
        case direction
        case fromNumber = "from_number"
        case toNumber = "to_number"
        case queue, agents
        case answeringNumber = "answering_number"
        case arrivedAt = "arrived_at"
        case answeredAt = "answered_at"
        case endedAt = "ended_at"
        case cause, state, events, outcome, topic, note
        case signalReference = "signal_reference"
        case loggedBy = "logged_by"
        case loggedAt = "logged_at"
        case callbackClearedAt = "callback_cleared_at"
        case callbackClearedBy = "callback_cleared_by"
        case callbackClearedReason = "callback_cleared_reason"
        case callbackClearedByCall = "callback_cleared_by_call"
        case manual
        case createdBy = "created_by"
        case updatedAt = "updated_at"
        case personalDataRemovedAt = "personal_data_removed_at"
        /// The other party's number, normalised (``CallerKey``); derived from the record when written.
        case callerKey = "caller_key"
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
        typealias C = Columns
        func date(_ column: Columns) throws -> Date? { try (row.decode(Int64?.self, forColumn: column)).map(Millis.date) }
        let eventsText: String = try row.decode(forColumn: C.events)
        id = try row.decode(forColumn: C.id)
        record = CallRecord(
            callId: try row.decode(forColumn: C.callId),
            direction: try row.decode(forColumn: C.direction),
            from: try row.decode(forColumn: C.fromNumber), to: try row.decode(forColumn: C.toNumber),
            queue: try row.decode(forColumn: C.queue), agents: AgentsColumn.decode(try row.decode(forColumn: C.agents)),
            answeringNumber: try row.decode(forColumn: C.answeringNumber),
            arrivedAt: Millis.date(try row.decode(forColumn: C.arrivedAt)),
            answeredAt: try date(C.answeredAt),
            endedAt: try date(C.endedAt),
            cause: try row.decode(forColumn: C.cause),
            state: try row.decode(forColumn: C.state),
            appliedEvents: eventsText.split(separator: ",").compactMap { CallEventKind(rawValue: String($0)) })
        outcome = try row.decode(forColumn: C.outcome)
        topic = try row.decode(forColumn: C.topic)
        note = try row.decode(forColumn: C.note)
        signalReference = try row.decode(forColumn: C.signalReference)
        loggedBy = try row.decode(forColumn: C.loggedBy)
        loggedAt = try date(C.loggedAt)
        callbackClearedAt = try date(C.callbackClearedAt)
        callbackClearedBy = try row.decode(forColumn: C.callbackClearedBy)
        callbackClearedReason = try row.decode(forColumn: C.callbackClearedReason)
        callbackClearedByCall = try row.decode(forColumn: C.callbackClearedByCall)
        manual = try row.decode(forColumn: C.manual)
        createdBy = try row.decode(forColumn: C.createdBy)
        updatedAt = Millis.date(try row.decode(forColumn: C.updatedAt))
        personalDataRemovedAt = try date(C.personalDataRemovedAt)
    }

    /// The columns the exchange's events set, in the order of ``exchangeValues``.
    static let exchangeColumns: [Columns] = [
        .direction, .fromNumber, .toNumber, .queue, .agents, .answeringNumber,
        .arrivedAt, .answeredAt, .endedAt, .cause, .state, .events, .callerKey,
    ]

    /// The values of ``exchangeColumns`` for this call.
    var exchangeValues: [(any DatabaseValueConvertible)?] {
        let r = record
        return [
            r.direction, r.from, r.to, r.queue, AgentsColumn.encode(r.agents), r.answeringNumber,
            Millis.from(r.arrivedAt ?? updatedAt), r.answeredAt.map(Millis.from), r.endedAt.map(Millis.from),
            r.cause, r.state, r.appliedEvents.map(\.rawValue).joined(separator: ","),
            CallerKey.of(r),
        ]
    }

    static let insertColumns: [Columns] =
        [.callId] + exchangeColumns + [
            .outcome, .topic, .note, .signalReference, .loggedBy, .loggedAt, .manual, .createdBy, .updatedAt,
        ]
    static let insertSQL =
        "INSERT INTO call (\(insertColumns.map(\.rawValue).joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: insertColumns.count).joined(separator: ", ")))"
    static let updateSQL =
        "UPDATE call SET \((exchangeColumns + [.updatedAt]).map { "\($0.rawValue) = ?" }.joined(separator: ", ")) WHERE id = ?"

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
                outcome, topic, note, signalReference, loggedBy, loggedAt.map(Millis.from), manual,
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

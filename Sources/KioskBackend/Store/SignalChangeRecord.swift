import Foundation
import GRDB

/// One entry of a signal's history: who changed which field when, from what to what.
struct SignalChangeRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "signal_change"

    var id: Int64?
    var signalId: Int64
    var at: Int64
    var actor: String
    var field: String
    var oldValue: String?
    var newValue: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, at, actor, field
        case signalId = "signal_id"
        case oldValue = "old_value"
        case newValue = "new_value"
    }

    /// The columns, for requests: the coding keys, which name each column once.
    typealias Columns = CodingKeys
}

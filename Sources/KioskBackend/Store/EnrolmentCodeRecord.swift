import GRDB

/// The `enrolment_code` table's row: a one-time code's hash, the kiosk it enrols, and whether it was used.
struct EnrolmentCodeRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "enrolment_code"

    var id: Int64?
    var hash: String
    var site: String
    var name: String
    var createdAt: Int64
    var expiresAt: Int64
    var usedAt: Int64?
    var tokenId: Int64?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, hash, site, name
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case usedAt = "used_at"
        case tokenId = "token_id"
    }

    /// The columns, for requests: the coding keys, which name each column once.
    typealias Columns = CodingKeys

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

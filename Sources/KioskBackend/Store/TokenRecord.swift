import Domain
import Foundation
import GRDB

/// The `token` table's row: a bearer token's role, site and the hash of its secret.
struct TokenRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "token"

    var id: Int64?
    var name: String
    var role: Role
    var site: String?
    var hash: String
    var createdAt: Int64
    var revokedAt: Int64?
    /// The department a `department` token is bound to (docs/interface.md §3).
    var department: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, name, role, site, hash, department
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }

    /// The columns, for requests: the coding keys, which name each column once.
    typealias Columns = CodingKeys

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

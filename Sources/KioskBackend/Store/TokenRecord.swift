import Domain
import Foundation
import GRDB

/// The `token` table's row: a bearer token's role, site and the hash of its secret.
struct TokenRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable {
    static let databaseTableName = "token"

    enum Columns {
        static let hash = Column("hash")
        static let role = Column("role")
        static let revokedAt = Column("revoked_at")
        static let name = Column("name")
    }

    var id: Int64?
    var name: String
    var role: String
    var site: String?
    var hash: String
    var createdAt: Int64
    var revokedAt: Int64?
    /// The department a `department` token is bound to (docs/interface.md §3).
    var department: String?

    enum CodingKeys: String, CodingKey {
        case id, name, role, site, hash, department
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

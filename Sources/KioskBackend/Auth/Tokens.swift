import Domain
import Foundation
import GRDB

/// Token administration and lookup (docs/interface.md §1 and 3).
public struct Tokens: Sendable {
    public struct Info: Encodable, Sendable {
        public var id: Int64
        public var name: String
        public var role: String
        public var site: String?
        public var department: String?
        public var createdAt: String
        public var revokedAt: String?

        enum CodingKeys: String, CodingKey {
            case id, name, role, site, department
            case createdAt = "created_at"
            case revokedAt = "revoked_at"
        }
    }

    public enum TokenError: Error, CustomStringConvertible, Equatable {
        case siteRequired(Role)
        case siteNotAllowed(Role)
        case unknownSite(String, known: [String])
        case departmentRequired
        case departmentNotAllowed(Role)
        case unknownDepartment(String, known: [String])
        case emptyName
        case notFound(String)

        public var description: String {
            switch self {
            case .siteRequired(let r): "a \(r.rawValue) token must be bound to a site: add --site SITE"
            case .siteNotAllowed(let r): "a \(r.rawValue) token is not bound to a site: leave out --site"
            case .unknownSite(let s, let known): "unknown site '\(s)' (known: \(known.joined(separator: ", ")))"
            case .departmentRequired: "a department token must be bound to a department: add --department KEY"
            case .departmentNotAllowed(let r): "a \(r.rawValue) token is not bound to a department: leave out --department"
            case .unknownDepartment(let d, let known): "unknown department '\(d)' (known: \(known.joined(separator: ", ")))"
            case .emptyName: "--name must not be empty: it names the device or person in the history"
            case .notFound(let s): "no active token '\(s)' (give its id or name; see 'token list')"
            }
        }
    }

    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Creates a token and returns its secret, which is shown once and never stored.
    public func create(
        role: Role, name: String, site: String?, department: String? = nil, config: CityConfig?, now: Date = Date()
    ) throws -> String {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw TokenError.emptyName }
        if role.needsSite && site == nil { throw TokenError.siteRequired(role) }
        if !role.needsSite && site != nil { throw TokenError.siteNotAllowed(role) }
        if let site, let config, config.site(site) == nil {
            throw TokenError.unknownSite(site, known: config.sites.map(\.key))
        }
        if role.needsDepartment && department == nil { throw TokenError.departmentRequired }
        if !role.needsDepartment && department != nil { throw TokenError.departmentNotAllowed(role) }
        if let department {
            // A department key must be one the config knows; without a config there is nothing to bind to.
            guard let config, config.department(department) != nil else {
                throw TokenError.unknownDepartment(department, known: config?.departments.map(\.key) ?? [])
            }
        }
        return try store.writeNow { db in
            try Self.insert(db, role: role, name: name, site: site, department: department, now: now).secret
        }
    }

    /// Stores a new token's hash in an open transaction; returns its secret and id.
    /// The caller has checked the role, name and site.
    static func insert(
        _ db: Database, role: Role, name: String, site: String?, department: String? = nil, now: Date
    ) throws -> (secret: String, id: Int64) {
        let secret = TokenSecret.generate()
        var record = TokenRecord(
            id: nil, name: name, role: role, site: site, hash: TokenSecret.hash(secret),
            createdAt: Millis.from(now), revokedAt: nil, department: department)
        try record.insert(db)
        return (secret, record.id!)
    }

    public func list() throws -> [Info] {
        try store.readNow { db in
            try TokenRecord.order(TokenRecord.Columns.id).fetchAll(db).map(Self.info)
        }
    }

    /// Revokes the active tokens matching an id or a name; returns how many.
    @discardableResult
    public func revoke(_ idOrName: String, now: Date = Date()) throws -> Int {
        let count = try store.writeNow { db in
            let request = TokenRecord.filter(TokenRecord.Columns.revokedAt == nil)
            let matching = Int64(idOrName).map { request.filter(TokenRecord.Columns.id == $0) }
                ?? request.filter(TokenRecord.Columns.name == idOrName)
            return try matching.updateAll(db, TokenRecord.Columns.revokedAt.set(to: Millis.from(now)))
        }
        if count == 0 { throw TokenError.notFound(idOrName) }
        return count
    }

    /// Whether any active admin token exists (the first start creates one otherwise).
    public func hasActiveAdmin() throws -> Bool {
        try store.readNow { db in
            try TokenRecord.filter(TokenRecord.Columns.role == Role.admin && TokenRecord.Columns.revokedAt == nil)
                .fetchCount(db) > 0
        }
    }

    /// The caller a presented token stands for, or nil for an unknown or revoked one.
    /// Read from the database every time, so a revocation takes effect at once.
    func caller(for secret: String) throws -> (caller: Caller, tokenId: Int64)? {
        guard secret.count <= 200 else { return nil }
        let hash = TokenSecret.hash(secret)
        let record = try store.readOneStatement { db -> TokenRecord? in
            // A cached statement: this runs on every authenticated request.
            do {
                return try TokenRecord.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM token WHERE hash = ? AND revoked_at IS NULL"),
                    arguments: [hash])
            } catch is RowDecodingError {
                // A row this version cannot read (a role it does not know, written by a newer one):
                // no caller, as for an unknown token, rather than an error on every request.
                return nil
            }
        }
        guard let record, TokenSecret.constantTimeEquals(record.hash, hash), let id = record.id
        else { return nil }
        return (Caller(role: record.role, name: record.name, site: record.site, tokenId: id, department: record.department), id)
    }

    static func info(_ r: TokenRecord) -> Info {
        Info(
            id: r.id ?? 0, name: r.name, role: r.role.rawValue, site: r.site, department: r.department,
            createdAt: Timestamp.format(Millis.date(r.createdAt)),
            revokedAt: r.revokedAt.map { Timestamp.format(Millis.date($0)) })
    }
}

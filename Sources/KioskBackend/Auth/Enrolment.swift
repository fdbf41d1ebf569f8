import Domain
import Foundation
import GRDB

/// Kiosk enrolment (docs/interface.md §10): an administrator makes a one-time code on the command
/// line; the device exchanges it once for its own kiosk token, so no token is ever in a URL.
public struct Enrolment: Sendable {
    /// What an exchange hands the device.
    public struct Granted: Encodable, Sendable {
        public var token: String
        public var site: String
    }

    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Makes a code for a kiosk at `site` named `name` and returns it as printed (`ABCD-EFGH`).
    /// Only a hash is stored. The site is checked against the config, as for `token create`.
    public func createCode(site: String, name: String, config: CityConfig?, now: Date = Date()) throws -> String {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw Tokens.TokenError.emptyName }
        if let config, config.site(site) == nil {
            throw Tokens.TokenError.unknownSite(site, known: config.sites.map(\.key))
        }
        return try store.writeNow { db in
            var code: String
            var hash: String
            repeat {
                code = EnrolmentCode.generate()
                hash = EnrolmentCode.hash(EnrolmentCode.normalize(code)!)
            } while try EnrolmentCodeRecord.filter(EnrolmentCodeRecord.Columns.hash == hash).fetchCount(db) > 0
            var record = EnrolmentCodeRecord(
                id: nil, hash: hash, site: site, name: name, createdAt: Millis.from(now),
                expiresAt: Millis.from(now.addingTimeInterval(EnrolmentCode.validity)), usedAt: nil, tokenId: nil)
            try record.insert(db)
            return code
        }
    }

    /// Exchanges a typed code for a new kiosk token, once: nil for a code that is unknown,
    /// expired or already used (one answer for all three, so a guess learns nothing).
    ///
    /// The code is marked used and the token created in one write job; write jobs run one
    /// after another, so of two concurrent exchanges of one code exactly one sees it unused.
    func exchange(_ typed: String, config: CityConfig, now: Date) async throws -> Granted? {
        guard let normalized = EnrolmentCode.normalize(typed) else { return nil }
        let hash = EnrolmentCode.hash(normalized)
        let nowMillis = Millis.from(now)
        return try await store.write { db -> Granted? in
            guard let code = try EnrolmentCodeRecord
                .filter(EnrolmentCodeRecord.Columns.hash == hash && EnrolmentCodeRecord.Columns.usedAt == nil)
                .fetchOne(db),
                TokenSecret.constantTimeEquals(code.hash, hash),
                code.expiresAt > nowMillis,
                config.site(code.site) != nil
            else { return nil }
            // The conditional update is what makes the code single-use.
            try db.execute(
                sql: "UPDATE enrolment_code SET used_at = ? WHERE id = ? AND used_at IS NULL",
                arguments: [nowMillis, code.id])
            guard db.changesCount == 1 else { return nil }
            let token = try Tokens.insert(db, role: .kiosk, name: code.name, site: code.site, now: now)
            try db.execute(sql: "UPDATE enrolment_code SET token_id = ? WHERE id = ?", arguments: [token.id, code.id])
            return Granted(token: token.secret, site: code.site)
        }
    }
}

import Domain
import Foundation
import GRDB

/// Drafts (docs/interface.md §5): a kiosk saves a half-filled form, the desk of the same site finishes it.
enum DraftRoutes {
    /// Six characters without 0/O/1/I/L/U, easy to read out at the desk.
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTVWXYZ")

    struct DraftResource: Encodable {
        let code: String
        let site: String
        let language: String
        let answers: JSONValue
        let createdAt: String
        let expiresAt: String

        enum CodingKeys: String, CodingKey {
            case code, site, language, answers
            case createdAt = "created_at"
            case expiresAt = "expires_at"
        }
    }

    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("POST", "/api/v1/drafts") { ctx in
                try ctx.require([.kiosk], to: "save drafts")
                let body = try ctx.jsonObject()
                let r = JSONReader(body, subject: "draft")
                r.rejectUnknownKeys(["answers", "language"])
                let answers = r.object("answers", required: true)
                if let answers { checkAnswerSizes(answers) }
                let language = r.string("language", maxLength: 5) ?? "nl"
                if !env.config.languages.contains(language) {
                    r.fail("language", "must be one of \(env.config.languages.joined(separator: ", "))")
                }
                guard r.errors.isEmpty, let answers, let site = ctx.caller.site else {
                    throw r.errors
                }
                let answersJSON = String(decoding: try JSONEncoder().encode(JSONValue.object(answers.object)), as: UTF8.self)
                let limits = env.config.kiosk
                if answersJSON.utf8.count > limits.draftMaxBytes {
                    throw Problem(
                        status: 413, title: "Draft too large",
                        detail: "A draft holds a half-filled form: at most \(limits.draftMaxBytes) bytes of answers as JSON.",
                        errors: [FieldError(field: "answers", message: "must be at most \(limits.draftMaxBytes) bytes as JSON")])
                }
                let now = env.now()
                let expires = now.addingTimeInterval(TimeInterval(limits.draftTTLMinutes * 60))
                let creator = ctx.caller.name
                let tokenId = ctx.caller.tokenId
                let code = try await env.store.write { db in
                    // Checked in the write transaction, so concurrent posts cannot both take the last place.
                    try checkDraftLimits(site: site, tokenId: tokenId, limits: limits, now: Millis.from(now), db: db)
                    var generator = SystemRandomNumberGenerator()
                    var code: String
                    repeat {
                        code = String((0..<6).map { _ in alphabet.randomElement(using: &generator)! })
                    } while try Row.fetchOne(db, sql: "SELECT 1 FROM draft WHERE code = ?", arguments: [code]) != nil
                    try db.execute(
                        sql: """
                            INSERT INTO draft (code, site, language, answers, created_by, token_id, created_at, expires_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [code, site, language, answersJSON, creator, tokenId, Millis.from(now), Millis.from(expires)])
                    return code
                }
                return .json(["code": code, "expires_at": Timestamp.format(expires)], status: 201)
            },
            Route("GET", "/api/v1/drafts/{code}") { ctx in
                try ctx.require([.desk, .coordinator, .admin], to: "open drafts")
                let draft = try await openDraft(ctx, env: env)
                return .json(draft)
            },
            Route("POST", "/api/v1/drafts/{code}/submit") { ctx in
                try ctx.require([.desk, .coordinator, .admin], to: "submit drafts")
                let body = try ctx.jsonObject()
                let idempotency = try Idempotency.from(ctx)
                let draft = try await openDraft(ctx, env: env, allowSubmitted: idempotency != nil)
                // The signal stays a kiosk signal of the draft's site, finished with help.
                let asKiosk = Caller(role: .kiosk, name: ctx.caller.name, site: draft.site, tokenId: ctx.caller.tokenId)
                let new = try env.intake.validate(body, caller: asKiosk, assisted: true, now: env.now())
                let code = draft.code
                return try await SignalRoutes.create(new, idempotency: idempotency, caller: ctx.caller, env: env) { signal, db in
                    try db.execute(
                        sql: "UPDATE draft SET signal_reference = ? WHERE code = ? AND signal_reference IS NULL",
                        arguments: [signal.reference, code])
                    if db.changesCount == 0 {
                        throw Problem.conflict("This draft was already submitted.")
                    }
                }
            },
        ]
    }

    /// A draft holds what a signal body would, unchecked until it is submitted; but no text
    /// in it may be longer than a signal's longest field (``SignalRules/descriptionMaxLength``,
    /// in characters and in bytes), so a draft cannot store what a signal could not.
    static func checkAnswerSizes(_ r: JSONReader) {
        let maxLength = SignalRules.descriptionMaxLength
        for key in r.object.keys.sorted() {
            switch r.object[key] {
            case .string(let text)?:
                if text.count > maxLength {
                    r.fail(key, "must be at most \(maxLength) characters")
                } else if text.utf8.count > 4 * maxLength {
                    r.fail(key, "must be at most \(4 * maxLength) bytes")
                }
            case .object?:
                if let inner = r.object(key) { checkAnswerSizes(inner) }
            default:
                break
            }
        }
    }

    /// An hour in milliseconds: the window of `kiosk.drafts_per_hour`.
    static let hour: Int64 = 3_600_000

    /// Refuses a new draft (429 with `Retry-After`) when the kiosk token saved
    /// `drafts_per_hour` drafts in the last hour, or the site already holds
    /// `open_drafts_per_site` drafts that are neither expired nor submitted.
    static func checkDraftLimits(
        site: String, tokenId: Int64?, limits: CityConfig.Kiosk, now: Int64, db: Database
    ) throws {
        func retryAfter(_ until: Int64) -> Int { max(1, Int((until - now + 999) / 1000)) }
        if let tokenId,
            let row = try Row.fetchOne(
                db, sql: "SELECT count(*) AS n, min(created_at) AS oldest FROM draft WHERE token_id = ? AND created_at > ?",
                arguments: [tokenId, now - hour]),
            let n: Int = row["n"], n >= limits.draftsPerHour, let oldest: Int64 = row["oldest"]
        {
            let wait = retryAfter(oldest + hour)
            throw Problem(
                status: 429, title: "Too many drafts",
                detail: "This kiosk saved \(n) drafts in the last hour, the most allowed; try again in \(wait) seconds.",
                headers: [("Retry-After", "\(wait)")])
        }
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT count(*) AS n, min(expires_at) AS first FROM draft
                WHERE site = ? AND expires_at > ? AND signal_reference IS NULL
                """,
            arguments: [site, now]),
            let n: Int = row["n"], n >= limits.openDraftsPerSite, let first: Int64 = row["first"]
        {
            let wait = retryAfter(first)
            throw Problem(
                status: 429, title: "Too many open drafts",
                detail: "This site holds \(n) open drafts, the most allowed; the desk finishes them or they expire. "
                    + "Try again in \(wait) seconds.",
                headers: [("Retry-After", "\(wait)")])
        }
    }

    /// The draft named in the path, if it exists, has not expired, was not yet submitted,
    /// and belongs to the desk's site. Another site's draft is a 404, not a 403: its existence is not shown.
    static func openDraft(_ ctx: RequestContext, env: AppEnvironment, allowSubmitted: Bool = false) async throws -> DraftResource {
        let code = ctx.parameter("code").uppercased()
        let now = Millis.from(env.now())
        let found = try await env.store.read { db -> (DraftResource, Int64, Bool)? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM draft WHERE code = ?", arguments: [code]) else {
                return nil
            }
            let answersText: String = row["answers"]
            let answers = (try? JSONValue.parse(Array(answersText.utf8))) ?? .object([:])
            let draft = DraftResource(
                code: code, site: row["site"], language: row["language"], answers: answers,
                createdAt: Timestamp.format(Millis.date(row["created_at"])),
                expiresAt: Timestamp.format(Millis.date(row["expires_at"])))
            return (draft, row["expires_at"], (row["signal_reference"] as String?) != nil)
        }
        let notFound = Problem.notFound("No open draft with code \(code.prefix(12)) at this site.")
        guard let (draft, expiresAt, submitted) = found else { throw notFound }
        if let bound = ctx.caller.site, bound != draft.site { throw notFound }
        if expiresAt <= now { throw notFound }
        if !allowSubmitted && submitted { throw notFound }
        return draft
    }
}

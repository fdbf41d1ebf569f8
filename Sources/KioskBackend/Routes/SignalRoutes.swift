import Domain
import Foundation
import GRDB

/// Create, read and list signals (docs/interface.md §4).
enum SignalRoutes {
    static let readers: Set<Role> = [.agent, .desk, .coordinator, .admin]

    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("POST", "/api/v1/signals", authenticated: false) { ctx in
                let body = try ctx.jsonObject()
                let idempotency = try Idempotency.from(ctx)
                let new = try env.intake.validate(body, caller: ctx.caller, now: env.now())
                return try await create(new, idempotency: idempotency, caller: ctx.caller, env: env)
            },
            Route("GET", "/api/v1/signals/{reference}") { ctx in
                try ctx.require(readers, to: "read signals")
                let reference = Reference.normalize(ctx.parameter("reference"))
                guard Reference.isWellFormed(reference),
                      let record = try await env.store.read({ db in try SignalQueries.find(reference: reference, db: db) })
                else { throw Problem.notFound("No signal with reference \(ctx.parameter("reference").prefix(40)).") }
                return .json(SignalResource(signal: record.signal, for: ctx.caller))
            },
            Route("GET", "/api/v1/signals") { ctx in
                try ctx.require(readers, to: "list signals")
                let filter = try listFilter(ctx, config: env.config)
                let page = try await env.store.read { db in try SignalQueries.list(filter, db: db) }
                return .json(Page(items: page.items.map { SignalResource(signal: $0, for: ctx.caller) }, nextCursor: page.next?.encoded))
            },
        ]
    }

    /// Stores a validated signal; answers 201 only after the commit, with the signal as
    /// `caller` may see it (``PersonalDataPolicy``).
    static func create(
        _ new: NewSignal, idempotency: Idempotency?, caller: Caller, env: AppEnvironment,
        alsoInTransaction: (@Sendable (Signal, Database) throws -> Void)? = nil
    ) async throws -> HTTPResponse {
        let now = env.now
        let keep = env.publicContacts
        let composer = env.composer
        // A queued acknowledgement goes out at once after the commit, not at the worker's next look.
        defer { env.outboxChanged() }
        return try await env.store.write { db in
            if let idempotency, let first = try idempotency.replay(db) { return first }
            let signal = try SignalQueries.insert(new, now: now(), keep: keep, db: db)
            try alsoInTransaction?(signal, db)
            try composer.queueAfterCreate(signal, now: now(), db: db)
            // The status key goes to the creator once, here; an idempotent replay repeats this answer.
            var response = HTTPResponse.json(SignalResource.created(signal, for: caller), status: 201)
            response.setHeader("Location", "/api/v1/signals/\(signal.reference)")
            try idempotency?.remember(response, now: now(), db: db)
            return response
        }
    }

    /// Reads the list filters; 422 naming every bad query argument.
    static func listFilter(_ ctx: RequestContext, config: CityConfig) throws -> SignalQueries.Filter {
        var errors = FieldErrors()
        var f = SignalQueries.Filter()
        let q = ctx.request

        func list<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) -> [E] where E.RawValue == String {
            guard let raw = q.queryValue(name), !raw.isEmpty else { return [] }
            var out: [E] = []
            for part in raw.split(separator: ",") {
                if let v = E(rawValue: String(part)) { out.append(v) } else {
                    errors.add(name, "must be one or more of " + E.allCases.map(\.rawValue).joined(separator: ", "))
                    return []
                }
            }
            return out
        }
        func keys(_ name: String, known: Set<String>) -> [String] {
            guard let raw = q.queryValue(name), !raw.isEmpty else { return [] }
            let parts = raw.split(separator: ",").map(String.init)
            if let bad = parts.first(where: { !known.contains($0) }) {
                errors.add(name, "unknown key \"\(bad.prefix(60))\"")
                return []
            }
            return parts
        }

        f.channels = list("channel", Channel.self)
        f.statuses = list("status", SignalStatus.self)
        f.kinds = list("kind", SignalKind.self)
        f.reporters = list("reporter", Reporter.self)
        f.sites = keys("site", known: Set(config.sites.map(\.key)))
        f.districts = keys("district", known: Set(config.districts.map(\.key)))
        f.categories = keys("category", known: Set(config.categoryKeys))

        var from: LocalDay?
        var to: LocalDay?
        if let s = q.queryValue("from") {
            from = LocalDay(s)
            if from == nil { errors.add("from", "must be a date YYYY-MM-DD") }
        }
        if let s = q.queryValue("to") {
            to = LocalDay(s)
            if to == nil { errors.add("to", "must be a date YYYY-MM-DD") }
        }
        if let from, let to, to < from { errors.add("to", "must not be before from") }
        f.start = from?.start(in: config.timeZone)
        f.end = to?.end(in: config.timeZone)

        if let s = q.queryValue("limit") {
            if let n = Int(s), (1...500).contains(n) { f.limit = n } else { errors.add("limit", "must be 1 to 500") }
        }
        if let s = q.queryValue("cursor"), !s.isEmpty {
            f.cursor = SignalQueries.Cursor(s)
            if f.cursor == nil { errors.add("cursor", "is not a cursor this service gave out") }
        }
        guard errors.isEmpty else { throw Problem.invalid("Invalid query", errors.all) }
        return f
    }
}

import Domain
import Foundation
import GRDB

/// Create, read and list signals (docs/interface.md §4).
enum SignalRoutes {
    static let readers: Set<Role> = [.agent, .desk, .coordinator, .admin, .department]

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
                      let record = try env.store.readOneStatement({ db in try SignalQueries.find(reference: reference, db: db) }),
                      mayRead(record.signal, ctx.caller)
                else { throw Problem.notFound("No signal with reference \(ctx.parameter("reference").prefix(40)).") }
                return .json(SignalResource(signal: record.signal, for: ctx.caller, view: env.signalView))
            },
            Route("GET", "/api/v1/signals") { ctx in
                try ctx.require(readers, to: "list signals")
                let view = env.signalView
                var filter = try listFilter(ctx, config: env.config, now: view.now)
                if ctx.caller.role == .department { filter.routedTo = ctx.caller.department ?? "" }
                await leaveServerThread()  // a search walks the full-text index
                let page = try await env.store.read { [filter] db in try SignalQueries.list(filter, db: db) }
                return .json(Page(
                    items: page.items.map { SignalResource(signal: $0, for: ctx.caller, view: view) }, nextCursor: page.next?.encoded))
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
        let view = env.signalView
        // A queued acknowledgement goes out at once after the commit, not at the worker's next look.
        defer { env.outboxChanged() }
        // The acknowledgement is rendered before the write: the writer is one thread shared by
        // every request, and rendering is most of a signal's CPU. It is queued in the same
        // transaction as the signal, so it exists exactly when the signal does.
        let due = DueDates(config: env.config)
        let prepared = SignalQueries.prepare(new, now: now(), due: due)
        let acknowledgement = composer.compose(.acknowledgement, signal: prepared)
        return try await env.store.write { db in
            if let idempotency, let first = try idempotency.replay(db) { return first }
            let signal = try SignalQueries.insert(new, now: now(), keep: keep, due: due, prepared: prepared, db: db)
            try alsoInTransaction?(signal, db)
            if signal.reference == prepared.reference {
                try composer.queue(acknowledgement, now: now(), db: db)
            } else {
                try composer.queueAfterCreate(signal, now: now(), db: db)  // the prepared reference was taken
            }
            // The status key goes to the creator once, here; an idempotent replay repeats this answer.
            var response = HTTPResponse.json(SignalResource.created(signal, for: caller, view: view), status: 201)
            response.setHeader("Location", "/api/v1/signals/\(signal.reference)")
            try idempotency?.remember(response, now: now(), db: db)
            return response
        }
    }

    /// Reads the list filters; 422 naming every bad query argument.
    static func listFilter(_ ctx: RequestContext, config: CityConfig, now: Date) throws -> SignalQueries.Filter {
        let q = QueryReader { ctx.request.queryValue($0) }
        var f = SignalQueries.Filter()
        f.channels = q.list("channel", Channel.self)
        f.statuses = q.list("status", SignalStatus.self)
        f.kinds = q.list("kind", SignalKind.self)
        f.reporters = q.list("reporter", Reporter.self)
        f.sites = q.keys("site", known: Set(config.sites.map(\.key)))
        f.districts = q.keys("district", known: Set(config.districts.map(\.key)))
        f.categories = q.keys("category", known: Set(config.categoryKeys))
        let (from, to) = q.days()
        f.start = from?.start(in: config.timeZone)
        f.end = to?.end(in: config.timeZone)
        f.departments = q.keys("department", known: Set(config.departments.map(\.key)))
        if let assignee = q.string("assignee") {
            if assignee.utf8.count > SignalUpdate.maxAssignee * 4 {
                q.fail("assignee", "must be at most \(SignalUpdate.maxAssignee * 4) bytes")
            } else {
                f.assignee = assignee.trimmingWhitespace()
            }
        }
        switch q.string("overdue") {
        case nil, "false": break
        case "true": f.overdueAt = now
        default: q.fail("overdue", "must be true or false")
        }
        if let text = q.string("q") {
            // A whole reference is looked up as such, on its unique index.
            let reference = Reference.normalize(text.trimmingCharacters(in: .whitespaces))
            if text.utf8.count <= SearchQuery.maxBytes, Reference.isWellFormed(reference) {
                f.reference = reference
            } else {
                do throws(SearchQuery.Refusal) { f.match = try SearchQuery.match(text) } catch { q.fail("q", error.message) }
            }
        }
        switch q.string("sort") {
        case nil, "received": break
        case "due": f.byDue = true
        default: q.fail("sort", "must be due (earliest due first) or received (newest first, the default)")
        }
        f.limit = q.limit()
        f.cursor = q.cursor(tag: f.byDue ? "due" : nil).map { [byDue = f.byDue] in
            SignalQueries.Cursor(first: $0.0, id: $0.1, byDue: byDue)
        }
        try q.check()
        return f
    }

    /// Whether `caller` may read `signal` at all: a department only the signals routed to it
    /// (docs/interface.md §3); the other readers every signal (personal data aside).
    static func mayRead(_ signal: Signal, _ caller: Caller) -> Bool {
        guard caller.role == .department else { return true }
        guard let department = caller.department else { return false }
        return signal.isRouted(to: department)
    }
}

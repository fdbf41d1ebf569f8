import CallLog
import Domain
import Foundation
import GRDB

/// The agents' work on the 0800 line (docs/interface.md §8): today's calls, logging an
/// outcome, a phone signal straight from a call, calls the exchange did not
/// report, and the call-back list.
enum CallRoutes {
    static let roles: Set<Role> = [.agent, .coordinator, .admin]

    /// The fields of a PATCH (and of a hand-logged call) that log the agent's work.
    static let logFields: Set<String> = ["outcome", "topic", "note", "signal_reference"]
    static let topicLength = 200
    static let noteLength = 2000
    static let numberLength = 40
    /// A caller's history shows this many calls a page unless `limit` says otherwise.
    static let historyLimit = 20

    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("GET", "/api/v1/calls") { ctx in
                try ctx.require(roles, to: "list calls")
                let filter = try listFilter(ctx, env: env)
                let page = try await env.store.read { db in try CallQueries.list(filter, db: db) }
                return .json(Page(items: page.items.map { CallResource($0, for: ctx.caller) }, nextCursor: page.next?.encoded))
            },
            Route("POST", "/api/v1/calls") { ctx in
                try ctx.require(roles, to: "log calls")
                return try await createManual(ctx, env: env)
            },
            // Before `/api/v1/calls/{id}`, which would otherwise take `callbacks` for an id.
            Route("GET", "/api/v1/calls/callbacks") { ctx in
                try ctx.require(roles, to: "read the call-back list")
                let q = QueryReader { ctx.request.queryValue($0) }
                let range = DayQuery.range(q, env: env, defaultDays: 7)
                let limit = q.limit()
                guard q.errors.isEmpty, let range else { throw q.errors }
                let entries = try await env.store.read { db in
                    try CallQueries.callbacks(start: range.interval.start, end: range.interval.end, limit: limit, db: db)
                }
                return .json(Page(items: entries.map { CallResource($0.call, attempts: $0.attempts, for: ctx.caller) }, nextCursor: nil))
            },
            Route("GET", "/api/v1/calls/{id}") { ctx in
                try ctx.require(roles, to: "read calls")
                let id = try callId(ctx)
                guard let row = try await env.store.read({ db in try CallQueries.find(id: id, db: db) }) else {
                    throw notFound(ctx)
                }
                return .json(CallResource(row, for: ctx.caller))
            },
            Route("GET", "/api/v1/calls/{id}/history") { ctx in
                try ctx.require(roles, to: "read a caller's history")
                let id = try callId(ctx)
                let q = QueryReader { ctx.request.queryValue($0) }
                let limit = q.limit(default: historyLimit)
                let cursor = q.cursor(tag: CallQueries.Cursor.tag).map { CallQueries.Cursor(arrivedAt: $0.0, id: $0.1) }
                guard q.errors.isEmpty else { throw q.errors }
                let notFound = notFound(ctx)
                let (items, next) = try await env.store.read { db -> ([(CallRow, Signal?)], CallQueries.Cursor?) in
                    guard let row = try CallQueries.find(id: id, db: db) else { throw notFound }
                    let page = try CallQueries.history(of: row, limit: limit, cursor: cursor, db: db)
                    let items = try page.items.map { call in
                        (call, try call.signalReference.flatMap { try SignalQueries.find(reference: $0, db: db)?.signal })
                    }
                    return (items, page.next)
                }
                return .json(Page(items: items.map { CallHistoryItem($0.0, signal: $0.1, for: ctx.caller) }, nextCursor: next?.encoded))
            },
            Route("PATCH", "/api/v1/calls/{id}") { ctx in
                try ctx.require(roles, to: "log calls")
                let id = try callId(ctx)
                let body = try ctx.jsonObject()
                let r = JSONReader(body, subject: "call log")
                r.rejectUnknownKeys(logFields, message: "is not a field an agent logs (outcome, topic, note, signal_reference)")
                let entry = logEntry(body, r)
                if entry.isEmpty && r.errors.isEmpty {
                    r.fail("outcome", "give at least one of outcome, topic, note, signal_reference")
                }
                guard r.errors.isEmpty else { throw r.errors }
                let actor = ctx.caller.name
                let now = env.now
                let notFound = notFound(ctx)
                let row = try await env.store.write { db in
                    guard var row = try CallQueries.find(id: id, db: db) else { throw notFound }
                    try CallQueries.log(entry, to: &row, by: actor, now: now(), db: db)
                    try CallQueries.saveLog(row, db: db)
                    return row
                }
                return .json(CallResource(row, for: ctx.caller))
            },
            Route("POST", "/api/v1/calls/{id}/signal") { ctx in
                try ctx.require(roles, to: "create signals from calls")
                let id = try callId(ctx)
                let body = try ctx.jsonObject()
                let idempotency = try Idempotency.from(ctx)
                // A signal from a call is a phone signal of a citizen, whoever types it in.
                let asAgent = Caller(role: .agent, name: ctx.caller.name, tokenId: ctx.caller.tokenId)
                let new = try env.intake.validate(body, caller: asAgent, now: env.now())
                guard try await env.store.read({ db in try CallQueries.find(id: id, db: db) }) != nil else {
                    throw notFound(ctx)
                }
                let actor = ctx.caller.name
                let now = env.now
                return try await SignalRoutes.create(new, idempotency: idempotency, caller: ctx.caller, env: env) { signal, db in
                    try CallQueries.linkSignal(signal.reference, toCall: id, by: actor, now: now(), db: db)
                }
            },
            Route("POST", "/api/v1/calls/{id}/callback-cleared") { ctx in
                try ctx.require(roles, to: "clear the call-back list")
                let id = try callId(ctx)
                let actor = ctx.caller.name
                let now = env.now
                guard let row = try await env.store.write({ db in
                    try CallQueries.clearCallback(id: id, by: actor, now: now(), db: db)
                }) else { throw notFound(ctx) }
                return .json(CallResource(row, for: ctx.caller))
            },
        ]
    }

    /// Our id from the path; 404 for anything that is not one.
    static func callId(_ ctx: RequestContext) throws -> Int64 {
        guard let id = Int64(ctx.parameter("id")), id > 0 else { throw notFound(ctx) }
        return id
    }

    static func notFound(_ ctx: RequestContext) -> Problem {
        Problem.notFound("No call with id \(ctx.parameter("id").prefix(20)).")
    }

    /// The list filters: `from`, `to` (today by default), `unlogged`, `direction`, `limit`, `cursor`.
    static func listFilter(_ ctx: RequestContext, env: AppEnvironment) throws -> CallQueries.Filter {
        let q = QueryReader { ctx.request.queryValue($0) }
        let range = DayQuery.range(q, env: env, defaultDays: 1)
        let limit = q.limit()
        var unlogged = false
        if let s = ctx.request.queryValue("unlogged") {
            switch s.lowercased() {
            case "true", "1": unlogged = true
            case "false", "0", "": unlogged = false
            default: q.fail("unlogged", "must be true or false")
            }
        }
        let direction = q.oneOf("direction", CallDirection.self)
        let cursor = q.cursor(tag: CallQueries.Cursor.tag).map { CallQueries.Cursor(arrivedAt: $0.0, id: $0.1) }
        guard q.errors.isEmpty, let range else { throw q.errors }
        return CallQueries.Filter(
            start: range.interval.start, end: range.interval.end, unlogged: unlogged, direction: direction,
            limit: limit, cursor: cursor)
    }

    /// Reads the log fields of a body: absent keeps, `null` clears, a value sets.
    static func logEntry(_ body: [String: JSONValue], _ r: JSONReader) -> CallQueries.LogEntry {
        func change<T>(_ key: String, _ read: () -> T?) -> CallQueries.Change<T> {
            guard let value = body[key] else { return .keep }
            return value == .null ? .set(nil) : .set(read())
        }
        var entry = CallQueries.LogEntry()
        entry.outcome = change("outcome") { r.oneOf("outcome", CallOutcome.self) }
        entry.topic = change("topic") { r.string("topic", maxLength: topicLength) }
        entry.note = change("note") { r.string("note", maxLength: noteLength) }
        entry.signalReference = change("signal_reference") {
            guard let text = r.string("signal_reference", maxLength: 40) else { return nil }
            let reference = Reference.normalize(text)
            guard Reference.isWellFormed(reference) else {
                r.fail("signal_reference", "must be a signal reference such as OP-7K3M-Q9TX")
                return nil
            }
            return reference
        }
        return entry
    }

    /// `POST /api/v1/calls`: a call the exchange did not report, logged by an agent.
    static func createManual(_ ctx: RequestContext, env: AppEnvironment) async throws -> HTTPResponse {
        let body = try ctx.jsonObject()
        let idempotency = try Idempotency.from(ctx)
        let r = JSONReader(body, subject: "call")
        r.rejectUnknownKeys(logFields.union(["direction", "from", "to", "arrived_at", "ended_at"]))
        let direction = r.oneOf("direction", CallDirection.self) ?? .inbound
        let from = r.string("from", maxLength: numberLength)
        let to = r.string("to", maxLength: numberLength)
        let now = env.now()
        let arrivedAt = r.timestamp("arrived_at") ?? now
        if r.has("arrived_at"), arrivedAt > now.addingTimeInterval(300) {
            r.fail("arrived_at", "must not be in the future")
        }
        var endedAt = arrivedAt
        if let ended = r.timestamp("ended_at") {
            if ended < arrivedAt {
                r.fail("ended_at", "must not be before arrived_at")
            } else if ended > now.addingTimeInterval(300) {
                r.fail("ended_at", "must not be in the future")
            } else {
                endedAt = ended
            }
        }
        let entry = logEntry(body, r)
        guard r.errors.isEmpty else { throw r.errors }
        let agent = ctx.caller.name
        let caller = ctx.caller
        let clock = env.now
        let ended = endedAt
        return try await env.store.write { db in
            if let idempotency, let first = try idempotency.replay(db) { return first }
            let row = try CallQueries.insertManual(
                direction: direction, from: from, to: to, arrivedAt: arrivedAt, endedAt: ended,
                entry: entry, agent: agent, now: clock(), db: db)
            var response = HTTPResponse.json(CallResource(row, for: caller), status: 201)
            response.setHeader("Location", "/api/v1/calls/\(row.id ?? 0)")
            try idempotency?.remember(response, now: clock(), db: db)
            return response
        }
    }
}

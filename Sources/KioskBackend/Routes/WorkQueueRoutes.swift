import Domain
import Foundation
import GRDB

/// The work queue's actions besides `PATCH` (docs/interface.md §13): internal notes, duplicate
/// merges, a department's hand-back, and bulk changes of selected signals. Each is one
/// transaction with its history entries and the messages it calls for.
enum WorkQueueRoutes {
    /// Who may add notes: the back office, and a department for the signals routed to it.
    static let noteTakers: Set<Role> = [.coordinator, .admin, .department]
    /// At most this many signals in one bulk change.
    static let maxBulk = 200
    static let bodyLimit = 64 << 10

    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("POST", "/api/v1/signals/{reference}/notes", bodyLimit: bodyLimit) { ctx in
                try ctx.require(noteTakers, to: "add notes")
                let body = try ctx.jsonObject()
                let reference = try BackOfficeRoutes.wellFormedReference(ctx)
                let actor = ctx.caller.name
                let now = env.now()
                let keep = env.publicContacts
                let entry = try await env.store.write { db -> SignalChangeRecord in
                    let (id, current) = try BackOfficeRoutes.find(reference, ctx: ctx, db: db)
                    let outcome = try WorkQueue.note(body, to: current)
                    try SignalHistory.save(outcome, id: id, actor: actor, now: now, keep: keep, db: db, signalChanged: false)
                    return try SignalHistory.entries(signalId: id, db: db).last!
                }
                return .json(HistoryEntryResource(entry, personalData: true), status: 201)
            },
            Route("POST", "/api/v1/signals/{reference}/hand-back", bodyLimit: bodyLimit) { ctx in
                try ctx.require([.department], to: "hand signals back (only a department hands back to O-punt)")
                let body = try ctx.jsonObject()
                let reference = try BackOfficeRoutes.wellFormedReference(ctx)
                let caller = ctx.caller
                let now = env.now()
                let signal = try await env.store.write { db -> Signal in
                    let (id, current) = try BackOfficeRoutes.find(reference, ctx: ctx, db: db)
                    let outcome = try WorkQueue.handBack(body, from: current, now: now)
                    try SignalHistory.save(outcome, id: id, actor: caller.name, now: now, keep: env.publicContacts, db: db)
                    return outcome.signal
                }
                // The department no longer sees it: it answers with what it may still see.
                return .json(HandBackResource(reference: signal.reference, status: signal.status.rawValue))
            },
            Route("POST", "/api/v1/signals/{reference}/merge", bodyLimit: bodyLimit) { ctx in
                try ctx.require(BackOfficeRoutes.backOffice, to: "merge duplicates")
                let body = try ctx.jsonObject()
                let r = JSONReader(body, subject: "merge")
                r.rejectUnknownKeys(["into"], message: "is not a field of a merge (only into)")
                let into = r.string("into", required: true, maxLength: 40).map(Reference.normalize)
                guard r.errors.isEmpty, let into else { throw r.errors }
                let reference = try BackOfficeRoutes.wellFormedReference(ctx)
                let actor = ctx.caller.name
                let now = env.now()
                let feedbackDays = env.config.feedbackDays
                let signal = try await env.store.write { db -> Signal in
                    let (id, current) = try BackOfficeRoutes.find(reference, ctx: ctx, db: db)
                    let chain = Reference.isWellFormed(into) ? try duplicateChain(from: into, db: db) : []
                    if let refusal = WorkQueue.checkMerge(current, into: chain) {
                        throw FieldErrors("merge", [FieldError(field: "into", message: refusal.message)])
                    }
                    // Into the original: REF, or the signal REF is itself (through others) a duplicate of.
                    let outcome = try WorkQueue.merge(current, into: chain[chain.count - 1], now: now)
                    try SignalHistory.save(outcome, id: id, actor: actor, now: now, keep: env.publicContacts, db: db)
                    if outcome.signal.answer != nil && current.answer == nil {
                        try env.composer.queueAnswer(outcome.signal, feedbackDays: feedbackDays, now: now, db: db)
                    }
                    return outcome.signal
                }
                env.outboxChanged()
                return .json(BackOfficeSignalResource(signal: signal, caller: ctx.caller, view: SignalView(now: now, config: env.config)))
            },
            Route("POST", "/api/v1/signals/bulk", bodyLimit: bodyLimit) { ctx in
                try ctx.require(BackOfficeRoutes.backOffice, to: "change signals in bulk")
                let body = try ctx.jsonObject()
                let (references, change) = try bulkRequest(body)
                await leaveServerThread()  // up to the bulk limit of signals, each changed and queued
                let update = SignalUpdate(config: env.config)
                let actor = ctx.caller.name
                let now = env.now()
                let feedbackDays = env.config.feedbackDays
                let signals = try await env.store.write { db -> [Signal] in
                    // All or nothing: the first refusal throws and rolls the whole transaction back.
                    var changed: [Signal] = []
                    for (index, reference) in references.enumerated() {
                        guard let record = try SignalQueries.find(reference: reference, db: db), let id = record.id else {
                            throw FieldErrors(
                                "bulk change", [FieldError(field: "references[\(index)]", message: "is not the reference of a signal")])
                        }
                        let outcome: SignalUpdate.Outcome
                        do throws(SignalUpdateError) {
                            outcome = try update.apply(change, to: record.signal, now: now)
                        } catch {
                            throw BulkRefusal(index: index, reference: reference, error: error)
                        }
                        try BackOfficeRoutes.save(outcome, id: id, actor: actor, feedbackDays: feedbackDays, now: now, env: env, db: db)
                        changed.append(outcome.signal)
                    }
                    return changed
                }
                env.outboxChanged()
                let view = SignalView(now: now, config: env.config)
                return .json(Page(items: signals.map { SignalResource(signal: $0, for: ctx.caller, view: view) }, nextCursor: nil))
            },
        ]
    }

    /// `{"references": [...], "change": {...}}`: 1 to ``maxBulk`` distinct well-formed references and a
    /// `PATCH` body applied to each.
    static func bulkRequest(_ body: [String: JSONValue]) throws -> ([String], [String: JSONValue]) {
        let r = JSONReader(body, subject: "bulk change")
        r.rejectUnknownKeys(["references", "change"], message: "is not a field of a bulk change (references, change)")
        var references: [String] = []
        switch body["references"] {
        case .array(let items)?:
            if items.isEmpty { r.fail("references", "must not be empty") }
            if items.count > maxBulk { r.fail("references", "must hold at most \(maxBulk) references") }
            for (i, item) in items.prefix(maxBulk).enumerated() {
                guard case .string(let s) = item, s.utf8.count <= 40, Reference.isWellFormed(Reference.normalize(s)) else {
                    r.fail("references[\(i)]", "must be a signal reference (OP-XXXX-XXXX)")
                    continue
                }
                let reference = Reference.normalize(s)
                if references.contains(reference) {
                    r.fail("references[\(i)]", "repeats \(reference)")
                } else {
                    references.append(reference)
                }
            }
        case nil: r.fail("references", "is required")
        default: r.fail("references", "must be a list of signal references")
        }
        var change: [String: JSONValue] = [:]
        switch body["change"] {
        case .object(let o)?:
            if o.isEmpty { r.fail("change", "must not be empty") }
            change = o
        case nil: r.fail("change", "is required (a PATCH body, e.g. {\"status\": \"closed\"})")
        default: r.fail("change", "must be an object (a PATCH body)")
        }
        guard r.errors.isEmpty else { throw r.errors }
        return (references, change)
    }

    /// `reference`, then the signal it is a duplicate of, and so on; at most 50 links (a longer
    /// chain is cut there, which ``WorkQueue/checkMerge`` treats like any other).
    static func duplicateChain(from reference: String, db: Database) throws -> [Signal] {
        var chain: [Signal] = []
        var next: String? = reference
        while let ref = next, chain.count < 50, !chain.contains(where: { $0.reference == ref }) {
            guard let record = try SignalQueries.find(reference: ref, db: db) else { break }
            chain.append(record.signal)
            next = record.signal.duplicateOf
        }
        return chain
    }
}

/// A bulk change refused for one of its signals: nothing was changed. The status and words
/// are the single `PATCH`'s, with the signal named.
struct BulkRefusal: HTTPError {
    let index: Int
    let reference: String
    let error: SignalUpdateError

    var problem: Problem {
        var p = error.problem
        p.detail = "Nothing was changed: \(reference) (references[\(index)]) was refused. " + p.detail
        return p
    }
}

/// The answer to a hand-back: the signal's reference and status, nothing the department no longer sees.
struct HandBackResource: Encodable {
    let reference: String
    let status: String
    let handedBack = true

    enum CodingKeys: String, CodingKey {
        case reference, status
        case handedBack = "handed_back"
    }
}

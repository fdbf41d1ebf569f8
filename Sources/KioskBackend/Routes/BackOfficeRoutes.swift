import Domain
import Foundation
import GRDB

/// The back office's work on one signal (docs/interface.md §4): route, classify, answer and
/// close it (`PATCH`), record a referral to the ombudsman, and read its history.
/// Each change and its history entries are written in one transaction.
enum BackOfficeRoutes {
    static let backOffice: Set<Role> = [.coordinator, .admin]

    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("PATCH", "/api/v1/signals/{reference}") { ctx in
                try ctx.require(backOffice.union([.department]), to: "change signals")
                let body = try ctx.jsonObject()
                let reference = try wellFormedReference(ctx)
                let caller = ctx.caller
                if caller.role == .department, let other = body.keys.sorted().first(where: { $0 != "proposed_answer" }) {
                    // A department proposes; O-punt answers, routes and moves the status (docs/interface.md §3).
                    throw Problem.forbidden("A department token may change only proposed_answer (and add notes), not \(other.prefix(40)).")
                }
                let update = SignalUpdate(config: env.config)
                let actor = caller.name
                let now = env.now()
                let feedbackDays = env.config.feedbackDays
                let signal = try await env.store.write { db -> Signal in
                    let (id, current) = try find(reference, ctx: ctx, db: db)
                    let outcome = caller.role == .department
                        ? try WorkQueue.propose(body, to: current, now: now)
                        : try update.apply(body, to: current, now: now)
                    try save(outcome, id: id, actor: actor, feedbackDays: feedbackDays, now: now, env: env, db: db)
                    return outcome.signal
                }
                env.outboxChanged()
                return .json(BackOfficeSignalResource(signal: signal, caller: caller, view: SignalView(now: now, config: env.config)))
            },
            Route("POST", "/api/v1/signals/{reference}/ombuds-referral") { ctx in
                try ctx.require(backOffice, to: "record ombuds referrals")
                if !ctx.request.body.isEmpty {
                    let body = try ctx.jsonObject()
                    let r = JSONReader(body, subject: "referral")
                    r.rejectUnknownKeys([], message: "is not a field of a referral (send no body or {})")
                    if !r.errors.isEmpty { throw r.errors }
                }
                let reference = try wellFormedReference(ctx)
                let actor = ctx.caller.name
                let now = env.now()
                let (signal, created) = try await env.store.write { db -> (Signal, Bool) in
                    let (id, current) = try find(reference, ctx: ctx, db: db)
                    guard let referred = try referToOmbudsman(id: id, current: current, actor: actor, now: now, env: env, db: db)
                    else { return (current, false) }
                    return (referred, true)
                }
                env.outboxChanged()
                return .json(OmbudsReferralResource(signal: signal, ombudsman: env.config.ombudsman, languages: env.config.languages),
                             status: created ? 201 : 200)
            },
            Route("GET", "/api/v1/backoffice/config", personalData: false) { ctx in
                try ctx.require(backOffice.union([.department]), to: "read the back office's config")
                return .json(BackOfficeConfigResource(env.config))
            },
            Route("GET", "/api/v1/signals/{reference}/history") { ctx in
                try ctx.require(SignalRoutes.readers, to: "read a signal's history")
                let reference = try wellFormedReference(ctx)
                let (signal, entries) = try await env.store.read { [ctx] db -> (Signal, [SignalChangeRecord]) in
                    let (id, signal) = try find(reference, ctx: ctx, db: db)
                    return (signal, try SignalHistory.entries(signalId: id, db: db))
                }
                let personalData = PersonalDataPolicy.mayShow(signal.personalDataFacts, to: ctx.caller)
                return .json(Page(items: entries.map { HistoryEntryResource($0, personalData: personalData) }, nextCursor: nil))
            },
        ]
    }

    /// Records the ombuds referral of the signal with row id `id` in `db`'s transaction, with its
    /// history entry by `actor`; nil when it was referred before (a referral is recorded once).
    /// The one place a referral is written: the back office's POST and the reporter's own,
    /// from the feedback page (actor ``FeedbackRoutes/reporterActor``), both come here.
    static func referToOmbudsman(
        id: Int64, current: Signal, actor: String, now: Date, env: AppEnvironment, db: Database
    ) throws -> Signal? {
        guard let outcome = OmbudsReferral.refer(current, at: now) else { return nil }
        try SignalHistory.save(outcome, id: id, actor: actor, now: now, keep: env.publicContacts, db: db)
        try env.composer.queueAfterOmbudsReferral(outcome.signal, now: now, db: db)
        return outcome.signal
    }

    /// Stores a change made by `actor` with its history and the messages it calls for; when it
    /// answered the signal, its duplicates take the answer and their reporters get it (§13).
    static func save(
        _ outcome: SignalUpdate.Outcome, id: Int64, actor: String, feedbackDays: Int, now: Date, env: AppEnvironment, db: Database
    ) throws {
        try SignalHistory.save(outcome, id: id, actor: actor, now: now, keep: env.publicContacts, db: db)
        try env.composer.queueAfterChange(outcome, feedbackDays: feedbackDays, now: now, db: db)
        guard outcome.changes.contains(where: { $0.field == "status" && $0.new == SignalStatus.answered.rawValue }) else { return }
        for duplicate in try SignalQueries.unansweredDuplicates(of: outcome.signal.reference, db: db) {
            guard let dupId = duplicate.id,
                  let passed = WorkQueue.passOnAnswer(duplicate.signal, from: outcome.signal, now: now) else { continue }
            try SignalHistory.save(passed, id: dupId, actor: actor, now: now, keep: env.publicContacts, db: db)
            try env.composer.queueAnswer(passed.signal, feedbackDays: feedbackDays, now: now, db: db)
        }
    }

    static func wellFormedReference(_ ctx: RequestContext) throws -> String {
        let reference = Reference.normalize(ctx.parameter("reference"))
        guard Reference.isWellFormed(reference) else { throw notFound(ctx) }
        return reference
    }

    /// The signal's row id and state; 404 when there is none, or when a department caller may not
    /// see it (not routed to it): the same answer, so a department cannot probe other references.
    static func find(_ reference: String, ctx: RequestContext, db: Database) throws -> (Int64, Signal) {
        guard let record = try SignalQueries.find(reference: reference, db: db), let id = record.id,
              SignalRoutes.mayRead(record.signal, ctx.caller)
        else { throw notFound(ctx) }
        return (id, record.signal)
    }

    static func notFound(_ ctx: RequestContext) -> Problem {
        Problem.notFound("No signal with reference \(ctx.parameter("reference").prefix(40)).")
    }
}

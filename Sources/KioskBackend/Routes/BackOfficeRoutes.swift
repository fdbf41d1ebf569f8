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
                try ctx.require(backOffice, to: "change signals")
                let body = try ctx.jsonObject()
                let reference = try wellFormedReference(ctx)
                let update = SignalUpdate(config: env.config)
                let actor = ctx.caller.name
                let now = env.now()
                let keep = env.publicContacts
                let composer = env.composer
                let feedbackDays = env.config.feedbackDays
                let signal = try await env.store.write { db -> Signal in
                    let (id, current) = try find(reference, ctx: ctx, db: db)
                    let outcome = try update.apply(body, to: current, now: now)
                    try SignalHistory.save(outcome, id: id, actor: actor, now: now, keep: keep, db: db)
                    try composer.queueAfterChange(outcome, feedbackDays: feedbackDays, now: now, db: db)
                    return outcome.signal
                }
                env.outboxChanged()
                return .json(BackOfficeSignalResource(signal: signal, caller: ctx.caller))
            },
            Route("POST", "/api/v1/signals/{reference}/ombuds-referral") { ctx in
                try ctx.require(backOffice, to: "record ombuds referrals")
                if !ctx.request.body.isEmpty {
                    let body = try ctx.jsonObject()
                    let r = JSONReader(body)
                    r.rejectUnknownKeys([], message: "is not a field of a referral (send no body or {})")
                    if !r.errors.isEmpty { throw Problem.invalid("Invalid referral", r.errors) }
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
                try ctx.require(backOffice, to: "read the back office's config")
                return .json(BackOfficeConfigResource(env.config))
            },
            Route("GET", "/api/v1/signals/{reference}/history") { ctx in
                try ctx.require(SignalRoutes.readers, to: "read a signal's history")
                let reference = try wellFormedReference(ctx)
                let (signal, entries) = try await env.store.read { db -> (Signal, [SignalChangeRecord]) in
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

    static func wellFormedReference(_ ctx: RequestContext) throws -> String {
        let reference = Reference.normalize(ctx.parameter("reference"))
        guard Reference.isWellFormed(reference) else { throw notFound(ctx) }
        return reference
    }

    static func find(_ reference: String, ctx: RequestContext, db: Database) throws -> (Int64, Signal) {
        guard let record = try SignalQueries.find(reference: reference, db: db), let id = record.id else { throw notFound(ctx) }
        return (id, record.signal)
    }

    static func notFound(_ ctx: RequestContext) -> Problem {
        Problem.notFound("No signal with reference \(ctx.parameter("reference").prefix(40)).")
    }
}

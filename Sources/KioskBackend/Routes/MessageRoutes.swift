import Domain
import Foundation
import GRDB

/// The outbox as the back office sees it (docs/interface.md §11): a signal's messages, a retry of a
/// failed one, and whether mail goes out at all.
enum MessageRoutes {
    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("GET", "/api/v1/signals/{reference}/messages") { ctx in
                try ctx.require(BackOfficeRoutes.backOffice, to: "read a signal's messages")
                let reference = try BackOfficeRoutes.wellFormedReference(ctx)
                let messages = try await env.store.read { db -> [OutboxMessage] in
                    _ = try BackOfficeRoutes.find(reference, ctx: ctx, db: db)
                    return try Outbox.messages(for: reference, db: db)
                }
                return .json(Page(items: messages.map(MessageResource.init), nextCursor: nil))
            },
            Route("POST", "/api/v1/messages/{id}/retry", bodyLimit: 64) { ctx in
                try ctx.require(BackOfficeRoutes.backOffice, to: "retry messages")
                if !ctx.request.body.isEmpty {
                    let r = JSONReader(try ctx.jsonObject(), subject: "retry")
                    r.rejectUnknownKeys([], message: "is not a field of a retry (send no body or {})")
                    if !r.errors.isEmpty { throw r.errors }
                }
                let raw = ctx.parameter("id")
                guard raw.count <= 18, raw.allSatisfy(\.isASCII), let id = Int64(raw), id > 0 else { throw notFound(raw) }
                let actor = ctx.caller.name
                let now = env.now()
                let message = try await env.store.write { db -> OutboxMessage in
                    guard var message = try OutboxMessage.fetchOne(db, key: id) else { throw notFound(raw) }
                    guard message.status == .failed else {
                        throw Problem.conflict("Only a failed message can be retried; this one is \(message.status.rawValue).")
                    }
                    guard !message.recipient.isEmpty else {
                        throw Problem.conflict("This message's recipient was removed with the signal's personal data.")
                    }
                    let before = "failed after \(message.attempts) attempt\(message.attempts == 1 ? "" : "s")"
                        + (message.lastError.map { ": \($0)" } ?? "")
                    // A fresh give-up window: the message counts as queued now, with the quick
                    // first retries again. The history keeps what happened before.
                    message.status = .queued
                    message.attempts = 0
                    message.queuedAt = Millis.from(now)
                    message.nextAttemptAt = Millis.from(now)
                    try message.update(db)
                    if let signal = try SignalQueries.find(reference: message.signalReference, db: db), let signalId = signal.id {
                        var entry = SignalChangeRecord(
                            id: nil, signalId: signalId, at: Millis.from(now), actor: actor,
                            field: "message_retry", oldValue: "\(message.kind.rawValue) message \(id) \(before)", newValue: "queued")
                        try entry.insert(db)
                    }
                    return message
                }
                env.outboxChanged()
                return .json(MessageResource(message))
            },
            Route("GET", "/api/v1/mail/status", personalData: false) { ctx in
                try ctx.require(BackOfficeRoutes.backOffice, to: "read the mail status")
                let (queued, failed, oldest) = try await env.store.read { db -> (Int, Int, Int64?) in
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FILTER (WHERE status = 'queued') AS queued,
                                   COUNT(*) FILTER (WHERE status = 'failed') AS failed,
                                   MIN(queued_at) FILTER (WHERE status = 'queued') AS oldest
                            FROM outbox_message
                            """)
                    return (row?["queued"] ?? 0, row?["failed"] ?? 0, row?["oldest"])
                }
                return .json(MailStatusResource(
                    configured: env.config.mail != nil, queued: queued, failed: failed,
                    oldestQueuedAt: oldest.map { Timestamp.formatPrecise(Millis.date($0)) }))
            },
        ]
    }

    static func notFound(_ raw: String) -> Problem {
        Problem.notFound("No message with id \(raw.prefix(20)).")
    }
}

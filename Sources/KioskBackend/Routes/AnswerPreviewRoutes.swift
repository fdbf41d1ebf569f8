import Domain
import Foundation

/// `POST /api/v1/signals/{reference}/answer-preview` (coordinator, admin): the message the
/// reporter would get if this answer were saved now, from the same composer the PATCH uses.
///
/// The preview is the queued message to the byte, except for the two secrets it cannot
/// or must not show: the status key in the status link and the feedback token (made only
/// when the answer is saved) are both written `…` (``MessageComposer/hiddenSecret``).
/// Nothing is stored.
enum AnswerPreviewRoutes {
    static func routes(_ env: AppEnvironment) -> [Route] {
        [
            Route("POST", "/api/v1/signals/{reference}/answer-preview") { ctx in
                try ctx.require(BackOfficeRoutes.backOffice, to: "preview answers")
                let body = try ctx.jsonObject()
                let r = JSONReader(body, subject: "answer preview")
                r.rejectUnknownKeys(["answer"], message: "is not a field of an answer preview (send {\"answer\": \"…\"})")
                if body["answer"] == .null { r.fail("answer", "must not be null") }
                // The same limits as the PATCH's answer.
                let answer = r.string("answer", required: true, maxLength: SignalUpdate.maxAnswer)
                if !r.errors.isEmpty { throw r.errors }
                let reference = try BackOfficeRoutes.wellFormedReference(ctx)
                let current = try await env.store.read { db in try BackOfficeRoutes.find(reference, ctx: ctx, db: db).1 }
                // The answer as the PATCH would store it (with an external party's contact details).
                let outcome = try SignalUpdate(config: env.config).apply(["answer": .string(answer ?? "")], to: current, now: env.now())
                return .json(AnswerPreviewResource(outcome.signal, composer: env.composer))
            },
        ]
    }
}

/// How an answer reaches the reporter.
enum AnswerDelivery: String, CaseIterable, Encodable, Sendable {
    case email
    /// No e-mail address but a postal address: the back office prints the answer as a letter.
    case letter
    /// The answer cannot be delivered.
    case none
}

/// What an answer preview shows: who gets it and how, and the message itself.
struct AnswerPreviewResource: Encodable {
    /// Null, not left out, for a reporter without e-mail.
    @Nullable var to: String?
    var channel: AnswerDelivery
    var language: String
    var subject: String
    var text: String
    var html: String

    init(_ signal: Signal, composer: MessageComposer) {
        let to = composer.recipient(.answer, signal: signal)
        let channel: AnswerDelivery = to != nil ? .email : signal.contact?.postalAddress != nil ? .letter : .none
        // Only an e-mail answer carries the feedback link (the question is asked only then). A
        // letter is printed from this preview, so it carries the real status link: the reporter
        // needs the key, and only a coordinator or admin, who prints it, sees it here.
        let message = composer.render(
            .answer, signal: signal, to: to ?? "", feedbackToken: to != nil ? MessageComposer.hiddenSecret : nil,
            preview: channel != .letter)
        self.to = to
        self.channel = channel
        language = message.language
        subject = message.subject
        text = message.text
        html = message.html
    }

    enum CodingKeys: String, CodingKey { case to, channel, language, subject, text, html }
}

import Domain
import Foundation
import GRDB

/// The satisfaction question (docs/interface.md §12): `GET` and `POST /api/v1/feedback/{token}`, no token
/// header; the secret is the path's token from the answer message's link.
///
/// The path parameter is not named `token`: that name makes the router read it as a bearer
/// token (the CTI route's convention). Unknown tokens get one 404; the same per-address limit
/// as the status page slows guessing. An answer is taken once (again: 409) until the question
/// expires (later: 410). A reporter who is not satisfied may file a second-line complaint:
/// the ombuds referral is recorded as theirs, in the same transaction as the answer.
enum FeedbackRoutes {
    /// The history's actor for a referral the reporter made from the feedback page.
    static let reporterActor = "reporter (feedback)"

    /// A body holds two booleans, six reasons and a text of ``FeedbackAnswer/maxText`` characters,
    /// which JSON may write as `\uXXXX` escapes: up to 12 bytes a character (a surrogate pair).
    static let bodyLimit = 32 << 10

    static let notFound = Problem.notFound("No satisfaction question at this address. Check the link in our e-mail.")

    static func routes(_ env: AppEnvironment, limiter: RateLimiter) -> [Route] {
        [
            Route("GET", "/api/v1/feedback/{feedback_token}", authenticated: false) { ctx in
                try StatusRoutes.checkRate(ctx, limiter)
                let token = try wellFormedToken(ctx)
                let found = try await env.store.read { db -> (FeedbackRecord, Signal)? in
                    guard let record = try FeedbackRecord.find(token: token, db: db),
                          let signal = try SignalQueries.find(reference: record.signalReference, db: db)?.signal
                    else { return nil }
                    return (record, signal)
                }
                guard let (record, signal) = found else { throw notFound }
                var response = HTTPResponse.json(FeedbackResource(record: record, signal: signal, now: env.now()))
                response.setHeader("Cache-Control", "no-store")
                return response
            },
            Route("POST", "/api/v1/feedback/{feedback_token}", authenticated: false, bodyLimit: bodyLimit) { ctx in
                try StatusRoutes.checkRate(ctx, limiter)
                let token = try wellFormedToken(ctx)
                let body = try ctx.jsonObject()
                let answer = try FeedbackAnswer.read(body)
                let now = env.now()
                let signal = try await env.store.write { db -> Signal in
                    guard let record = try FeedbackRecord.find(token: token, db: db),
                          let found = try SignalQueries.find(reference: record.signalReference, db: db), let id = found.id
                    else { throw notFound }
                    if let refusal = record.question.refusal(at: now) { throw problem(refusal, record.question) }
                    guard try record.give(answer, now: now, db: db) else {
                        throw problem(.alreadyGiven, record.question)
                    }
                    guard answer.ombudsman else { return found.signal }
                    return try BackOfficeRoutes.referToOmbudsman(
                        id: id, current: found.signal, actor: reporterActor, now: now, env: env, db: db) ?? found.signal
                }
                return .json(FeedbackGivenResource(
                    signal: signal, answer: answer, givenAt: now, ombudsman: env.config.ombudsman, languages: env.config.languages))
            },
        ]
    }

    /// The token from the path, or the 404 every unknown token gets. A token is 40 characters
    /// of ``StatusKey/alphabet`` (``FeedbackQueries/ask(reference:now:days:db:)``).
    static func wellFormedToken(_ ctx: RequestContext) throws -> String {
        let token = ctx.parameter("feedback_token")
        guard token.utf8.count == 2 * StatusKey.length, StatusKey.isWellFormed(String(token.prefix(StatusKey.length))),
              StatusKey.isWellFormed(String(token.suffix(StatusKey.length)))
        else { throw notFound }
        return token
    }

    static func problem(_ refusal: FeedbackQuestion.Refusal, _ question: FeedbackQuestion) -> Problem {
        switch refusal {
        case .alreadyGiven:
            .conflict("This question was already answered; the first answer stands.")
        case .expired:
            Problem(
                status: 410, title: "Gone",
                detail: "The time to answer this question ended at \(Timestamp.format(question.expiresAt)).")
        }
    }
}

/// `GET /api/v1/feedback/{token}`: `{"reference", "answer", "expires_at", "given"}`, plus
/// `expired` (by the service's clock, so the page need not trust the device's) and
/// `reason_choices`, the vocabulary of reasons the page offers.
struct FeedbackResource: Encodable {
    let reference: String
    @Nullable var answer: String?
    let expiresAt: String
    let given: Bool
    let expired: Bool
    let reasonChoices: [String]

    init(record: FeedbackRecord, signal: Signal, now: Date) {
        reference = signal.reference
        answer = signal.answer
        expiresAt = Timestamp.format(record.question.expiresAt)
        given = record.question.givenAt != nil
        expired = record.question.isExpired(at: now)
        reasonChoices = FeedbackReason.allCases.map(\.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case reference, answer, given, expired
        case expiresAt = "expires_at"
        case reasonChoices = "reason_choices"
    }
}

/// The answer to a taken feedback: `{"reference", "satisfied", "given_at", "ombudsman",
/// "ombuds_referred_at"}`. `ombudsman` holds the ombudsman's contact details when the reporter
/// is not satisfied (null otherwise); `ombuds_referred_at` is set once a referral is recorded.
struct FeedbackGivenResource: Encodable {
    let reference: String
    let satisfied: Bool
    let givenAt: String
    @Nullable var ombudsman: PublicConfig.Contact?
    @Nullable var ombudsReferredAt: String?

    init(signal: Signal, answer: FeedbackAnswer, givenAt: Date, ombudsman: CityConfig.Contact, languages: [String]) {
        reference = signal.reference
        satisfied = answer.satisfied
        self.givenAt = Timestamp.format(givenAt)
        self.ombudsman = answer.satisfied
            ? nil
            : PublicConfig.Contact(
                key: ombudsman.key, name: ombudsman.name.resolved(languages), phone: ombudsman.phone,
                email: ombudsman.email, url: ombudsman.url, address: ombudsman.address)
        ombudsReferredAt = signal.ombudsReferredAt.map(Timestamp.format)
    }

    enum CodingKeys: String, CodingKey {
        case reference, satisfied, ombudsman
        case givenAt = "given_at"
        case ombudsReferredAt = "ombuds_referred_at"
    }
}

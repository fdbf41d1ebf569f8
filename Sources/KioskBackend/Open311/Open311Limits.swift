import Domain
import Foundation

/// How often Open311 may be asked (issue 9), answered with the standard's error list
/// (429 and `Retry-After`) rather than a problem document:
/// - a GET by a client without a token: `limits.public_reads_per_minute` per client address;
/// - a POST (or a GET) with a valid `api_key` of role open311: `limits.open311_per_minute`
///   per key, a partner's own budget that neither uses up nor is used up by the public's;
/// - a POST without a valid key: the public per-address budget of every anonymous POST
///   (`limits.public_per_minute`), shared with the website form.
/// Staff tokens sent as `Authorization: Bearer` are not limited here.
struct Open311Limits: Sendable {
    let reads: RateLimiter
    let partners: RateLimiter
    let anonymousPosts: RateLimiter

    init(_ limits: CityConfig.Limits, anonymousPosts: RateLimiter, clock: @escaping @Sendable () -> Date) {
        reads = RateLimiter(perMinute: limits.publicReadsPerMinute, clock: clock)
        partners = RateLimiter(perMinute: limits.open311PerMinute, clock: clock)
        self.anonymousPosts = anonymousPosts
    }

    /// The open311 token behind `api_key`, or nil when there is none or it is not valid.
    static func partner(_ apiKey: String?, ctx: RequestContext, env: AppEnvironment) async throws -> Caller? {
        if let apiKey, !apiKey.isEmpty {
            guard let found = try env.tokens.caller(for: apiKey), found.caller.role == .open311 else { return nil }
            return found.caller
        }
        return ctx.caller.role == .open311 ? ctx.caller : nil
    }

    func checkRead(_ ctx: RequestContext, env: AppEnvironment) async throws {
        if let partner = try await Self.partner(ctx.request.queryValue("api_key"), ctx: ctx, env: env) {
            try check(partners, key: Self.key(partner), partner: true)
        } else if ctx.caller.role == nil {
            try check(reads, key: ctx.request.clientAddress, partner: false)
        }
    }

    /// `partner`: the caller behind a valid key, if any.
    func checkPost(partner: Caller?, ctx: RequestContext) throws(Open311Error) {
        if let partner {
            try check(partners, key: Self.key(partner), partner: true)
        } else if ctx.caller.role == nil {
            try check(anonymousPosts, key: ctx.request.clientAddress, partner: false)
        }
    }

    static func key(_ partner: Caller) -> String { "open311:\(partner.tokenId ?? 0)" }

    private func check(_ limiter: RateLimiter, key: String, partner: Bool) throws(Open311Error) {
        if let retry = limiter.check(key) { throw Open311Error.tooManyRequests(retryAfter: retry, partner: partner) }
    }
}

import Domain
import Foundation
import GRDB

/// Open311 GeoReport v2 under `/open311/v2/` (docs/interface.md §9), in JSON and XML:
/// https://wiki.open311.org/GeoReport_v2
///
/// - `/open311/discovery.{json,xml}`: the Service Discovery file the standard requires.
/// - `services.{json,xml}`: the config's categories as services (`Open311Catalog`).
/// - `services/{code}.{json,xml}`: a service definition with its attributes.
/// - `requests.{json,xml}` GET: reports, filtered by `service_request_id` (overrides the
///   rest), `service_code`, `start_date`, `end_date`, `status`; by default the last 90
///   days and at most 1,000, newest first.
/// - `requests.{json,xml}` POST: form-encoded with `api_key` (a token of role `open311`);
///   creates a signal with channel `web`, kind `report`, reporter `citizen`, and answers
///   its reference as `service_request_id` (this service is `realtime`, so no token).
/// - `requests/{id}.{json,xml}`: one request.
/// - `tokens/{token}.{json,xml}`: since no token is ever handed out, a request's own
///   id works as its token; anything else is 404.
///
/// `jurisdiction_id` is optional (one jurisdiction); when given it must be one of
/// `Open311Catalog.jurisdictionIDs` (404 otherwise). `locale` (an extension) picks the
/// language of names. Errors are the standard's `code`/`description` list.
enum Open311Routes {
    static let base = "/open311/v2"
    /// The longest span `start_date`/`end_date` may cover, and the default window.
    static let maxSpan: TimeInterval = 90 * 24 * 3600

    /// `anonymousPosts`: the application's per-address limit of anonymous POSTs, which an
    /// Open311 POST without a valid `api_key` shares (`Open311Limits`).
    static func routes(_ env: AppEnvironment, anonymousPosts: RateLimiter) -> [Route] {
        let catalog = Open311Catalog(config: env.config)
        let limits = Open311Limits(env.config.limits, anonymousPosts: anonymousPosts, clock: env.now)
        // Services change only with the config, which is read at start-up.
        let changeset = Timestamp.format(env.now())
        var routes: [Route] = []
        for format in [Open311Format.json, .xml] {
            routes.append(Route("GET", "/open311/discovery.\(format.rawValue)", authenticated: false, personalData: false) { ctx in
                try await answer(format) {
                    try await limits.checkRead(ctx, env: env)
                    return format.response(root: "discovery", discovery(catalog: catalog, changeset: changeset, env: env))
                }
            })
        }
        for format in [Open311Format.json, .xml] {
            routes.append(Route("GET", "\(base)/services.\(format.rawValue)", authenticated: false, personalData: false) { ctx in
                try await answer(format) {
                    try await limits.checkRead(ctx, env: env)
                    try checkJurisdiction(ctx.request.queryValue("jurisdiction_id"), catalog)
                    return format.response(root: "services", catalog.listNode(catalog.language(ctx.request.queryValue("locale"))))
                }
            })
        }
        routes.append(Route("GET", "\(base)/services/{code}.{format}", authenticated: false, personalData: false) { ctx in
            let file = Open311File(ctx, "code")
            let (code, format) = (file.name, file.format)
            return try await answer(format) {
                try await limits.checkRead(ctx, env: env)
                try file.check()
                try checkJurisdiction(ctx.request.queryValue("jurisdiction_id"), catalog)
                guard let service = catalog.service(code) else { throw Open311Error.unknownService(code) }
                let language = catalog.language(ctx.request.queryValue("locale"))
                return format.response(root: "service_definition", catalog.definitionNode(service, language))
            }
        })
        for format in [Open311Format.json, .xml] {
            routes.append(Route("GET", "\(base)/requests.\(format.rawValue)", authenticated: false) { ctx in
                try await answer(format) {
                    try await limits.checkRead(ctx, env: env)
                    await leaveServerThread()  // a filtered list can walk many signals
                    return try await listRequests(ctx, format: format, catalog: catalog, env: env)
                }
            })
            routes.append(Route("POST", "\(base)/requests.\(format.rawValue)", authenticated: false, limitsItself: true) { ctx in
                try await answer(format) { try await createRequest(ctx, format: format, catalog: catalog, limits: limits, env: env) }
            })
        }
        routes.append(Route("GET", "\(base)/requests/{id}.{format}", authenticated: false) { ctx in
            let file = Open311File(ctx, "id")
            let (id, format) = (file.name, file.format)
            return try await answer(format) {
                try await limits.checkRead(ctx, env: env)
                try file.check()
                try checkJurisdiction(ctx.request.queryValue("jurisdiction_id"), catalog)
                let record = try await findReport(id, env: env)
                guard let record else { throw Open311Error.unknownRequest(id) }
                let language = catalog.language(ctx.request.queryValue("locale"))
                var request = Open311ServiceRequest(record: record, catalog: catalog, language: language)
                request.photoURL = try await publicPhotoURLs([record], env: env)[record.signal.reference]
                let node = request.node
                return format.response(root: "service_requests", .list(item: "request", [node]))
            }
        })
        routes.append(Route("GET", "\(base)/tokens/{token}.{format}", authenticated: false, personalData: false) { ctx in
            let file = Open311File(ctx, "token")
            let (token, format) = (file.name, file.format)
            return try await answer(format) {
                try await limits.checkRead(ctx, env: env)
                try file.check()
                try checkJurisdiction(ctx.request.queryValue("jurisdiction_id"), catalog)
                guard let record = try await findReport(token, env: env) else { throw Open311Error.unknownToken(token) }
                let node = Open311Node.record([("service_request_id", .text(record.signal.reference)), ("token", .text(token))])
                return format.response(root: "service_requests", .list(item: "request", [node]))
            }
        })
        return routes
    }

    /// The Service Discovery document the standard requires beside the endpoint
    /// (https://wiki.open311.org/Service_Discovery): who to ask for an api_key, and
    /// where the GeoReport v2 endpoint is. The URL is the config's `public_url` plus
    /// `/open311/v2`; without one, the address the service listens on (`--host`,
    /// `--port`), or the bare path when it listens on every interface. Never the
    /// request's `Host` or `X-Forwarded-*` headers, which the client chooses (issue 9).
    static func discovery(catalog: Open311Catalog, changeset: String, env: AppEnvironment) -> Open311Node {
        let contact = catalog.config.contact
        let reach = [contact.phone, contact.email, contact.url].filter { !$0.isEmpty }.joined(separator: ", ")
        let name = contact.name.text(catalog.language(nil))
        let url = (env.config.publicURL ?? env.listenURL ?? "") + base
        return .record([
            ("changeset", .text(changeset)),
            ("contact", .text("\(name): \(reach)")),
            ("key_service", .text("An api_key is a token of role open311; ask \(name) for one (\(reach)).")),
            ("endpoints", .list(item: "endpoint", [
                .record([
                    ("specification", .text("http://wiki.open311.org/GeoReport_v2")),
                    ("url", .text(url)),
                    ("changeset", .text(changeset)),
                    ("type", .text("production")),
                    ("formats", .list(item: "format", [.text(Open311Format.xml.mimeType), .text(Open311Format.json.mimeType)])),
                ]),
            ])),
        ])
    }

    /// Runs a handler and turns its refusals into the standard's error list in `format`.
    /// Server faults (the database) go on to the application's own 500/503 handling.
    static func answer(_ format: Open311Format, _ work: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        do {
            return try await work()
        } catch let error as any HTTPError {
            let answer = error.open311
            guard answer.status < 500 else { throw error }
            return answer.response(format)
        }
    }

    static func checkJurisdiction(_ id: String?, _ catalog: Open311Catalog) throws(Open311Error) {
        guard let id, !id.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        guard catalog.acceptsJurisdiction(id) else { throw .unknownJurisdiction(id, known: catalog.jurisdictionIDs) }
    }

    static func findReport(_ id: String, env: AppEnvironment) async throws -> Open311Record? {
        let reference = Reference.normalize(id)
        guard Reference.isWellFormed(reference) else { return nil }
        return try await env.store.read { db in try Open311Queries.find(references: [reference], db: db).first }
    }

    // MARK: GET Service Requests

    static func listRequests(_ ctx: RequestContext, format: Open311Format, catalog: Open311Catalog, env: AppEnvironment) async throws -> HTTPResponse {
        let q = ctx.request
        try checkJurisdiction(q.queryValue("jurisdiction_id"), catalog)
        let language = catalog.language(q.queryValue("locale"))
        /// Every value of a parameter that "can be declared multiple times, comma delimited".
        func list(_ name: String) -> [String] {
            q.query.filter { $0.0 == name }.flatMap { $0.1.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        let signals: [Open311Record]
        let ids = list("service_request_id")
        if !ids.isEmpty {
            // "This overrides all other arguments."
            let references = Array(ids.prefix(Open311Queries.maxRows).map(Reference.normalize).filter(Reference.isWellFormed))
            signals = try await env.store.read { db in try Open311Queries.find(references: references, db: db) }
        } else {
            let filter = try requestFilter(ctx, list: list, catalog: catalog, now: env.now(), timeZone: env.config.timeZone)
            signals = try await env.store.read { db in try Open311Queries.list(filter, db: db) }
        }
        let photos = try await publicPhotoURLs(signals, env: env)
        let nodes = signals.map { record in
            var request = Open311ServiceRequest(record: record, catalog: catalog, language: language)
            request.photoURL = photos[record.signal.reference]
            return request.node
        }
        return format.response(root: "service_requests", .list(item: "request", nodes))
    }

    /// The public photo link of each signal whose reporter agreed to show photos (§14): the first
    /// photo's metadata-free copy at `/api/v1/photos/{id}`, absolute from the link base.
    static func publicPhotoURLs(_ records: [Open311Record], env: AppEnvironment) async throws -> [String: String] {
        let ids = records.filter(\.signal.photosPublic).compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let base = env.linkBase ?? ""
        return try await env.store.read { db in
            var urls: [String: String] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT signal.reference,
                           (SELECT public_id FROM photo WHERE photo.signal_id = signal.id ORDER BY photo.id LIMIT 1) AS photo
                    FROM signal WHERE signal.id IN (\(ids.map(String.init).joined(separator: ",")))
                      AND signal.personal_data_removed_at IS NULL
                    """)
            for row in rows {
                if let photo: String = row["photo"] { urls[row["reference"]] = "\(base)/api/v1/photos/\(photo)" }
            }
            return urls
        }
    }

    static func requestFilter(
        _ ctx: RequestContext, list: (String) -> [String], catalog: Open311Catalog, now: Date, timeZone: TimeZone
    ) throws(Open311Error) -> Open311Queries.Filter {
        var errors: [String] = []
        var f = Open311Queries.Filter()
        for code in list("service_code") {
            if let s = catalog.service(code) { f.categories.append(s.category) } else {
                errors.append("service_code \"\(code.prefix(80))\" is not a service here; see services.json.")
            }
        }
        for status in list("status") {
            if let s = Open311ServiceRequest.statuses(status.lowercased()) { f.statuses += s } else {
                errors.append("status must be open or closed, not \"\(status.prefix(40))\".")
            }
        }
        var start: Date?
        var end: Date?
        if let s = ctx.request.queryValue("start_date"), !s.isEmpty {
            start = W3DateTime.parse(s, timeZone: timeZone)?.start
            if start == nil { errors.append("start_date must be a w3 datetime such as 2010-01-01T00:00:00Z.") }
        }
        if let s = ctx.request.queryValue("end_date"), !s.isEmpty {
            end = W3DateTime.parse(s, timeZone: timeZone)?.end
            if end == nil { errors.append("end_date must be a w3 datetime such as 2010-01-01T00:00:00Z.") }
        }
        if let start, let end {
            if end < start { errors.append("end_date must not be before start_date.") }
            else if end.timeIntervalSince(start) > maxSpan + 1 { errors.append("start_date and end_date may not span more than 90 days.") }
        }
        guard errors.isEmpty else { throw Open311Error(400, errors) }
        // "When not specified, the range defaults to most recent 90 days."
        switch (start, end) {
        case let (s?, e?): (f.start, f.end) = (s, e)
        case let (s?, nil): (f.start, f.end) = (s, s.addingTimeInterval(maxSpan))
        case let (nil, e?): (f.start, f.end) = (e.addingTimeInterval(-maxSpan), e)
        case (nil, nil): f.start = now.addingTimeInterval(-maxSpan)
        }
        return f
    }

    // MARK: POST Service Request

    static func createRequest(
        _ ctx: RequestContext, format: Open311Format, catalog: Open311Catalog, limits: Open311Limits, env: AppEnvironment
    ) async throws -> HTTPResponse {
        var pairs: [(String, String)] = []
        var unreadable: FormURLEncoded.ParseError?
        do throws(FormURLEncoded.ParseError) {
            pairs = try FormURLEncoded.parse(ctx.request.body, limits: .request)
        } catch {
            unreadable = error
        }
        let form = Open311Submission(pairs: pairs)
        let apiKey = form.value("api_key") ?? ctx.request.queryValue("api_key")
        // The limit first: a partner's key on its own budget, anyone else on the public one.
        let partner = try await Open311Limits.partner(apiKey, ctx: ctx, env: env)
        try limits.checkPost(partner: partner, ctx: ctx)

        let contentType = ctx.request.header("content-type")?.lowercased() ?? ""
        if !contentType.isEmpty && !contentType.hasPrefix("application/x-www-form-urlencoded") {
            throw Open311Error.badBody("Send the request as application/x-www-form-urlencoded, as GeoReport v2 says; got \(contentType.prefix(60)).")
        }
        if let unreadable { throw Open311Error.badBody(unreadable.message) }

        // 403 first: nothing about the request is looked at for an unknown caller.
        let caller = try await open311Caller(apiKey, ctx: ctx, env: env)
        try checkJurisdiction(form.value("jurisdiction_id") ?? ctx.request.queryValue("jurisdiction_id"), catalog)
        guard let code = form.value("service_code") else { throw Open311Error.missingServiceCode }
        guard let service = catalog.service(code) else { throw Open311Error.unknownService(code) }

        let body = try form.signalBody(for: service, catalog: catalog)
        let new = try env.intake.validate(body, caller: caller, entry: .open311, now: env.now())

        var scoped = ctx
        scoped.caller = caller
        let idempotency = try Idempotency.from(scoped)
        let language = catalog.language(ctx.request.queryValue("locale"))
        let notice = catalog.notice(service, language)
        let now = env.now
        let keep = env.publicContacts
        let composer = env.composer
        let due = DueDates(config: env.config)
        var response = try await env.store.write { db -> HTTPResponse in
            if let idempotency, let first = try idempotency.replay(db) { return first }
            let signal = try SignalQueries.insert(new, now: now(), keep: keep, due: due, db: db)
            try composer.queueAfterCreate(signal, now: now(), db: db)
            let node = Open311Node.record([
                ("service_request_id", .text(signal.reference)),
                ("service_notice", .text(notice)),
                ("account_id", .text(nil)),
            ])
            let response = format.response(root: "service_requests", .list(item: "request", [node]))
            try idempotency?.remember(response, now: now(), db: db)
            return response
        }
        response.setHeader("Content-Type", format.contentType)
        return response
    }

    /// The caller behind `api_key` (or a bearer token): 403 unless it is an open311 token.
    static func open311Caller(_ apiKey: String?, ctx: RequestContext, env: AppEnvironment) async throws -> Caller {
        let caller: Caller
        if let apiKey {
            guard let found = try env.tokens.caller(for: apiKey) else { throw Open311Error.invalidAPIKey }
            caller = found.caller
        } else if ctx.caller.role != nil {
            caller = ctx.caller
        } else {
            throw Open311Error.missingAPIKey
        }
        guard caller.role == .open311 else { throw Open311Error.wrongRole(caller.role?.rawValue ?? "public") }
        return caller
    }
}

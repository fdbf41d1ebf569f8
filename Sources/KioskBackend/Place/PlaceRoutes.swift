import Domain
import Foundation
import GRDB

/// Address suggestions and "already reported nearby" (docs/interface.md §14): public reads,
/// limited per client address by `limits.public_reads_per_minute`, without personal data.
enum PlaceRoutes {
    /// The most bytes of `q` looked at; a longer one is refused (422).
    static let maxQueryBytes = 200
    /// The most nearby signals one answer lists.
    static let maxNearby = 20

    static func routes(_ env: AppEnvironment, publicReads: RateLimiter) -> [Route] {
        [
            Route("GET", "/api/v1/addresses", authenticated: false, personalData: false) { ctx in
                if ctx.caller.role == nil, let retry = publicReads.check(ctx.request.clientAddress) {
                    throw Problem.tooManyRequests(retryAfter: retry)
                }
                let q = ctx.request.queryValue("q") ?? ""
                guard q.utf8.count <= maxQueryBytes else {
                    throw FieldErrors("query", [FieldError(field: "q", message: "must be at most \(maxQueryBytes) bytes")])
                }
                let key = AddressKey.normalize(q)
                let limit = env.config.addresses.suggestions
                // Two characters at least: one letter would list the whole city.
                guard key.count >= 2 else { return .json(Page<AddressResource>(items: [], nextCursor: nil)) }
                let found = try await env.store.read { db in
                    try Row.fetchAll(
                        db.cachedStatement(sql: """
                            SELECT street, house_number, box, postcode, municipality, lat, lon, district FROM address
                            WHERE search_key >= ? AND search_key < ? ORDER BY search_key LIMIT ?
                            """),
                        arguments: [key, AddressKey.upperBound(key), limit]
                    ).map(AddressResource.init)
                }
                let items = found.sorted(by: AddressResource.ordered)
                return .json(Page(items: items, nextCursor: nil))
            },
            Route("GET", "/api/v1/signals/nearby", authenticated: false, personalData: false) { ctx in
                if ctx.caller.role == nil, let retry = publicReads.check(ctx.request.clientAddress) {
                    throw Problem.tooManyRequests(retryAfter: retry)
                }
                let q = QueryReader { ctx.request.queryValue($0) }
                var category: String?
                if let c = q.string("category") {
                    if c.utf8.count <= 130, env.config.resolveCategory(c) != nil { category = c } else {
                        q.fail("category", "unknown category \"\(c.prefix(60))\" (use a key from GET /api/v1/config)")
                    }
                } else {
                    q.fail("category", "is required (a key from GET /api/v1/config)")
                }
                let lat = q.double("lat", range: -90...90, required: true)
                let lon = q.double("lon", range: -180...180, required: true)
                try q.check()
                guard let category, let lat, let lon else { throw Problem.badRequest("category, lat and lon are required") }
                let near = try await nearby(env: env, category: category, point: GeoPoint(lon: lon, lat: lat))
                return .json(Page(items: near, nextCursor: nil))
            },
        ]
    }

    /// Open signals (received or in progress) of `category` received in the last `nearby.days`
    /// within `nearby.distance_m` of `point`, nearest first: a bounding box on the index, then
    /// the exact distance.
    static func nearby(env: AppEnvironment, category: String, point: GeoPoint) async throws -> [NearbyResource] {
        let config = env.config
        let distance = Double(config.nearby.distanceMeters)
        let since = Millis.from(env.now().addingTimeInterval(-Double(config.nearby.days) * 86_400))
        let dLat = distance / 111_000 * 1.01
        let dLon = distance / (111_000 * max(cos(point.lat * .pi / 180), 0.01)) * 1.01
        let rows = try await env.store.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT s.reference, s.category, s.lat, s.lon, s.received_at, s.public_description,
                           (SELECT COUNT(*) FROM signal t WHERE t.same_as = s.reference) AS same_count
                    FROM signal s
                    WHERE s.category = ? AND s.received_at >= ? AND s.status IN ('received', 'in_progress')
                      AND s.lat BETWEEN ? AND ? AND s.lon BETWEEN ? AND ?
                    ORDER BY s.received_at DESC LIMIT 500
                    """),
                arguments: [category, since, point.lat - dLat, point.lat + dLat, point.lon - dLon, point.lon + dLon]
            ).compactMap { row -> NearbyResource? in
                let at = GeoPoint(lon: row["lon"], lat: row["lat"])
                let d = point.distance(to: at)
                guard d <= distance else { return nil }
                let text: String = row["public_description"] ?? ""
                return NearbyResource(
                    reference: row["reference"], category: row["category"],
                    description: String(Open311Markers.splitMediaURL(text).0.prefix(200)),
                    distanceM: Int(d.rounded()),
                    receivedOn: LocalDay(Millis.date(row["received_at"]), in: config.timeZone).description,
                    sameCount: row["same_count"])
            }
        }
        let found = rows
        return Array(found.sorted { ($0.distanceM, $0.reference) < ($1.distanceM, $1.reference) }.prefix(maxNearby))
    }
}

/// `{"address", "street", "house_number", "box", "postcode", "municipality", "lat", "lon", "district"}`.
struct AddressResource: Encodable, Sendable {
    /// "Kapellestraat 12 bus 3, 8400 Oostende": what fills the signal's `address`.
    let address: String
    let street: String
    let houseNumber: String
    @Nullable var box: String?
    let postcode: String
    let municipality: String
    let lat: Double
    let lon: Double
    @Nullable var district: String?

    init(row: Row) {
        street = row["street"]
        houseNumber = row["house_number"]
        postcode = row["postcode"]
        municipality = row["municipality"]
        let box: String? = row["box"]
        self.box = box
        address = "\(street) \(houseNumber)\(box.map { " bus \($0)" } ?? ""), \(postcode) \(municipality)"
        lat = row["lat"]
        lon = row["lon"]
        district = row["district"]
    }

    /// By street, then house number as a number (2 before 10), then the rest.
    static func ordered(_ a: AddressResource, _ b: AddressResource) -> Bool {
        if a.street != b.street { return a.street < b.street }
        let na = Int(a.houseNumber.prefix { $0.isNumber }) ?? 0
        let nb = Int(b.houseNumber.prefix { $0.isNumber }) ?? 0
        if na != nb { return na < nb }
        return (a.houseNumber, a.box ?? "", a.postcode) < (b.houseNumber, b.box ?? "", b.postcode)
    }

    enum CodingKeys: String, CodingKey {
        case address, street, box, postcode, municipality, lat, lon, district
        case houseNumber = "house_number"
    }
}

/// A nearby open signal without any personal data: `{"reference", "category", "description",
/// "distance_m", "received_on", "same_count"}`; the description is Open311's redacted text.
struct NearbyResource: Encodable, Sendable {
    var reference: String
    var category: String
    var description: String
    var distanceM: Int
    var receivedOn: String
    var sameCount: Int

    enum CodingKeys: String, CodingKey {
        case reference, category, description
        case distanceM = "distance_m"
        case receivedOn = "received_on"
        case sameCount = "same_count"
    }
}

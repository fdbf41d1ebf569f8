import Foundation

/// The city's configuration (docs/interface.md §2): sites, districts, categories, departments,
/// special procedures, external parties, the ombudsman and the phone line.
///
/// Built only through `CityConfig.parse`, which checks every rule, so a value of
/// this type is always consistent (every referenced key exists).
public struct CityConfig: Sendable {
    public struct Site: Sendable, Equatable {
        public var key: String
        public var name: LocalizedText
        public var address: String
    }

    public struct District: Sendable, Equatable {
        public var key: String
        public var name: LocalizedText
        public var population: Int
        /// Whether `population` is an estimate rather than an official count.
        public var populationEstimated: Bool
        /// Where the district lies (docs/interface.md §14); nil: signals are not placed by coordinates.
        public var area: GeoArea? = nil
    }

    /// "Already reported nearby" (docs/interface.md §14): open signals of the same category
    /// within this distance and this many days are offered to a citizen who is reporting.
    public struct Nearby: Sendable, Equatable {
        public var distanceMeters: Int = 100
        public var days: Int = 30
        public init() {}
    }

    /// The map on the forms (docs/interface.md §14): nil tile URL, no map (the form works by address).
    public struct MapTiles: Sendable, Equatable {
        /// A Leaflet tile URL template such as `https://tile.example.be/{z}/{x}/{y}.png`.
        public var tileURL: String
        /// The tiles' attribution, shown on the map as the tile provider asks.
        public var attribution: String
        /// Where the map opens without a point (`map.center`); nil: ``CityConfig/mapCentre`` works it out.
        public var center: GeoPoint? = nil
    }

    /// The address register (docs/interface.md §14).
    public struct Addresses: Sendable, Equatable {
        /// A file of addresses loaded at start-up when the service has none yet (a path relative
        /// to the config file's folder); nil: load them with `addresses import`.
        public var file: String?
        /// Its format: `csv` or `adressenregister`.
        public var format: String = "csv"
        /// The most suggestions one look-up answers.
        public var suggestions: Int = 10
        public init() {}
    }

    public struct Subcategory: Sendable, Equatable {
        public var key: String
        public var name: LocalizedText
        public var externalParty: String?
        public var department: String?
    }

    public struct Category: Sendable, Equatable {
        public var key: String
        public var name: LocalizedText
        public var subcategories: [Subcategory]
        /// Matters in this category may belong to this external body (consent to forward is asked).
        public var externalParty: String?
        /// The department that usually stays the expert, a routing hint.
        public var department: String?
    }

    public struct Department: Sendable, Equatable {
        public var key: String
        public var name: LocalizedText
        /// Where the department is told about a signal routed to it (docs/interface.md §11); empty: not told.
        public var email: String = ""
    }

    /// Outbound e-mail (docs/interface.md §11). Without it every message is still queued and shown as not sent.
    public struct Mail: Sendable, Equatable {
        /// `smtp://host:port` (STARTTLS when the server offers it) or `smtps://host:port`.
        /// A user name and password come from the environment, never from the file.
        public var smtpURL: String
        /// The From header, e.g. `O-punt Oostende <o-punt@oostende.be>`.
        public var from: String
        /// The bare address of `from`, which is also the Reply-To.
        public var fromAddress: String
        /// The base of every link in a message; the top-level `public_url` when absent.
        public var publicURL: String?
        /// Hours a message is retried before it is marked `failed`.
        public var giveUpHours: Int = 72
    }

    /// Days a reporter may wait for an answer, per kind (a city's complaints regulation sets them).
    public struct Deadlines: Sendable, Equatable {
        public var answerDays: [SignalKind: Int] = [.report: 30, .complaint: 45, .suggestion: 30, .compliment: 30]

        public init() {}

        public func days(for kind: SignalKind) -> Int { answerDays[kind] ?? 30 }
    }

    public struct SpecialProcedure: Sendable, Equatable {
        public var key: String
        public var name: LocalizedText
        public var department: String
    }

    /// Contact details of a body or service: what a reporter needs to reach it.
    public struct Contact: Sendable, Equatable {
        public var key: String
        public var name: LocalizedText
        public var phone: String
        public var email: String
        public var url: String
        public var address: String
    }

    public struct PhoneLine: Sendable, Equatable {
        public var number: String
        public var serviceLevelSeconds: Int
        public var shortAbandonSeconds: Int
        /// How far behind the service's clock an exchange event's own time may be (default 24 h).
        public var eventWindowBehindMinutes: Int = 1440
        /// How far ahead of the service's clock an exchange event's own time may be (default 5 min).
        public var eventWindowAheadMinutes: Int = 5
    }

    public struct Kiosk: Sendable, Equatable {
        public var idleSeconds: Int
        public var idleWarningSeconds: Int
        public var confirmationSeconds: Int
        public var draftTTLMinutes: Int
        /// Drafts one kiosk token may save in any hour (default 60, one a minute).
        public var draftsPerHour: Int = 60
        /// The most bytes a draft's `answers` may take as JSON (default 16 KiB: a half-filled form).
        public var draftMaxBytes: Int = 16 * 1024
        /// The most drafts not yet expired nor submitted that one site may hold (default 200).
        public var openDraftsPerSite: Int = 200
    }

    /// What one client may cost the service (see the README's "Hostile input").
    public struct Limits: Sendable, Equatable {
        /// The largest JSON body a POST or PATCH takes (routes may set a smaller one).
        public var maxBodyBytes: Int = 64 << 10
        /// Requests per minute per client address on the public endpoints; 0 switches the limit off.
        public var publicPerMinute: Int = 30
        /// Connections one client address may hold open at once; 0: no limit (behind a proxy
        /// that already limits, since every client then shares the proxy's address).
        public var connectionsPerClient: Int = 32
        /// Seconds to send a request's headers, from the connection's start or the previous answer.
        public var headerTimeoutSeconds: Int = 10
        /// Seconds to send a request's body once its headers arrived, and to read the answer.
        public var bodyTimeoutSeconds: Int = 30
        /// Open311 POSTs per minute per valid `api_key` (a partner's own budget, apart from
        /// the public one); 0 switches the limit off.
        public var open311PerMinute: Int = 120
        /// Anonymous Open311 GETs per minute per client address; 0 switches the limit off.
        public var publicReadsPerMinute: Int = 60
        /// Bytes that all bodies still arriving may hold together.
        public var pendingBodyBytes: Int = 32 << 20
        /// Requests per minute per client address to the reporter's status and feedback
        /// endpoints, which take a secret in the URL: guessing is slow. 0 switches the limit off.
        public var statusPerMinute: Int = 30

        public init() {}
    }

    /// The city's official (Dutch) name.
    public var city: String
    /// The name in the config's other languages (`city_names`); a language without one uses `city`.
    public var cityNames: [String: String] = [:]
    public var timeZone: TimeZone
    public var languages: [String]
    public var sites: [Site]
    public var districts: [District]
    public var categories: [Category]
    public var departments: [Department]
    public var specialProcedures: [SpecialProcedure]
    public var externalParties: [Contact]
    public var ombudsman: Contact
    /// O-punt itself: how citizens reach the single channel.
    public var contact: Contact
    public var phoneLine: PhoneLine
    public var retentionDays: Int
    public var kiosk: Kiosk
    public var limits: Limits
    public var corsOrigins: [String]
    /// The service's address as citizens and partners reach it (`https://meldingen.example.be`),
    /// without a trailing slash: the base of every absolute link the service hands out. Never
    /// taken from a request's `Host` header, which the client chooses.
    public var publicURL: String?
    /// Reverse proxies whose `X-Forwarded-For` names the client; nobody else's is read.
    public var trustedProxies: TrustedProxies
    public var mail: Mail?
    /// Days after the answer in which the reporter may say whether it helped (docs/interface.md §12).
    public var feedbackDays: Int = 14
    public var deadlines = Deadlines()
    public var nearby = Nearby()
    public var map: MapTiles?
    public var addresses = Addresses()

    /// The city's name in every language: `city` for Dutch and for a language `city_names` leaves out.
    public var cityName: LocalizedText { LocalizedText(cityNames.merging(["nl": city]) { _, dutch in dutch }) }

    /// Where a map opens without a point: `map.center`, else the middle of the box around every
    /// district's area; nil when the config has neither.
    public var mapCentre: GeoPoint? {
        if let centre = map?.center { return centre }
        let points = districts.compactMap(\.area).flatMap { $0.polygons.joined().joined() }
        guard let first = points.first else { return nil }
        var (south, north, west, east) = (first.lat, first.lat, first.lon, first.lon)
        for p in points {
            south = min(south, p.lat)
            north = max(north, p.lat)
            west = min(west, p.lon)
            east = max(east, p.lon)
        }
        return GeoPoint(lon: (west + east) / 2, lat: (south + north) / 2)
    }

    /// Whether any district has an area: then a signal's coordinates choose its district.
    public var placesByArea: Bool { districts.contains(where: { $0.area != nil }) }

    /// The first district, in config order, whose area holds `point`.
    public func district(at point: GeoPoint) -> District? {
        districts.first { $0.area?.contains(point) == true }
    }

    /// The base of links handed to citizens and partners: `mail.public_url`, else `public_url`.
    public var linkBase: String? { mail?.publicURL ?? publicURL }

    public func site(_ key: String) -> Site? { sites.first { $0.key == key } }
    public func district(_ key: String) -> District? { districts.first { $0.key == key } }
    public func category(_ key: String) -> Category? { categories.first { $0.key == key } }
    public func department(_ key: String) -> Department? { departments.first { $0.key == key } }
    public func specialProcedure(_ key: String) -> SpecialProcedure? { specialProcedures.first { $0.key == key } }
    public func externalParty(_ key: String) -> Contact? { externalParties.first { $0.key == key } }

    /// The main category and optional subcategory of a `main` or `main/sub` key, if both exist.
    public func resolveCategory(_ path: String) -> (main: Category, sub: Subcategory?)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, let main = category(parts[0]) else { return nil }
        if parts.count == 1 { return (main, nil) }
        guard let sub = main.subcategories.first(where: { $0.key == parts[1] }) else { return nil }
        return (main, sub)
    }

    /// Every valid category key, `main` and `main/sub`, in config order.
    public var categoryKeys: [String] {
        categories.flatMap { c in [c.key] + c.subcategories.map { "\(c.key)/\($0.key)" } }
    }

    public var totalPopulation: Int { districts.reduce(0) { $0 + $1.population } }
}

import Foundation

/// The city's configuration (CONTRACT 2): sites, districts, categories, departments,
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
    }

    public struct Kiosk: Sendable, Equatable {
        public var idleSeconds: Int
        public var idleWarningSeconds: Int
        public var confirmationSeconds: Int
        public var draftTTLMinutes: Int
    }

    public struct Limits: Sendable, Equatable {
        public var maxBodyBytes: Int
        /// Requests per minute per client address on the public endpoints; 0 switches the limit off.
        public var publicPerMinute: Int
        /// Open311 POSTs per minute per valid `api_key` (a partner's own budget, apart from
        /// the public one); 0 switches the limit off.
        public var open311PerMinute: Int = 120
        /// Anonymous Open311 GETs per minute per client address; 0 switches the limit off.
        public var publicReadsPerMinute: Int = 60
    }

    public var city: String
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

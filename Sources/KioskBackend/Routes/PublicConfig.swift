import Domain

/// What the forms need from the config: names in every language, no internal routing data.
struct PublicConfig: Encodable {
    struct Named: Encodable {
        let key: String
        let name: [String: String]
    }

    struct Site: Encodable {
        let key: String
        let name: [String: String]
        let address: String
    }

    struct Category: Encodable {
        let key: String
        let name: [String: String]
        let subcategories: [Sub]
        let externalParty: String?

        struct Sub: Encodable {
            let key: String
            let name: [String: String]
            let externalParty: String?
            enum CodingKeys: String, CodingKey {
                case key, name
                case externalParty = "external_party"
            }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(key, forKey: .key)
                try c.encode(name, forKey: .name)
                try c.encode(externalParty, forKey: .externalParty)
            }
        }

        enum CodingKeys: String, CodingKey {
            case key, name, subcategories
            case externalParty = "external_party"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(key, forKey: .key)
            try c.encode(name, forKey: .name)
            try c.encode(subcategories, forKey: .subcategories)
            try c.encode(externalParty, forKey: .externalParty)
        }
    }

    struct Contact: Encodable {
        let key: String
        let name: [String: String]
        let phone: String
        let email: String
        let url: String
        let address: String
    }

    struct Kiosk: Encodable {
        let idleSeconds: Int
        let idleWarningSeconds: Int
        let confirmationSeconds: Int
        enum CodingKeys: String, CodingKey {
            case idleSeconds = "idle_seconds"
            case idleWarningSeconds = "idle_warning_seconds"
            case confirmationSeconds = "confirmation_seconds"
        }
    }

    let city: String
    /// The city's name in every language of the config (`city` where `city_names` has none).
    let cityNames: [String: String]
    let timeZone: String
    let languages: [String]
    let sites: [Site]
    let districts: [Named]
    /// Departments by key and name only (their e-mail addresses stay internal): pages that show a
    /// signal's department, such as the agent console's look-up, name it.
    let departments: [Named]
    let categories: [Category]
    let externalParties: [Contact]
    let contact: Contact
    let ombudsman: Contact
    let phoneLine: String
    let kiosk: Kiosk
    /// The map's tiles (`map.tile_url`, `map.attribution`); nil: no map, the forms work by address.
    let map: MapTiles?
    /// "Already reported nearby" (§14).
    let nearby: Nearby
    /// What a photo upload takes (§14).
    let photos: Photos
    /// The base of the links the service hands out (the status link on a kiosk receipt):
    /// `mail.public_url`, else `public_url`, else the address the service listens on.
    var linkBase: String?

    struct MapTiles: Encodable {
        let tileURL: String
        let attribution: String
        /// Where the map opens without a point (``CityConfig/mapCentre``), null when the config gives no way to tell.
        @Nullable var center: GeoPoint?
        enum CodingKeys: String, CodingKey {
            case tileURL = "tile_url"
            case attribution, center
        }
    }

    struct Nearby: Encodable {
        let distanceM: Int
        let days: Int
        enum CodingKeys: String, CodingKey {
            case distanceM = "distance_m"
            case days
        }
    }

    /// ``SignalRules``: what the forms check before sending, the same as the service checks after.
    struct Rules: Encodable {
        let maxLength: [String: Int]
        let emailPattern: String
        let phonePattern: String
        let phoneMinDigits: Int
        enum CodingKeys: String, CodingKey {
            case maxLength = "max_length"
            case emailPattern = "email_pattern"
            case phonePattern = "phone_pattern"
            case phoneMinDigits = "phone_min_digits"
        }

        static let signal = Rules(
            maxLength: [
                "description": SignalRules.descriptionMaxLength, "address": SignalRules.addressMaxLength,
                "contact.name": SignalRules.contactNameMaxLength, "contact.email": SignalRules.emailMaxLength,
                "contact.phone": SignalRules.phoneMaxLength, "same_as": SignalRules.sameAsMaxLength,
            ],
            emailPattern: SignalRules.emailPattern, phonePattern: SignalRules.phonePattern,
            phoneMinDigits: SignalRules.phoneMinDigits)
    }

    struct Photos: Encodable {
        let maxPerSignal: Int
        let maxBytes: Int
        let mediaTypes: [String]
        enum CodingKeys: String, CodingKey {
            case maxPerSignal = "max_per_signal"
            case maxBytes = "max_bytes"
            case mediaTypes = "media_types"
        }
    }

    enum CodingKeys: String, CodingKey {
        case city, languages, sites, districts, departments, categories, contact, ombudsman, kiosk, map, nearby, photos, rules
        case linkBase = "link_base"
        case timeZone = "time_zone"
        case cityNames = "city_names"
        case externalParties = "external_parties"
        case phoneLine = "phone_line"
    }

    init(_ c: CityConfig, linkBase: String? = nil) {
        self.linkBase = linkBase ?? c.linkBase
        let langs = c.languages
        func contact(_ x: CityConfig.Contact) -> Contact {
            Contact(key: x.key, name: x.name.resolved(langs), phone: x.phone, email: x.email, url: x.url, address: x.address)
        }
        city = c.city
        cityNames = c.cityName.resolved(langs)
        timeZone = c.timeZone.identifier
        languages = langs
        sites = c.sites.map { Site(key: $0.key, name: $0.name.resolved(langs), address: $0.address) }
        districts = c.districts.map { Named(key: $0.key, name: $0.name.resolved(langs)) }
        departments = c.departments.map { Named(key: $0.key, name: $0.name.resolved(langs)) }
        categories = c.categories.map { cat in
            Category(
                key: cat.key, name: cat.name.resolved(langs),
                subcategories: cat.subcategories.map {
                    .init(key: $0.key, name: $0.name.resolved(langs), externalParty: $0.externalParty ?? cat.externalParty)
                },
                externalParty: cat.externalParty)
        }
        externalParties = c.externalParties.map(contact)
        self.contact = contact(c.contact)
        ombudsman = contact(c.ombudsman)
        phoneLine = c.phoneLine.number
        kiosk = Kiosk(
            idleSeconds: c.kiosk.idleSeconds, idleWarningSeconds: c.kiosk.idleWarningSeconds,
            confirmationSeconds: c.kiosk.confirmationSeconds)
        map = c.map.map {
            MapTiles(tileURL: $0.tileURL, attribution: $0.attribution, center: c.mapCentre)
        }
        nearby = Nearby(distanceM: c.nearby.distanceMeters, days: c.nearby.days)
        photos = Photos(maxPerSignal: PhotoRoutes.maxPerSignal, maxBytes: PhotoRoutes.maxBytes, mediaTypes: PhotoRoutes.mediaTypes)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(city, forKey: .city)
        try c.encode(cityNames, forKey: .cityNames)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(languages, forKey: .languages)
        try c.encode(sites, forKey: .sites)
        try c.encode(districts, forKey: .districts)
        try c.encode(departments, forKey: .departments)
        try c.encode(categories, forKey: .categories)
        try c.encode(externalParties, forKey: .externalParties)
        try c.encode(contact, forKey: .contact)
        try c.encode(ombudsman, forKey: .ombudsman)
        try c.encode(phoneLine, forKey: .phoneLine)
        try c.encode(kiosk, forKey: .kiosk)
        try c.encode(map, forKey: .map)
        try c.encode(Rules.signal, forKey: .rules)
        try c.encode(nearby, forKey: .nearby)
        try c.encode(photos, forKey: .photos)
        try c.encode(linkBase, forKey: .linkBase)
    }
}

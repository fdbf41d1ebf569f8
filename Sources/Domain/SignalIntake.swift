import Foundation

/// Why a signal body was refused.
public enum IntakeError: Error, Equatable, Sendable {
    /// The caller may not do this (docs/interface.md §3): becomes 403.
    case forbidden(String)
    /// Rule breaks, every one of them ("Invalid signal"): becomes 422.
    case invalid(FieldErrors)
}

/// The intake rules: turns a signal body from a caller into a `NewSignal`, or
/// says every field that breaks a rule.
///
/// Channel, site and reporter are facts derived from the caller's credential
/// wherever the role table says so: a body may repeat them, never contradict them.
public struct SignalIntake: Sendable {
    public let config: CityConfig

    public init(config: CityConfig) {
        self.config = config
    }

    public static let fields: Set<String> = [
        "kind", "channel", "site", "reporter", "category", "district", "address", "lat", "lon",
        "description", "experience_score", "contact", "consent_forward", "received_at",
        "same_as", "photos_public",
    ]

    static let receivedAtForbidden =
        "Only a coordinator or admin may set received_at; a desk may set it on letter and email signals (the date on the letter)."

    /// - Parameters:
    ///   - body: the parsed JSON object.
    ///   - caller: who sends it. A desk finishing a kiosk draft passes a kiosk caller at the draft's site.
    ///   - assisted: finished by the desk from a kiosk draft.
    ///   - entry: the REST API or Open311.
    ///   - now: the service's clock, to refuse a `received_at` in the future.
    public func validate(
        _ body: [String: JSONValue], caller: Caller, assisted: Bool = false,
        entry: AccessPolicy.Entry = .api, now: Date
    ) throws(IntakeError) -> NewSignal {
        let r = JSONReader(body, subject: "signal")
        r.rejectUnknownKeys(Self.fields, message: "is not a field of a signal")

        // Role table first (403), on the values that parse.
        let allowedChannels = AccessPolicy.channels(for: caller.role, via: entry)
        guard !allowedChannels.isEmpty else {
            throw .forbidden("\(caller.described.capitalizedFirst) may not create signals here.")
        }
        for key in ["channel", "site"] where body[key]?.stringValue?.trimmingCharacters(in: .whitespaces).isEmpty == true {
            r.fail(key, "must not be empty")
        }
        let givenChannel = r.oneOf("channel", Channel.self)
        let channelField = body["channel"] != nil && body["channel"] != .null
        if let c = givenChannel, !allowedChannels.contains(c) {
            throw .forbidden("\(caller.described.capitalizedFirst) may not create signals on channel \(c.rawValue).")
        }
        let givenReporter = r.oneOf("reporter", Reporter.self)
        if let rep = givenReporter, !AccessPolicy.reporters(for: caller.role).contains(rep) {
            throw .forbidden("\(caller.described.capitalizedFirst) may not create signals for reporter \(rep.rawValue).")
        }
        if r.has("received_at") && !AccessPolicy.maySetReceivedAt(caller.role) {
            throw .forbidden(Self.receivedAtForbidden)
        }
        let givenSite = r.string("site", maxLength: 63)
        if let bound = caller.site, let s = givenSite, s != bound {
            throw .forbidden("This token is bound to site \(bound); it may not file for site \(s).")
        }

        let channel: Channel? = givenChannel ?? (channelField ? nil : AccessPolicy.defaultChannel(for: caller.role))
        if givenChannel == nil && !channelField && channel == nil {
            r.fail("channel", "is required for \(caller.described)")
        }
        let reporter = givenReporter ?? AccessPolicy.defaultReporter(for: caller.role)
        let receivedAtRule = AccessPolicy.receivedAtRule(for: caller.role, channel: channel)
        if r.has("received_at") && channel != nil && receivedAtRule == .forbidden {
            throw .forbidden(Self.receivedAtForbidden)
        }

        // Site: from the token where bound; otherwise required for kiosk and counter.
        var site: String?
        if let channel, channel.needsSite {
            if let bound = caller.site {
                site = bound
            } else if let s = givenSite {
                if config.site(s) != nil { site = s } else {
                    r.fail("site", "unknown site \"\(s)\" (known: \(config.sites.map(\.key).joined(separator: ", ")))")
                }
            } else if !r.has("site") {
                r.fail("site", "is required for channel \(channel.rawValue) (one of \(config.sites.map(\.key).joined(separator: ", ")))")
            }
        } else if givenSite != nil, let channel {
            r.fail("site", "is only for channels kiosk and counter, not \(channel.rawValue)")
        }

        let kind = r.oneOf("kind", SignalKind.self, required: true)

        var category: String?
        var mainCategory: String?
        if let c = r.string("category", required: true, maxLength: 130) {
            if let resolved = config.resolveCategory(c) {
                category = c
                mainCategory = resolved.main.key
            } else {
                r.fail("category", "unknown category \"\(c)\" (use a key from GET /api/v1/config, e.g. \(config.categoryKeys.prefix(3).joined(separator: ", ")))")
            }
        }

        var district: String?
        if let d = r.string("district", maxLength: 63) {
            if config.district(d) != nil { district = d } else {
                r.fail("district", "unknown district \"\(d)\" (known: \(config.districts.map(\.key).joined(separator: ", ")))")
            }
        }

        let address = r.string("address", maxLength: SignalRules.addressMaxLength)
        let lat = r.double("lat", range: -90...90)
        let lon = r.double("lon", range: -180...180)
        if r.has("lat") != r.has("lon") {
            r.fail(r.has("lat") ? "lon" : "lat", "is required when \(r.has("lat") ? "lat" : "lon") is given")
        }
        // Coordinates choose the district when the config has areas (§14). A district given
        // as well that disagrees loses: the pin or the chosen address is more precise than a
        // tile picked by hand. A point outside every area is refused: it is not in the city.
        if config.placesByArea, let lat, let lon {
            if let found = config.district(at: GeoPoint(lon: lon, lat: lat)) {
                district = found.key
            } else {
                r.fail("lat", "the point (\(lat), \(lon)) lies outside every district of \(config.city); check the pin or the address")
            }
        }
        let description = r.string("description", required: true, maxLength: SignalRules.descriptionMaxLength)

        var sameAs: String?
        if let raw = r.string("same_as", maxLength: SignalRules.sameAsMaxLength) {
            let normalized = Reference.normalize(raw)
            if Reference.isWellFormed(normalized) { sameAs = normalized } else {
                r.fail("same_as", "must be the reference of an earlier signal, such as one GET /api/v1/signals/nearby answers")
            }
        }
        let photosPublic = r.bool("photos_public") ?? false

        var score: ExperienceScore?
        if let s = r.int("experience_score", range: ExperienceScore.range, rangeMessage: "must be 1 to 5") {
            if let channel, !ExperienceScore.isAsked(channel: channel, reporter: reporter) {
                r.fail("experience_score", "is only asked on the website and kiosk forms of citizens, not on channel \(channel.rawValue) from reporter \(reporter.rawValue)")
            } else {
                score = ExperienceScore(rawValue: s)
            }
        }

        var contact: ContactDetails?
        if let c = r.object("contact") {
            c.rejectUnknownKeys(["name", "email", "phone", "language", "postal_address"])
            let name = c.string("name", maxLength: SignalRules.contactNameMaxLength)
            let email = c.string("email", maxLength: SignalRules.emailMaxLength)
            if let email, !SignalRules.isEmail(email) {
                c.fail("email", "must be an e-mail address such as naam@voorbeeld.be")
            }
            let phone = c.string("phone", maxLength: SignalRules.phoneMaxLength)
            if let phone, !SignalRules.isPhone(phone) {
                c.fail("phone", "must be a phone number such as 059 12 34 56 or +32 59 12 34 56")
            }
            let language = c.string("language", maxLength: 5)
            if let language, !config.languages.contains(language) {
                c.fail("language", "must be one of \(config.languages.joined(separator: ", "))")
            }
            var postal: String?
            if let raw = c.string("postal_address", maxLength: PostalAddress.maxCharacters, maxBytes: PostalAddress.maxBytes) {
                switch PostalAddress.normalize(raw) {
                case .success(let text): postal = text
                case .failure(let message): c.fail("postal_address", message.text)
                }
            }
            let details = ContactDetails(name: name, email: email, phone: phone, language: language, postalAddress: postal)
            if !details.isEmpty || language != nil { contact = details }
        }

        let consent = r.bool("consent_forward")

        var receivedAt: Date?
        if receivedAtRule != .forbidden, let t = r.timestamp("received_at") {
            if t > now.addingTimeInterval(300) {
                r.fail("received_at", "must not be in the future")
            } else if case .letterDate(let days) = receivedAtRule, t < now.addingTimeInterval(-Double(days) * 86_400) {
                r.fail("received_at", "must not be more than \(days) days back (a desk sets the date on the letter or e-mail)")
            } else {
                receivedAt = t
            }
        }

        guard r.errors.isEmpty, let kind, let channel, let category, let mainCategory, let description else {
            throw .invalid(r.errors)
        }
        var new = NewSignal(
            kind: kind, channel: channel, site: site, reporter: reporter, category: category,
            mainCategory: mainCategory, district: district, address: address, lat: lat, lon: lon,
            description: description, experienceScore: score, contact: contact, consentForward: consent,
            receivedAt: receivedAt, assisted: assisted, createdBy: caller.name, createdByRole: caller.role,
            createdByTokenId: caller.tokenId
        )
        new.sameAs = sameAs
        new.photosPublic = photosPublic
        return new
    }
}

extension String {
    /// The string with its first letter in upper case ("an agent" → "An agent").
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

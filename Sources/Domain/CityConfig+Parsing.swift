import Foundation

/// A config file that breaks a rule: names the file, the path inside it and the rule.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [FieldError]

    public init(file: String, problems: [FieldError]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        let lines = problems.map { "\(file): \($0.field.isEmpty ? "(top level)" : $0.field): \($0.message)" }
        return "The config file is not valid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n" + lines.joined(separator: "\n")
    }
}

extension CityConfig {
    /// Parses and checks a config document. `file` is only used in error messages.
    public static func parse(_ bytes: some Collection<UInt8>, file: String) throws(ConfigError) -> CityConfig {
        try parse(bytes, file: file, recordingKeys: false).config
    }

    /// Parses like ``parse(_:file:)`` and also answers every key the parser read or accepts in
    /// this document, as paths with list positions written `[]` (`sites[].key`,
    /// `limits.max_body_bytes`). A section the document leaves out is not entered, so its keys
    /// are missing: `docs/interface.md`'s config table is checked with a config that has them all.
    public static func parseRecordingKeys(_ bytes: some Collection<UInt8>, file: String) throws(ConfigError) -> (config: CityConfig, keys: Set<String>) {
        let (config, keys) = try parse(bytes, file: file, recordingKeys: true)
        return (config, keys)
    }

    private static func parse(_ bytes: some Collection<UInt8>, file: String, recordingKeys: Bool) throws(ConfigError) -> (config: CityConfig, keys: Set<String>) {
        let value: JSONValue
        do throws(JSONValue.ParseError) {
            value = try JSONValue.parse(bytes, limits: .config)
        } catch {
            let kind = error.reason == .invalidUTF8 ? "UTF-8" : "JSON"
            throw ConfigError(file: file, problems: [FieldError(field: error.field, message: "the file is not valid \(kind): \(error.detail)")])
        }
        guard case .object(let object) = value else {
            throw ConfigError(file: file, problems: [FieldError(field: "", message: "must be a JSON object")])
        }
        let r = JSONReader(object, subject: "config", recordingKeys: recordingKeys)
        let config = read(r)
        if let config, r.errors.isEmpty { return (config, r.recordedKeys) }
        throw ConfigError(file: file, problems: r.errors.all)
    }

    private static func key(_ r: JSONReader, _ name: String = "key") -> String? {
        guard let k = r.string(name, required: true, maxLength: 63) else { return nil }
        guard k.wholeMatch(of: #/[a-z0-9][a-z0-9-]{0,62}/#) != nil else {
            r.fail(name, "must be lower-case letters, digits and '-' (e.g. \"publieke-ruimte\")")
            return nil
        }
        return k
    }

    /// Reports duplicate keys in a list read from `listKey`.
    private static func checkUnique(_ r: JSONReader, _ listKey: String, _ keys: [String?]) {
        var seen: Set<String> = []
        for (i, k) in keys.enumerated() {
            guard let k else { continue }
            if !seen.insert(k).inserted {
                r.fail("\(listKey)[\(i)].key", "duplicate key \"\(k)\"")
            }
        }
    }

    /// A plain e-mail address: one `@`, no spaces or angle brackets, a dot in the domain.
    static func isMailAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && !s.contains(where: { $0.isWhitespace || "<>,;\"()".contains($0) })
    }

    /// The address of `name <address>` or of a bare address; nil for anything else.
    static func mailboxAddress(_ s: String) -> String? {
        if let open = s.lastIndex(of: "<"), s.hasSuffix(">") {
            let address = String(s[s.index(after: open)..<s.index(before: s.endIndex)])
            let name = s[..<open]
            guard !name.contains(where: { "<>\r\n".contains($0) }), isMailAddress(address) else { return nil }
            return address
        }
        return isMailAddress(s) ? s : nil
    }

    /// The keys of a contact block (the ombudsman, O-punt, an external party).
    static let contactKeys: Set<String> = ["name", "phone", "email", "url", "address"]

    /// What an object inside the config says of a key it does not know.
    static let unknownKey = "is not a known config key (a typo?)"

    /// A contact block; `keyed`: one of a list, which carries its own `key` (an external party).
    private static func contact(_ r: JSONReader?, key: String?, keyed: Bool = false) -> Contact? {
        guard let r else { return nil }
        r.rejectUnknownKeys(keyed ? contactKeys.union(["key"]) : contactKeys, message: unknownKey)
        guard let name = r.localizedText("name", required: true) else { return nil }
        return Contact(
            key: key ?? "",
            name: name,
            phone: r.string("phone", maxLength: 100, allowEmpty: true) ?? "",
            email: r.string("email", maxLength: 200, allowEmpty: true) ?? "",
            url: r.string("url", maxLength: 500, allowEmpty: true) ?? "",
            address: r.string("address", maxLength: 500, allowEmpty: true) ?? ""
        )
    }

    /// `city_names`: the city's name in the config's languages other than Dutch (`city` is the
    /// Dutch one). A key that is not one of `languages`, or is `nl`, is an error, not ignored.
    private static func cityNames(_ r: JSONReader, languages: [String]) -> [String: String] {
        guard let names = r.object("city_names") else { return [:] }
        var out: [String: String] = [:]
        for (language, value) in names.object.sorted(by: { $0.key < $1.key }) {
            if language == "nl" {
                names.fail(language, "the Dutch name is `city`; city_names holds the other languages'")
            } else if !languages.contains(language) {
                names.fail(language, "is not one of the config's languages (\(languages.joined(separator: ", ")))")
            } else if let name = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty,
                name.count <= 200, !name.contains(where: \.isNewline)
            {
                out[language] = name
            } else {
                names.fail(language, "must be a non-empty string of at most 200 characters on one line")
            }
        }
        return out
    }

    // Reads every section, collecting errors; returns nil only where a required piece is missing.
    private static func read(_ r: JSONReader) -> CityConfig? {
        let city = r.string("city", required: true, maxLength: 200)

        var timeZone: TimeZone?
        if let tz = r.string("time_zone", required: true, maxLength: 100) {
            timeZone = TimeZone(identifier: tz)
            if timeZone == nil { r.fail("time_zone", "unknown time zone \"\(tz)\" (use an IANA name such as Europe/Brussels)") }
        }

        let languages = r.strings("languages", required: true, nonEmpty: true)
        for (i, l) in languages.enumerated() where l.wholeMatch(of: #/^[a-z]{2}$/#) == nil {
            r.fail("languages[\(i)]", "must be a two-letter language code such as \"nl\"")
        }
        if !languages.isEmpty && !languages.contains("nl") {
            r.fail("languages", "must include \"nl\": a Flemish city speaks Dutch to its citizens")
        }
        let cityNames = Self.cityNames(r, languages: languages)

        let siteReaders = r.objects("sites", required: true, nonEmpty: true)
        let sites: [Site] = siteReaders.compactMap { s in
            s.rejectUnknownKeys(["key", "name", "address"], message: unknownKey)
            guard let k = key(s), let n = s.localizedText("name", required: true) else { return nil }
            return Site(key: k, name: n, address: s.string("address", maxLength: 500, allowEmpty: true) ?? "")
        }
        checkUnique(r, "sites", siteReaders.map { $0.object["key"]?.stringValue })

        let districtReaders = r.objects("districts", required: true, nonEmpty: true)
        let districts: [District] = districtReaders.compactMap { d in
            d.rejectUnknownKeys(["key", "name", "population", "population_estimated", "area"], message: unknownKey)
            let k = key(d)
            let n = d.localizedText("name", required: true)
            let p = d.int("population", required: true, range: 0...100_000_000, rangeMessage: "must be a count of people, 0 or more")
            let estimated = d.bool("population_estimated") ?? false
            var area: GeoArea?
            if d.has("area"), let value = d.object["area"] {
                let parsed = GeoArea.parse(value)
                area = parsed.area
                for problem in parsed.problems {
                    d.fail(problem.path.isEmpty ? "area" : "area.\(problem.path)", problem.message)
                }
            }
            guard let k, let n, let p else { return nil }
            return District(key: k, name: n, population: p, populationEstimated: estimated, area: area)
        }
        checkUnique(r, "districts", districtReaders.map { $0.object["key"]?.stringValue })
        if !districts.isEmpty && districts.allSatisfy({ $0.population == 0 }) {
            r.fail("districts", "at least one district needs a population above 0 (the report compares shares)")
        }

        let departmentReaders = r.objects("departments", required: true, nonEmpty: true)
        let departments: [Department] = departmentReaders.compactMap { d in
            d.rejectUnknownKeys(["key", "name", "email"], message: unknownKey)
            guard let k = key(d), let n = d.localizedText("name", required: true) else { return nil }
            let email = d.string("email", maxLength: 200, allowEmpty: true) ?? ""
            if !email.isEmpty && !Self.isMailAddress(email) { d.fail("email", "must be an e-mail address such as wegen@oostende.be") }
            return Department(key: k, name: n, email: email)
        }
        checkUnique(r, "departments", departmentReaders.map { $0.object["key"]?.stringValue })
        let departmentKeys = Set(departments.map(\.key))

        let partyReaders = r.objects("external_parties", required: true, nonEmpty: true)
        let parties: [Contact] = partyReaders.compactMap { p in
            guard let k = key(p) else { return nil }
            let c = contact(p, key: k, keyed: true)
            if let c, c.phone.isEmpty && c.email.isEmpty && c.url.isEmpty {
                p.fail("phone", "an external party needs at least a phone, e-mail or url: the reporter always gets its contact details")
            }
            return c
        }
        checkUnique(r, "external_parties", partyReaders.map { $0.object["key"]?.stringValue })
        let partyKeys = Set(parties.map(\.key))

        func checkRef(_ reader: JSONReader, _ field: String, _ known: Set<String>, _ what: String) -> String? {
            guard let v = reader.string(field, maxLength: 63) else { return nil }
            guard known.contains(v) else {
                reader.fail(field, "unknown \(what) \"\(v)\" (known: \(known.sorted().joined(separator: ", ")))")
                return nil
            }
            return v
        }

        let categoryReaders = r.objects("categories", required: true, nonEmpty: true)
        let categories: [Category] = categoryReaders.compactMap { c in
            c.rejectUnknownKeys(["key", "name", "subcategories", "external_party", "department"], message: unknownKey)
            let k = key(c)
            let n = c.localizedText("name", required: true)
            let party = checkRef(c, "external_party", partyKeys, "external party")
            let dept = checkRef(c, "department", departmentKeys, "department")
            let subReaders = c.objects("subcategories")
            let subs: [Subcategory] = subReaders.compactMap { s in
                s.rejectUnknownKeys(["key", "name", "external_party", "department"], message: unknownKey)
                let sk = key(s)
                let sn = s.localizedText("name", required: true)
                let sp = checkRef(s, "external_party", partyKeys, "external party")
                let sd = checkRef(s, "department", departmentKeys, "department")
                guard let sk, let sn else { return nil }
                return Subcategory(key: sk, name: sn, externalParty: sp, department: sd)
            }
            checkUnique(c, "subcategories", subReaders.map { $0.object["key"]?.stringValue })
            guard let k, let n else { return nil }
            return Category(key: k, name: n, subcategories: subs, externalParty: party, department: dept)
        }
        checkUnique(r, "categories", categoryReaders.map { $0.object["key"]?.stringValue })

        let procReaders = r.objects("special_procedures", required: true, nonEmpty: true)
        let procedures: [SpecialProcedure] = procReaders.compactMap { p in
            p.rejectUnknownKeys(["key", "name", "department"], message: unknownKey)
            let k = key(p)
            let n = p.localizedText("name", required: true)
            var dept: String?
            if let d = p.string("department", required: true, maxLength: 63) {
                if departmentKeys.contains(d) { dept = d } else {
                    p.fail("department", "unknown department \"\(d)\" (known: \(departmentKeys.sorted().joined(separator: ", ")))")
                }
            }
            guard let k, let n, let dept else { return nil }
            return SpecialProcedure(key: k, name: n, department: dept)
        }
        checkUnique(r, "special_procedures", procReaders.map { $0.object["key"]?.stringValue })

        let ombudsman = contact(r.object("ombudsman", required: true), key: "ombudsman")
        let opunt = contact(r.object("contact"), key: "contact")

        var phoneLine: PhoneLine?
        if let p = r.object("phone_line", required: true) {
            let number = p.string("number", required: true, maxLength: 50)
            let sl = p.int("service_level_seconds", required: true, range: 1...3600, rangeMessage: "must be 1 to 3600 seconds")
            let sa = p.int("short_abandon_seconds", required: true, range: 0...600, rangeMessage: "must be 0 to 600 seconds")
            let behind = p.int(
                "event_window_behind_minutes", range: 1...5_256_000,
                rangeMessage: "must be 1 to 5256000 minutes (10 years)")
            let ahead = p.int("event_window_ahead_minutes", range: 0...1440, rangeMessage: "must be 0 to 1440 minutes")
            p.rejectUnknownKeys([
                "number", "service_level_seconds", "short_abandon_seconds", "event_window_behind_minutes",
                "event_window_ahead_minutes",
            ])
            if let number, let sl, let sa {
                var line = PhoneLine(number: number, serviceLevelSeconds: sl, shortAbandonSeconds: sa)
                line.eventWindowBehindMinutes = behind ?? line.eventWindowBehindMinutes
                line.eventWindowAheadMinutes = ahead ?? line.eventWindowAheadMinutes
                phoneLine = line
            }
        }

        let retention = r.int("retention_days", required: true, range: 1...36_500, rangeMessage: "must be 1 to 36500 days")

        var kiosk = Kiosk(idleSeconds: 120, idleWarningSeconds: 30, confirmationSeconds: 60, draftTTLMinutes: 60)
        if let k = r.object("kiosk") {
            kiosk.idleSeconds = k.int("idle_seconds", range: 5...3600) ?? kiosk.idleSeconds
            kiosk.idleWarningSeconds = k.int("idle_warning_seconds", range: 1...600) ?? kiosk.idleWarningSeconds
            kiosk.confirmationSeconds = k.int("confirmation_seconds", range: 5...3600) ?? kiosk.confirmationSeconds
            kiosk.draftTTLMinutes = k.int("draft_ttl_minutes", range: 1...10_080) ?? kiosk.draftTTLMinutes
            kiosk.draftsPerHour =
                k.int("drafts_per_hour", range: 1...3600, rangeMessage: "must be 1 to 3600 drafts per kiosk per hour")
                ?? kiosk.draftsPerHour
            kiosk.draftMaxBytes =
                k.int("draft_max_bytes", range: 1024...(1 << 20), rangeMessage: "must be 1024 to 1048576 bytes")
                ?? kiosk.draftMaxBytes
            kiosk.openDraftsPerSite =
                k.int("open_drafts_per_site", range: 1...100_000, rangeMessage: "must be 1 to 100000 drafts")
                ?? kiosk.openDraftsPerSite
            k.rejectUnknownKeys([
                "idle_seconds", "idle_warning_seconds", "confirmation_seconds", "draft_ttl_minutes", "drafts_per_hour",
                "draft_max_bytes", "open_drafts_per_site",
            ])
        }
        var limits = Limits()
        if let l = r.object("limits") {
            limits.maxBodyBytes = l.int("max_body_bytes", range: 1024...(16 << 20)) ?? limits.maxBodyBytes
            limits.publicPerMinute = l.int("public_per_minute", range: 0...1_000_000) ?? limits.publicPerMinute
            limits.connectionsPerClient = l.int("connections_per_client", range: 0...100_000) ?? limits.connectionsPerClient
            limits.headerTimeoutSeconds = l.int("header_timeout_seconds", range: 1...300) ?? limits.headerTimeoutSeconds
            limits.bodyTimeoutSeconds = l.int("body_timeout_seconds", range: 1...3600) ?? limits.bodyTimeoutSeconds
            limits.pendingBodyBytes = l.int("pending_body_bytes", range: (1 << 20)...(4 << 30)) ?? limits.pendingBodyBytes
            limits.open311PerMinute = l.int("open311_per_minute", range: 0...1_000_000) ?? limits.open311PerMinute
            limits.publicReadsPerMinute = l.int("public_reads_per_minute", range: 0...1_000_000) ?? limits.publicReadsPerMinute
            limits.statusPerMinute = l.int("status_per_minute", range: 0...1_000_000) ?? limits.statusPerMinute
            l.rejectUnknownKeys([
                "max_body_bytes", "public_per_minute", "connections_per_client", "header_timeout_seconds",
                "body_timeout_seconds", "pending_body_bytes", "open311_per_minute", "public_reads_per_minute",
                "status_per_minute",
            ])
        }
        var mail: Mail?
        if let m = r.object("mail") {
            m.rejectUnknownKeys(["smtp_url", "from", "public_url", "give_up_hours"])
            var smtp: String?
            if let u = m.string("smtp_url", required: true, maxLength: 300) {
                if let c = URLComponents(string: u), c.scheme == "smtp" || c.scheme == "smtps", c.host?.isEmpty == false,
                    c.user == nil, c.password == nil, c.query == nil
                {
                    smtp = u
                } else {
                    m.fail("smtp_url", "must be smtp://host:port or smtps://host:port (credentials come from KIOSK_SMTP_USER and KIOSK_SMTP_PASSWORD)")
                }
            }
            var from: (String, String)?
            if let f = m.string("from", required: true, maxLength: 300) {
                if let address = Self.mailboxAddress(f) { from = (f, address) } else {
                    m.fail("from", "must be an address such as \"O-punt Oostende <o-punt@oostende.be>\" or o-punt@oostende.be")
                }
            }
            var base: String?
            if let u = m.string("public_url", maxLength: 200) {
                let trimmed = u.hasSuffix("/") ? String(u.dropLast()) : u
                if let c = URLComponents(string: trimmed), c.scheme == "https" || c.scheme == "http", c.host?.isEmpty == false,
                    c.query == nil, c.fragment == nil
                {
                    base = trimmed
                } else {
                    m.fail("public_url", "must be an http or https URL such as https://meldingen.example.be")
                }
            }
            let giveUp = m.int("give_up_hours", range: 1...720, rangeMessage: "must be 1 to 720 hours") ?? 72
            if let smtp, let from {
                mail = Mail(smtpURL: smtp, from: from.0, fromAddress: from.1, publicURL: base, giveUpHours: giveUp)
            }
        }
        let feedbackDays = r.int("feedback_days", range: 1...365, rangeMessage: "must be 1 to 365 days") ?? 14
        var deadlines = Deadlines()
        if let d = r.object("deadlines") {
            d.rejectUnknownKeys(["answer_days", "comment"])
            if let days = d.object("answer_days") {
                days.rejectUnknownKeys(Set(SignalKind.allCases.map(\.rawValue)), message: "is not a kind (report, complaint, suggestion, compliment)")
                for kind in SignalKind.allCases {
                    if let n = days.int(kind.rawValue, range: 1...365, rangeMessage: "must be 1 to 365 days") {
                        deadlines.answerDays[kind] = n
                    }
                }
            }
        }
        var nearby = Nearby()
        if let n = r.object("nearby") {
            n.rejectUnknownKeys(["distance_m", "days"], message: unknownKey)
            nearby.distanceMeters = n.int("distance_m", range: 1...5000, rangeMessage: "must be 1 to 5000 metres") ?? nearby.distanceMeters
            nearby.days = n.int("days", range: 1...365, rangeMessage: "must be 1 to 365 days") ?? nearby.days
        }
        var map: MapTiles?
        if let m = r.object("map") {
            m.rejectUnknownKeys(["tile_url", "attribution", "center"], message: unknownKey)
            let url = m.string("tile_url", required: true, maxLength: 500)
            let attribution = m.string("attribution", required: true, maxLength: 500)
            var center: GeoPoint?
            if let c = m.object("center") {
                c.rejectUnknownKeys(["lat", "lon"], message: unknownKey)
                let lat = c.double("lat", required: true, range: -90...90)
                let lon = c.double("lon", required: true, range: -180...180)
                if let lat, let lon { center = GeoPoint(lon: lon, lat: lat) }
            }
            if let url {
                let ok = (url.hasPrefix("https://") || url.hasPrefix("http://")) && url.contains("{z}") && url.contains("{x}") && url.contains("{y}")
                    && !url.contains(where: { $0.isWhitespace || "\"'<>`".contains($0) })
                if !ok { m.fail("tile_url", "must be an http(s) tile URL template with {z}, {x} and {y}, such as https://tile.example.be/{z}/{x}/{y}.png") }
                if ok, let attribution { map = MapTiles(tileURL: url, attribution: attribution, center: center) }
            }
        }
        var addresses = Addresses()
        if let a = r.object("addresses") {
            a.rejectUnknownKeys(["file", "format", "suggestions", "comment"], message: unknownKey)
            addresses.file = a.string("file", maxLength: 500)
            if let f = a.string("format", maxLength: 40) {
                if ["csv", "adressenregister"].contains(f) { addresses.format = f } else {
                    a.fail("format", "must be csv or adressenregister")
                }
            }
            addresses.suggestions = a.int("suggestions", range: 1...50, rangeMessage: "must be 1 to 50") ?? addresses.suggestions
        }
        var proxies: [CIDR] = []
        for (i, text) in r.strings("trusted_proxies").enumerated() {
            if let network = CIDR(text) {
                proxies.append(network)
            } else {
                r.fail("trusted_proxies[\(i)]", "must be an IP address or network such as 10.0.0.0/8 or 2001:db8::/32")
            }
        }
        let cors = r.strings("cors_origins")
        var publicURL: String?
        if let u = r.string("public_url", maxLength: 200) {
            let trimmed = u.hasSuffix("/") ? String(u.dropLast()) : u
            if let c = URLComponents(string: trimmed), c.scheme == "https" || c.scheme == "http", c.host?.isEmpty == false,
                c.query == nil, c.fragment == nil, c.user == nil
            {
                publicURL = trimmed
            } else {
                r.fail("public_url", "must be an http or https URL such as https://meldingen.example.be, without query or fragment")
            }
        }

        r.rejectUnknownKeys([
            "city", "city_names", "time_zone", "languages", "sites", "districts", "categories", "departments",
            "special_procedures", "external_parties", "ombudsman", "contact", "phone_line",
            "retention_days", "kiosk", "limits", "cors_origins", "public_url", "trusted_proxies", "mail", "feedback_days", "deadlines", "comment", "sources",
            "nearby", "map", "addresses",
        ], message: "is not a known config key (a typo?)")

        guard let city, let timeZone, let ombudsman, let phoneLine, let retention else { return nil }
        var config = CityConfig(
            city: city, timeZone: timeZone, languages: languages, sites: sites, districts: districts,
            categories: categories, departments: departments, specialProcedures: procedures,
            externalParties: parties, ombudsman: ombudsman,
            contact: opunt ?? Contact(key: "contact", name: LocalizedText(plain: city), phone: phoneLine.number, email: "", url: "", address: ""),
            phoneLine: phoneLine, retentionDays: retention, kiosk: kiosk, limits: limits, corsOrigins: cors, publicURL: publicURL,
            trustedProxies: TrustedProxies(proxies), mail: mail, feedbackDays: feedbackDays, deadlines: deadlines
        )
        config.cityNames = cityNames
        config.nearby = nearby
        config.map = map
        config.addresses = addresses
        return config
    }
}

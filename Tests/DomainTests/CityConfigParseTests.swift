import Domain
import Foundation
import Testing

/// `CityConfig.parse`: the bundled Ostend config, and broken configs whose message
/// names the file, the path inside it and the rule (docs/interface.md §2).
struct CityConfigParseTests {
    // MARK: - The bundled config

    /// Where the map opens: `map.center`, else the middle of the box around every area (a
    /// multipolygon's parts and holes included), else nothing.
    @Test func theMapCentre() throws {
        let tiles = #"{"tile_url": "https://t.example.be/{z}/{x}/{y}.png", "attribution": "©""#
        let areas = #"[{"key": "a", "name": "A", "population": 1, "area": {"type": "Polygon", "coordinates": [[[2.0, 50.0], [3.0, 50.0], [3.0, 51.0], [2.0, 50.0]]]}},"#
            + #"{"key": "b", "name": "B", "population": 1, "area": {"type": "MultiPolygon", "coordinates": [[[[4.0, 52.0], [5.0, 52.0], [5.0, 53.0], [4.0, 52.0]]], [[[1.0, 49.0], [1.5, 49.0], [1.5, 49.5], [1.0, 49.0]]]]}},"#
            + #"{"key": "c", "name": "C", "population": 1}]"#
        let computed = try CityConfig.parse(Self.config(["map": tiles + "}", "districts": areas]), file: "cfg.json")
        #expect(computed.mapCentre == GeoPoint(lon: 3.0, lat: 51.0))
        let given = try CityConfig.parse(Self.config(["map": tiles + #", "center": {"lat": 51.2, "lon": 2.9}}"#, "districts": areas]), file: "cfg.json")
        #expect(given.mapCentre == GeoPoint(lon: 2.9, lat: 51.2))
        let none = try CityConfig.parse(Self.config(["map": tiles + "}", "districts": #"[{"key": "a", "name": "A", "population": 1}]"#]), file: "cfg.json")
        #expect(none.mapCentre == nil)
    }

    @Test func bundledOstendConfigParses() throws {
        let config = try CityConfig.parse(Fixtures.ostendBytes, file: Fixtures.ostendPath)
        #expect(config.city == "Oostende")
        #expect(config.timeZone.identifier == "Europe/Brussels")
        #expect(config.languages.contains("nl"))
        #expect(config.sites.map(\.key) == ["stadhuis", "edith-cavell"])
        #expect(config.phoneLine.number == "0800 1 8400")
        #expect(config.specialProcedure("gas-verweer")?.department == "gas")
        #expect(config.externalParty("de-lijn") != nil)
        #expect(config.resolveCategory("overlast/zwerfvuil") != nil)
        #expect(config.category("publieke-ruimte") != nil)
        #expect(config.category("administratie") != nil)
        #expect(!config.ombudsman.phone.isEmpty || !config.ombudsman.email.isEmpty)
        #expect(config.cityName.resolved(config.languages) == ["nl": "Oostende", "fr": "Ostende", "en": "Ostend", "de": "Ostende"])
    }

    /// `city` is the Dutch name; `city_names` gives the others, and a language it leaves out uses `city`.
    @Test func cityNamesFallBackToTheDutchName() throws {
        let config = try CityConfig.parse(
            Self.config(["city": #""Brugge""#, "city_names": #"{"fr": " Bruges ", "en": "Bruges"}"#]), file: "x.json")
        #expect(config.city == "Brugge")
        #expect(config.cityNames == ["fr": "Bruges", "en": "Bruges"])
        #expect(config.cityName.resolved(config.languages) == ["nl": "Brugge", "fr": "Bruges", "en": "Bruges", "de": "Brugge"])
        let without = try CityConfig.parse(Self.config([:]), file: "minimal.json")
        #expect(without.cityNames.isEmpty)
        #expect(without.cityName.text("de") == "Oostende" && without.cityName.text("nl") == "Oostende")
    }

    @Test func ostendDistrictsTotalTheCityAndCentrumIs21Point7Percent() throws {
        let config = Fixtures.ostend
        #expect(
            Set(config.districts.map(\.key))
                == ["centrum", "westerkwartier", "mariakerke", "raversijde", "stene", "konterdam", "zandvoorde", "vuurtorenwijk"])
        #expect(config.totalPopulation == 72_586)
        let centrum = try #require(config.district("centrum"))
        let share = Double(centrum.population) / Double(config.totalPopulation) * 100
        #expect(abs(share - 21.7) <= 0.05, "Centrum is \(share) %")
        // Only the total is an official figure: the split is labelled an estimate.
        #expect(config.districts.filter(\.populationEstimated).count == 8)
    }

    // MARK: - Broken configs

    /// The example of docs/interface.md §2, with the `gas` department its special procedure needs.
    static let minimal = #"""
        {
          "city": "Oostende",
          "time_zone": "Europe/Brussels",
          "languages": ["nl", "fr", "en", "de"],
          "sites": [{"key": "stadhuis", "name": "Stadhuis", "address": "Vindictivelaan 1"}],
          "districts": [{"key": "centrum", "name": "Centrum", "population": 15600}],
          "categories": [
            {"key": "publieke-ruimte", "name": {"nl": "Publieke ruimte", "en": "Public space"},
             "subcategories": [{"key": "zwerfvuil", "name": {"nl": "Zwerfvuil"}}]}
          ],
          "departments": [{"key": "wegen", "name": "Dienst Wegen"}, {"key": "gas", "name": "GAS-dienst"}],
          "special_procedures": [{"key": "gas-verweer", "name": "Verweer GAS-boete", "department": "gas"}],
          "external_parties": [{"key": "de-lijn", "name": "De Lijn", "phone": "070 220 200",
                                "email": "", "url": "https://www.delijn.be"}],
          "ombudsman": {"name": "Ombudsdienst", "phone": "", "email": ""},
          "phone_line": {"number": "0800 1 8400", "service_level_seconds": 20,
                         "short_abandon_seconds": 5},
          "retention_days": 730
        }
        """#

    /// `minimal` with top-level keys replaced (JSON text) or removed (nil).
    static func config(_ changes: [String: String?]) -> [UInt8] {
        var object = Fixtures.object(minimal)
        for (key, value) in changes {
            object[key] = value.map { text in
                (try? JSONValue.parse(Array(text.utf8))) ?? .string("unparseable test value")
            }
        }
        return Array(try! JSONEncoder().encode(JSONValue.object(object)))
    }

    @Test func minimalConfigParses() throws {
        let config = try CityConfig.parse(Self.config([:]), file: "minimal.json")
        #expect(config.categoryKeys == ["publieke-ruimte", "publieke-ruimte/zwerfvuil"])
        let kiosk: [Int] = [config.kiosk.idleSeconds, config.kiosk.idleWarningSeconds, config.kiosk.confirmationSeconds, config.kiosk.draftTTLMinutes]
        #expect(kiosk == [120, 30, 60, 60])
        // Issue 9: bounds that are safe without the keys.
        let drafts: [Int] = [config.kiosk.draftsPerHour, config.kiosk.draftMaxBytes, config.kiosk.openDraftsPerSite]
        #expect(drafts == [60, 16384, 200])
        let window: [Int] = [config.phoneLine.eventWindowBehindMinutes, config.phoneLine.eventWindowAheadMinutes]
        #expect(window == [1440, 5])
        #expect(config.contact.phone == "0800 1 8400", "O-punt's contact defaults to the phone line")
        // Hostile-client limits are on without any `limits` key (README "Hostile input").
        #expect(config.limits.maxBodyBytes == 65_536 && config.limits.connectionsPerClient == 32)
        #expect(config.limits.headerTimeoutSeconds == 10 && config.limits.bodyTimeoutSeconds == 30)
        #expect(config.trustedProxies.networks.isEmpty && config.publicURL == nil)
    }

    @Test func trustedProxiesAndPublicURLParse() throws {
        let config = try CityConfig.parse(
            Self.config(["trusted_proxies": #"["10.0.0.0/8", "::1"]"#, "public_url": #""https://meldingen.example.be/""#]),
            file: "x")
        #expect(config.trustedProxies.networks.map(\.description) == ["10.0.0.0/8", "::1/128"])
        #expect(config.publicURL == "https://meldingen.example.be")
    }

    /// The contract's own example names department `gas` without defining it.
    @Test func open311LimitsHaveSafeDefaultsAndZeroSwitchesThemOff() throws {
        let defaults = try CityConfig.parse(Self.config([:]), file: "minimal.json").limits
        #expect(defaults.open311PerMinute == 120 && defaults.publicReadsPerMinute == 60)
        let set = try CityConfig.parse(
            Self.config(["limits": #"{"open311_per_minute": 0, "public_reads_per_minute": 5}"#]), file: "x.json"
        ).limits
        #expect(set.open311PerMinute == 0 && set.publicReadsPerMinute == 5 && set.publicPerMinute == 30)
    }

    @Test func statusLimitHasASafeDefaultAndZeroSwitchesItOff() throws {
        #expect(try CityConfig.parse(Self.config([:]), file: "minimal.json").limits.statusPerMinute == 30)
        let off = try CityConfig.parse(Self.config(["limits": #"{"status_per_minute": 0}"#]), file: "x.json").limits
        #expect(off.statusPerMinute == 0)
    }

    @Test func contractExampleNeedsItsGasDepartment() {
        let withoutGas = Self.config([
            "departments": #"[{"key": "wegen", "name": "Dienst Wegen"}]"#
        ])
        #expect(throws: ConfigError.self) { try CityConfig.parse(withoutGas, file: "x") }
        do {
            _ = try CityConfig.parse(withoutGas, file: "/etc/kiosk/oostende.json")
        } catch {
            #expect(
                error.description == """
                    The config file is not valid (1 problem):
                    /etc/kiosk/oostende.json: special_procedures[0].department: unknown department "gas" (known: wegen)
                    """)
        }
    }

    struct Broken: Sendable, CustomTestStringConvertible {
        var name: String
        var changes: [String: String?]
        /// The lines after the heading, each `file: path: rule`.
        var lines: [String]
        var testDescription: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "unknown time zone", changes: ["time_zone": #""Europe/Oostende""#], lines: [#"cfg.json: time_zone: unknown time zone "Europe/Oostende" (use an IANA name such as Europe/Brussels)"#]),
        Broken(name: "time zone as an offset", changes: ["time_zone": #""+01:00""#], lines: [#"cfg.json: time_zone: unknown time zone "+01:00" (use an IANA name such as Europe/Brussels)"#]),
        Broken(name: "duplicate site key", changes: ["sites": #"[{"key": "stadhuis", "name": "Stadhuis"}, {"key": "stadhuis", "name": "Stadhuis bis"}]"#], lines: [#"cfg.json: sites[1].key: duplicate key "stadhuis""#]),
        Broken(name: "duplicate district key", changes: ["districts": #"[{"key": "centrum", "name": "C", "population": 1}, {"key": "stene", "name": "S", "population": 1}, {"key": "centrum", "name": "C2", "population": 1}]"#], lines: [#"cfg.json: districts[2].key: duplicate key "centrum""#]),
        Broken(name: "duplicate department key", changes: ["departments": #"[{"key": "gas", "name": "A"}, {"key": "gas", "name": "B"}]"#], lines: [#"cfg.json: departments[1].key: duplicate key "gas""#]),
        Broken(name: "duplicate subcategory key", changes: ["categories": #"[{"key": "overlast", "name": "Overlast", "subcategories": [{"key": "zwerfvuil", "name": "Z"}, {"key": "zwerfvuil", "name": "Z2"}]}]"#], lines: [#"cfg.json: categories[0].subcategories[1].key: duplicate key "zwerfvuil""#]),
        Broken(name: "typo inside a list's object", changes: ["sites": #"[{"key": "stadhuis", "name": "Stadhuis", "adress": "Vindictivelaan 1"}]"#, "departments": #"[{"key": "wegen", "name": "Dienst Wegen", "mail": "x@y.be"}, {"key": "gas", "name": "GAS"}]"#], lines: ["cfg.json: sites[0].adress: is not a known config key (a typo?)", "cfg.json: departments[0].mail: is not a known config key (a typo?)"]),
        Broken(name: "typo in the ombudsman and a subcategory", changes: ["ombudsman": #"{"name": "Ombudsdienst", "phone": "", "emial": ""}"#, "categories": #"[{"key": "publieke-ruimte", "name": "P", "subcategories": [{"key": "zwerfvuil", "name": "Z", "departement": "wegen"}]}]"#], lines: ["cfg.json: categories[0].subcategories[0].departement: is not a known config key (a typo?)", "cfg.json: ombudsman.emial: is not a known config key (a typo?)"]),
        Broken(name: "trusted proxy that is not a network", changes: ["trusted_proxies": #"["10.0.0.0/8", "proxy.local", "10.0.0.0/40"]"#], lines: ["cfg.json: trusted_proxies[1]: must be an IP address or network such as 10.0.0.0/8 or 2001:db8::/32", "cfg.json: trusted_proxies[2]: must be an IP address or network such as 10.0.0.0/8 or 2001:db8::/32"]),
        Broken(name: "public URL with a query", changes: ["public_url": #""https://meldingen.example.be/?x=1""#], lines: ["cfg.json: public_url: must be an http or https URL such as https://meldingen.example.be, without query or fragment"]),
        Broken(name: "connection limit out of range", changes: ["limits": #"{"connections_per_client": -1, "header_timeout_seconds": 0}"#], lines: ["cfg.json: limits.connections_per_client: must be 0 to 100000", "cfg.json: limits.header_timeout_seconds: must be 1 to 300"]),
        Broken(name: "empty list of districts", changes: ["districts": "[]"], lines: ["cfg.json: districts: must not be empty"]),
        Broken(name: "empty list of sites", changes: ["sites": "[]"], lines: ["cfg.json: sites: must not be empty"]),
        Broken(name: "empty list of categories", changes: ["categories": "[]"], lines: ["cfg.json: categories: must not be empty"]),
        Broken(name: "empty list of languages", changes: ["languages": "[]"], lines: ["cfg.json: languages: must not be empty"]),
        Broken(name: "special procedure names an unknown department", changes: ["special_procedures": #"[{"key": "gas-verweer", "name": "Verweer", "department": "boetes"}]"#], lines: [#"cfg.json: special_procedures[0].department: unknown department "boetes" (known: gas, wegen)"#]),
        Broken(name: "special procedure without department", changes: ["special_procedures": #"[{"key": "gas-verweer", "name": "Verweer"}]"#], lines: ["cfg.json: special_procedures[0].department: is required"]),
        Broken(name: "category names an unknown department", changes: ["categories": #"[{"key": "overlast", "name": "Overlast", "department": "afval"}]"#], lines: [#"cfg.json: categories[0].department: unknown department "afval" (known: gas, wegen)"#]),
        Broken(name: "subcategory names an unknown external party", changes: ["categories": #"[{"key": "mobiliteit", "name": "M", "subcategories": [{"key": "trein", "name": "Trein", "external_party": "nmbs"}]}]"#], lines: [#"cfg.json: categories[0].subcategories[0].external_party: unknown external party "nmbs" (known: de-lijn)"#]),
        Broken(name: "no Dutch", changes: ["languages": #"["fr", "en"]"#], lines: [#"cfg.json: languages: must include "nl": a Flemish city speaks Dutch to its citizens"#]),
        Broken(name: "language not a two-letter code", changes: ["languages": #"["nl", "fra"]"#], lines: [#"cfg.json: languages[1]: must be a two-letter language code such as "nl""#]),
        Broken(
            name: "city names in a language the config does not have, in Dutch, or not a name",
            changes: ["city_names": #"{"es": "Ostende", "nl": "Oostende", "fr": "", "de": 7, "en": "Ost\nend"}"#],
            lines: [
                "cfg.json: city_names.de: must be a non-empty string of at most 200 characters on one line",
                "cfg.json: city_names.en: must be a non-empty string of at most 200 characters on one line",
                "cfg.json: city_names.es: is not one of the config's languages (nl, fr, en, de)",
                "cfg.json: city_names.fr: must be a non-empty string of at most 200 characters on one line",
                "cfg.json: city_names.nl: the Dutch name is `city`; city_names holds the other languages'",
            ]),
        Broken(name: "city names as one string", changes: ["city_names": #""Ostende""#], lines: ["cfg.json: city_names: must be an object, not a string"]),
        Broken(name: "unknown top-level key", changes: ["timezone": #""Europe/Brussels""#], lines: ["cfg.json: timezone: is not a known config key (a typo?)"]),
        Broken(name: "missing city", changes: ["city": nil], lines: ["cfg.json: city: is required"]),
        Broken(name: "key in capitals", changes: ["sites": #"[{"key": "Stadhuis", "name": "Stadhuis"}]"#], lines: [#"cfg.json: sites[0].key: must be lower-case letters, digits and '-' (e.g. "publieke-ruimte")"#]),
        Broken(name: "external party nobody can reach", changes: ["external_parties": #"[{"key": "de-lijn", "name": "De Lijn", "phone": "", "email": "", "url": ""}]"#], lines: ["cfg.json: external_parties[0].phone: an external party needs at least a phone, e-mail or url: the reporter always gets its contact details"]),
        Broken(name: "every district empty", changes: ["districts": #"[{"key": "centrum", "name": "C", "population": 0}]"#], lines: ["cfg.json: districts: at least one district needs a population above 0 (the report compares shares)"]),
        Broken(name: "negative population", changes: ["districts": #"[{"key": "centrum", "name": "C", "population": -1}]"#], lines: ["cfg.json: districts[0].population: must be a count of people, 0 or more"]),
        Broken(name: "retention of 0 days", changes: ["retention_days": "0"], lines: ["cfg.json: retention_days: must be 1 to 36500 days"]),
        Broken(
            name: "Open311 limits out of range",
            changes: ["limits": #"{"open311_per_minute": -1, "public_reads_per_minute": 2.5, "open311": 1}"#],
            lines: [
                "cfg.json: limits.open311_per_minute: must be 0 to 1000000",
                "cfg.json: limits.public_reads_per_minute: must be a whole number",
                "cfg.json: limits.open311: is not a known field",
            ]),
        Broken(name: "status limit out of range", changes: ["limits": #"{"status_per_minute": -5}"#], lines: ["cfg.json: limits.status_per_minute: must be 0 to 1000000"]),
        Broken(name: "unknown kiosk key", changes: ["kiosk": #"{"idle": 60}"#], lines: ["cfg.json: kiosk.idle: is not a known field"]),
        Broken(name: "no drafts at all", changes: ["kiosk": #"{"drafts_per_hour": 0}"#], lines: ["cfg.json: kiosk.drafts_per_hour: must be 1 to 3600 drafts per kiosk per hour"]),
        Broken(name: "a draft as large as a body", changes: ["kiosk": #"{"draft_max_bytes": 10485760}"#], lines: ["cfg.json: kiosk.draft_max_bytes: must be 1024 to 1048576 bytes"]),
        Broken(name: "no open drafts", changes: ["kiosk": #"{"open_drafts_per_site": 0}"#], lines: ["cfg.json: kiosk.open_drafts_per_site: must be 1 to 100000 drafts"]),
        Broken(name: "unknown phone line key", changes: ["phone_line": #"{"number": "0800", "service_level_seconds": 20, "short_abandon_seconds": 5, "event_window": 60}"#], lines: ["cfg.json: phone_line.event_window: is not a known field"]),
        Broken(name: "an event window of 0 minutes back", changes: ["phone_line": #"{"number": "0800", "service_level_seconds": 20, "short_abandon_seconds": 5, "event_window_behind_minutes": 0}"#], lines: ["cfg.json: phone_line.event_window_behind_minutes: must be 1 to 5256000 minutes (10 years)"]),
        Broken(name: "name neither text nor map", changes: ["ombudsman": #"{"name": 7}"#], lines: ["cfg.json: ombudsman.name: must be a non-empty string or a map of language to string"]),
        Broken(
            name: "three rules at once, in file order",
            changes: ["time_zone": #""Mars/Olympus""#, "languages": #"["en"]"#, "colour": #""blue""#],
            lines: [
                #"cfg.json: time_zone: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Brussels)"#,
                #"cfg.json: languages: must include "nl": a Flemish city speaks Dutch to its citizens"#,
                "cfg.json: colour: is not a known config key (a typo?)",
            ]),
    ]

    @Test(arguments: broken)
    func namesFilePathAndRule(_ example: Broken) {
        do {
            let config = try CityConfig.parse(Self.config(example.changes), file: "cfg.json")
            Issue.record("accepted a broken config for \(config.city)")
        } catch {
            let heading = "The config file is not valid (\(example.lines.count) problem\(example.lines.count == 1 ? "" : "s")):"
            #expect(error.description == ([heading] + example.lines).joined(separator: "\n"))
        }
    }

    /// An operator who adds `"retention_days": 365` below the old value expects it to count,
    /// or to be told: the file is refused, naming the member and where it is (docs/interface.md §2).
    @Test func duplicateMemberNameIsRefused() throws {
        let text = String(decoding: Self.config([:]), as: UTF8.self)
        let twice = String(text.dropLast()) + #", "retention_days": 365}"#
        #expect(twice.components(separatedBy: "\"retention_days\"").count == 3)
        let offset = twice.utf8.count - #""retention_days": 365}"#.utf8.count
        #expect(throws: ConfigError(file: "cfg.json", problems: [
            FieldError(field: "retention_days", message: "the file is not valid JSON: duplicate key \"retention_days\" at byte \(offset)")
        ])) {
            try CityConfig.parse(Array(twice.utf8), file: "cfg.json")
        }
    }

    /// A config nested deeper than the config limit is refused, not parsed without end.
    @Test func deepConfigIsRefused() throws {
        let deep = "{\"city\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        let error = try #require(throws: ConfigError.self) { try CityConfig.parse(Array(deep.utf8), file: "cfg.json") }
        let problem = try #require(error.problems.first)
        #expect(error.problems.count == 1)
        #expect(problem.field == "city" + String(repeating: "[0]", count: 15))
        #expect(problem.message == "the file is not valid JSON: nested deeper than 16 levels at byte 23")
    }

    @Test func notAnObject() {
        #expect(throws: ConfigError(file: "cfg.json", problems: [FieldError(field: "", message: "must be a JSON object")])) {
            try CityConfig.parse(Array("[]".utf8), file: "cfg.json")
        }
        do {
            _ = try CityConfig.parse(Array("[]".utf8), file: "cfg.json")
        } catch {
            #expect(error.description == "The config file is not valid (1 problem):\ncfg.json: (top level): must be a JSON object")
        }
    }
}

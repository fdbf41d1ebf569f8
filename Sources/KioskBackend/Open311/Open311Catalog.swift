import Domain
import Foundation

/// The config's categories as GeoReport v2 services, and the attributes each one asks.
///
/// Service codes: a main category's key (`overlast`), or the main and sub keys joined
/// by a dot (`overlast.zwerfvuil`) for the `overlast/zwerfvuil` category. Config keys
/// are `[a-z0-9-]`, so the dot is unambiguous and the code is safe in a URL path
/// (`services/overlast.zwerfvuil.json`) where a `/` would not be.
///
/// Attributes map only to fields a signal has (the kind is always `report`):
/// `district`, `language` (of the answer), `contact_by` (which of the given contact
/// details may be kept), `experience_score`, and `consent_forward` where the category
/// may belong to an external party.
struct Open311Catalog: Sendable {
    struct Service: Sendable {
        /// The Open311 code, `main` or `main.sub`.
        var code: String
        /// The signal's category, `main` or `main/sub`.
        var category: String
        var main: CityConfig.Category
        var sub: CityConfig.Subcategory?
        var externalParty: CityConfig.Contact?
    }

    enum Datatype: String, Sendable {
        case string, number, datetime, text, singlevaluelist, multivaluelist
    }

    struct Attribute: Sendable {
        var code: String
        var datatype: Datatype
        var required: Bool
        var description: String
        var values: [(key: String, name: String)]

        func allows(_ key: String) -> Bool { values.contains { $0.key == key } }
    }

    enum AttributeCode {
        static let district = "district"
        static let language = "language"
        static let contactBy = "contact_by"
        static let experienceScore = "experience_score"
        static let consentForward = "consent_forward"
    }

    let config: CityConfig
    let services: [Service]

    init(config: CityConfig) {
        self.config = config
        services = config.categories.flatMap { main in
            let own = Service(
                code: main.key, category: main.key, main: main, sub: nil,
                externalParty: main.externalParty.flatMap(config.externalParty))
            return [own] + main.subcategories.map { sub in
                Service(
                    code: "\(main.key).\(sub.key)", category: "\(main.key)/\(sub.key)", main: main, sub: sub,
                    externalParty: (sub.externalParty ?? main.externalParty).flatMap(config.externalParty))
            }
        }
    }

    func service(_ code: String) -> Service? { services.first { $0.code == code } }

    func service(forCategory category: String) -> Service? { services.first { $0.category == category } }

    /// The language of names and descriptions: `locale` when the city speaks it, else the city's first.
    func language(_ locale: String?) -> String {
        if let locale, let code = locale.split(whereSeparator: { $0 == "_" || $0 == "-" }).first?.lowercased(),
           config.languages.contains(code) {
            return code
        }
        return config.languages.first ?? "nl"
    }

    /// Accepted `jurisdiction_id` values: the host of the city's website without `www.`
    /// (the standard's suggestion, e.g. `oostende.be`), and the city's name in lower case.
    var jurisdictionIDs: [String] {
        var ids: [String] = []
        if let host = URL(string: config.contact.url)?.host?.lowercased(), !host.isEmpty {
            ids.append(host.hasPrefix("www.") ? String(host.dropFirst(4)) : host)
        }
        let city = config.city.lowercased()
        if !city.isEmpty && !ids.contains(city) { ids.append(city) }
        return ids
    }

    func acceptsJurisdiction(_ id: String) -> Bool {
        jurisdictionIDs.contains(id.trimmingCharacters(in: .whitespaces).lowercased())
    }

    // MARK: Names

    func name(_ s: Service, _ language: String) -> String {
        (s.sub?.name ?? s.main.name).text(language)
    }

    func description(_ s: Service, _ language: String) -> String {
        if let sub = s.sub { return "\(s.main.name.text(language)): \(sub.name.text(language))" }
        return "\(s.main.name.text(language)): \(Open311Texts.pick(Open311Texts.otherInCategory, language))"
    }

    /// The service's name in the city's other languages, as search words.
    func keywords(_ s: Service, _ language: String) -> String {
        let text = s.sub?.name ?? s.main.name
        var seen: Set<String> = [text.text(language)]
        var out: [String] = []
        for l in config.languages {
            let n = text.text(l)
            if seen.insert(n).inserted { out.append(n) }
        }
        return out.joined(separator: ", ")
    }

    /// What the reporter should know up front: an external party's own contact details (docs/interface.md §4).
    func notice(_ s: Service, _ language: String) -> String? {
        guard let party = s.externalParty else { return nil }
        let reach = [party.phone, party.url, party.email].filter { !$0.isEmpty }.joined(separator: ", ")
        guard !reach.isEmpty else { return nil }
        return Open311Texts.format(Open311Texts.pick(Open311Texts.externalNotice, language), party.name.text(language), reach)
    }

    // MARK: Attributes

    func attributes(_ s: Service, _ language: String) -> [Attribute] {
        let t = { (text: Open311Texts.Text) in Open311Texts.pick(text, language) }
        var out: [Attribute] = []
        if !config.districts.isEmpty {
            out.append(Attribute(
                code: AttributeCode.district, datatype: .singlevaluelist, required: false, description: t(Open311Texts.district),
                values: config.districts.map { ($0.key, $0.name.text(language)) }))
        }
        if config.languages.count > 1 {
            out.append(Attribute(
                code: AttributeCode.language, datatype: .singlevaluelist, required: false, description: t(Open311Texts.language),
                values: config.languages.map { ($0, Open311Texts.languageNames[$0] ?? $0) }))
        }
        out.append(Attribute(
            code: AttributeCode.contactBy, datatype: .multivaluelist, required: false, description: t(Open311Texts.contactBy),
            values: [("email", t(Open311Texts.contactEmail)), ("phone", t(Open311Texts.contactPhone))]))
        out.append(Attribute(
            code: AttributeCode.experienceScore, datatype: .singlevaluelist, required: false,
            description: t(Open311Texts.experienceQuestion),
            values: Open311Texts.experience.enumerated().map { ("\($0.offset + 1)", "\($0.offset + 1) – \(t($0.element))") }))
        if let party = s.externalParty {
            out.append(Attribute(
                code: AttributeCode.consentForward, datatype: .singlevaluelist, required: false,
                description: Open311Texts.format(t(Open311Texts.consentForward), party.name.text(language)),
                values: [("true", t(Open311Texts.yes)), ("false", t(Open311Texts.no))]))
        }
        return out
    }

    // MARK: Documents

    /// GET Service List.
    func listNode(_ language: String) -> Open311Node {
        .list(item: "service", services.map { s in
            .record([
                ("service_code", .text(s.code)),
                ("service_name", .text(name(s, language))),
                ("description", .text(description(s, language))),
                ("metadata", .bool(!attributes(s, language).isEmpty)),
                ("type", .text("realtime")),
                ("keywords", .text(keywords(s, language).nilIfEmpty)),
                ("group", .text(s.main.name.text(language))),
            ])
        })
    }

    /// GET Service Definition.
    func definitionNode(_ s: Service, _ language: String) -> Open311Node {
        .record([
            ("service_code", .text(s.code)),
            ("attributes", .list(item: "attribute", attributes(s, language).enumerated().map { i, a in
                .record([
                    ("variable", .bool(true)),
                    ("code", .text(a.code)),
                    ("datatype", .text(a.datatype.rawValue)),
                    ("required", .bool(a.required)),
                    ("datatype_description", .text(nil)),
                    ("order", .integer(i + 1)),
                    ("description", .text(a.description)),
                    ("values", .list(item: "value", a.values.map { .record([("key", .text($0.key)), ("name", .text($0.name))]) })),
                ])
            })),
        ])
    }
}

extension String {
    /// nil for "", so an empty text is `null` in JSON and an empty element in XML alike.
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}

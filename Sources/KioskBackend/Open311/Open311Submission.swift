import Domain
import Foundation

/// The form of a POST Service Request, read and turned into a signal body for `SignalIntake`.
///
/// Fields (GeoReport v2, "POST Service Request"): `api_key`, `jurisdiction_id`,
/// `service_code`, a location (`lat` and `long`, or `address_string`, or `address_id`),
/// `attribute[code]=value` and, for a multivaluelist, repeated `attribute[code][]=value`,
/// and the optional `email`, `device_id`, `account_id`, `first_name`, `last_name`,
/// `phone`, `description`, `media_url`. `device_id` and `account_id` are read and not
/// kept: the city does not need them. Fields the standard does not name are ignored,
/// as clients may send their own extensions.
struct Open311Submission {
    var fields: [String: String] = [:]
    /// Attribute codes in the order first given, each with every value given.
    var attributes: [(code: String, values: [String])] = []
    /// Names given more than once with different values.
    var conflicts: [String] = []
    /// Names that start like an attribute but are not `attribute[code]` or `attribute[code][]`.
    var malformed: [String] = []

    /// Standard fields that must have one value.
    static let singleFields: Set<String> = [
        "api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string", "address_id", "email",
        "device_id", "account_id", "first_name", "last_name", "phone", "description", "media_url",
    ]

    init(pairs: [(String, String)]) {
        for (name, value) in pairs {
            if let code = Self.attributeCode(name) {
                if let i = attributes.firstIndex(where: { $0.code == code }) {
                    attributes[i].values.append(value)
                } else {
                    attributes.append((code, [value]))
                }
            } else if name.hasPrefix("attribute[") {
                if !malformed.contains(name) { malformed.append(name) }
            } else if Self.singleFields.contains(name) {
                if let old = fields[name], old != value {
                    if !conflicts.contains(name) { conflicts.append(name) }
                } else {
                    fields[name] = value
                }
            }
        }
    }

    /// `code` of `attribute[code]` or `attribute[code][]`.
    static func attributeCode(_ name: String) -> String? {
        guard name.hasPrefix("attribute[") else { return nil }
        var rest = name.dropFirst("attribute[".count)
        if rest.hasSuffix("][]") { rest = rest.dropLast(3) } else if rest.hasSuffix("]") { rest = rest.dropLast() } else { return nil }
        guard !rest.isEmpty, !rest.contains("["), !rest.contains("]") else { return nil }
        return String(rest)
    }

    /// A field's value; "optional" means an empty value is the same as none (the standard's "Optional Arguments").
    func value(_ name: String) -> String? {
        guard let v = fields[name]?.trimmingWhitespace(), !v.isEmpty else { return nil }
        return v
    }

    /// The signal body for `SignalIntake`, or every rule this form breaks (400).
    func signalBody(for service: Open311Catalog.Service, catalog: Open311Catalog) throws(Open311Error) -> [String: JSONValue] {
        var errors: [String] = conflicts.map { "\($0) was given more than once with different values." }
        errors += malformed.map { "\($0.prefix(60)) is not an attribute field: write attribute[code]=value, or attribute[code][]=value for each value of a multivaluelist." }
        var body: [String: JSONValue] = [
            "kind": .string(SignalKind.report.rawValue), "channel": .string(Channel.web.rawValue),
            "reporter": .string(Reporter.citizen.rawValue), "category": .string(service.category),
        ]

        // Location: lat & long, or address_string, or address_id.
        let lat = value("lat")
        let long = value("long")
        let addressString = value("address_string")
        let addressID = value("address_id")
        if (lat == nil) != (long == nil) {
            errors.append("lat and long must be sent together.")
        }
        if let lat, let long {
            if let la = Double(lat), let lo = Double(long), la.isFinite, lo.isFinite {
                body["lat"] = .number(la)
                body["lon"] = .number(lo)
            } else {
                errors.append("lat and long must be decimal degrees (WGS84), such as lat=51.2300&long=2.9200.")
            }
        }
        if lat == nil && long == nil && addressString == nil && addressID == nil {
            errors.append("A location is required: lat and long, address_string or address_id.")
        }
        if let addressString {
            body["address"] = .string(addressString)
        } else if let addressID {
            if addressID.count > 100 || addressID.utf8.count > 400 || addressID.contains(where: { $0.isNewline }) {
                errors.append("address_id must be one line of at most 100 characters and 400 bytes.")
            } else {
                body["address"] = .string(Open311Markers.addressID + addressID)
            }
        }

        // Description: optional in the standard, required of a signal, so the service's name stands in.
        var description = value("description") ?? catalog.name(service, catalog.config.languages.first ?? "nl")
        if description.count > Open311ServiceRequest.maxDescription {
            errors.append("description must be at most \(Open311ServiceRequest.maxDescription) characters.")
        } else if description.utf8.count > 4 * Open311ServiceRequest.maxDescription {
            errors.append("description must be at most \(4 * Open311ServiceRequest.maxDescription) bytes.")
        }
        if description.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            errors.append("description must not contain control characters.")
        }
        if let url = value("media_url") {
            if url.utf8.count <= 1000, !url.contains(where: \.isWhitespace),
               let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil {
                description = Open311Markers.joinMediaURL(description, url)
            } else {
                errors.append("media_url must be an http or https URL of at most 1000 bytes.")
            }
        }
        body["description"] = .string(description)

        // Attributes, checked against the service definition.
        let definitions = catalog.attributes(service, catalog.config.languages.first ?? "nl")
        var chosen: [String: [String]] = [:]
        for (code, values) in attributes {
            guard let definition = definitions.first(where: { $0.code == code }) else {
                errors.append("attribute[\(code.prefix(60))] is not an attribute of service \(service.code) (see services/\(service.code).json).")
                continue
            }
            let given = values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if definition.datatype == .singlevaluelist && given.count > 1 {
                errors.append("attribute[\(code)] takes one value (a singlevaluelist), not \(given.count).")
                continue
            }
            if let bad = given.first(where: { !definition.allows($0) }) {
                errors.append("attribute[\(code)] cannot be \"\(bad.prefix(60))\"; use one of \(definition.values.map(\.key).joined(separator: ", ")).")
                continue
            }
            // "Optional" in the standard: an empty value is the same as none.
            if !given.isEmpty { chosen[code] = given }
        }
        for definition in definitions where definition.required && (chosen[definition.code] ?? []).isEmpty {
            errors.append("attribute[\(definition.code)] is required for service \(service.code).")
        }
        typealias A = Open311Catalog.AttributeCode
        if let d = chosen[A.district]?.first { body["district"] = .string(d) }
        if let s = chosen[A.experienceScore]?.first, let n = Int(s) { body["experience_score"] = .number(Double(n)) }
        if let c = chosen[A.consentForward]?.first { body["consent_forward"] = .bool(c == "true") }

        // Contact details, only those the reporter allowed when contact_by is given.
        let allowed = chosen[A.contactBy].map(Set.init)
        var contact: [String: JSONValue] = [:]
        let name = [value("first_name"), value("last_name")].compactMap { $0 }.joined(separator: " ")
        if !name.isEmpty { contact["name"] = .string(name) }
        if let email = value("email"), allowed?.contains("email") ?? true { contact["email"] = .string(email) }
        if let phone = value("phone"), allowed?.contains("phone") ?? true { contact["phone"] = .string(phone) }
        if allowed != nil && contact["email"] == nil && contact["phone"] == nil { contact["name"] = nil }
        if let language = chosen[A.language]?.first { contact["language"] = .string(language) }
        if !contact.isEmpty { body["contact"] = .object(contact) }

        guard errors.isEmpty else { throw Open311Error(400, errors) }
        return body
    }

    /// The intake's field names in the standard's words, for its rule breaks.
    static func open311Name(_ field: String) -> String {
        switch field {
        case "category": "service_code"
        case "address": "address_string"
        case "lon": "long"
        case "contact.name": "first_name and last_name"
        case "contact.email": "email"
        case "contact.phone": "phone"
        case "contact.language": "attribute[language]"
        case "district", "experience_score", "consent_forward": "attribute[\(field)]"
        default: field
        }
    }
}

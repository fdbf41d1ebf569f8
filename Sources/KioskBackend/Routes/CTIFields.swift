import Domain
import Foundation

/// Decodes the body of a CTI push into the field map `CallEvent.parse` reads:
/// each key to its values, from `application/x-www-form-urlencoded` or JSON.
///
/// Exchanges differ in what they send: sipgate posts a form with repeated
/// `user[]`, Zammad's generic CTI accepts both, some exchanges send no
/// `Content-Type` at all. So the media type decides when it is given, and the
/// first byte otherwise (`{` is JSON). Query-string fields count too, for
/// exchanges that put the event in the URL.
enum CTIFields {
    /// - Throws: ``Problem`` 400 for JSON that does not parse or is not an object,
    ///   or a form that is not valid percent-encoded UTF-8; 415 for multipart.
    static func decode(_ request: HTTPRequest) throws -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for (key, value) in request.query {
            fields[key, default: []].append(value)
        }
        let mediaType = request.header("content-type")?
            .split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let body = request.body
        let firstByte = body.first { !(UInt8(ascii: " ") == $0 || (9...13).contains($0)) }
        let isJSON: Bool
        switch mediaType {
        case "application/json": isJSON = true
        case "application/x-www-form-urlencoded": isJSON = false
        case let type where type.hasPrefix("multipart/"):
            throw Problem.unsupportedMediaType(
                "Send the event as application/x-www-form-urlencoded or application/json, not \(type.prefix(60)).")
        default: isJSON = firstByte == UInt8(ascii: "{")
        }
        guard firstByte != nil else { return fields }
        let decoded = isJSON ? try json(body) : try form(body)
        for (key, values) in decoded {
            fields[key, default: []].append(contentsOf: values)
        }
        return fields
    }

    /// `a=1&user%5B%5D=x&user[]=y`: `+` is a space, then percent-decoding (WHATWG URL, form-urlencoded).
    static func form(_ body: [UInt8]) throws -> [(String, [String])] {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw Problem.badRequest("The form body is not valid UTF-8.")
        }
        var pairs: [(String, [String])] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let keyValue = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) throws -> String {
                guard let value = s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw Problem.badRequest("The form body has a bad percent-encoding.")
                }
                return value
            }
            let key = try decode(keyValue[0])
            let value = keyValue.count > 1 ? try decode(keyValue[1]) : ""
            pairs.append((key, [value]))
        }
        return pairs
    }

    /// A JSON object: a scalar is one value, a list of scalars several, `null` none;
    /// a nested object is not a field of the push and is skipped.
    static func json(_ body: [UInt8]) throws -> [(String, [String])] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            throw Problem.badRequest(error.message)
        }
        guard case .object(let object) = value else {
            throw Problem.badRequest("The body must be a JSON object, not \(value.typeName).")
        }
        return object.keys.sorted().map { key in
            switch object[key] {
            case .array(let items)?: (key, items.compactMap(scalar))
            case let item?: (key, scalar(item).map { [$0] } ?? [])
            case nil: (key, [])
            }
        }
    }

    /// The text of a JSON scalar: whole numbers without a fraction (`1735689600`, not `1.7e9`).
    static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .number(let d):
            if d.rounded() == d, abs(d) < 1e15 { String(Int64(d)) } else { String(d) }
        case .null, .array, .object: nil
        }
    }
}

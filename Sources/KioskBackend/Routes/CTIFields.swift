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

    /// `a=1&user%5B%5D=x&user[]=y`: `+` is a space, then percent-decoding, on the bytes
    /// (WHATWG URL, application/x-www-form-urlencoded parsing); the result must be UTF-8.
    static func form(_ body: [UInt8]) throws -> [(String, [String])] {
        var pairs: [(String, [String])] = []
        for part in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = part.firstIndex(of: UInt8(ascii: "="))
            let key = try decode(part[part.startIndex..<(equals ?? part.endIndex)])
            let value = try equals.map { try decode(part[part.index(after: $0)...]) } ?? ""
            pairs.append((key, [value]))
        }
        return pairs
    }

    /// One percent-encoded component; 400 for a bad escape or bytes that are not UTF-8.
    private static func decode(_ bytes: ArraySlice<UInt8>) throws -> String {
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) else {
                    throw Problem.badRequest("The form body has a bad percent-encoding.")
                }
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                i += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw Problem.badRequest("The form body is not valid UTF-8.")
        }
        return text
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

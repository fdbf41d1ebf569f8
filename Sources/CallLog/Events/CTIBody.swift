import Foundation
import Domain

/// Decodes the body of a CTI push into the field map ``CallEvent/parse(_:)`` reads:
/// each key to its values, from `application/x-www-form-urlencoded` or JSON.
///
/// Exchanges differ in what they send: sipgate posts a form with repeated
/// `user[]`, Zammad's generic CTI accepts both, some exchanges send no
/// `Content-Type` at all. So the media type decides when it is given, and the
/// first byte otherwise (`{` is JSON). Query-string fields count too, for
/// exchanges that put the event in the URL.
///
/// The service's CTI route and the fuzz target both call this, so the fuzzer
/// runs exactly the code an exchange's bytes go through.
public enum CTIBody {
    /// Why a body cannot be read at all (before any field rule).
    public enum DecodeError: Error, Equatable, Sendable {
        /// Answered 400: a form or JSON document that does not parse, or JSON that is not an object.
        case badBody(String)
        /// Answered 415: a media type no exchange should send (multipart).
        case unsupportedMediaType(String)
    }

    /// - Parameters:
    ///   - mediaType: the `Content-Type` header as sent, parameters included, or nil.
    ///   - query: the URL's query pairs, in order.
    public static func fields(
        body: [UInt8], mediaType: String?, query: [(String, String)] = []
    ) throws(DecodeError) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for (key, value) in query {
            fields[key, default: []].append(value)
        }
        let type = mediaType?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let firstByte = body.first { !(UInt8(ascii: " ") == $0 || (9...13).contains($0)) }
        let isJSON: Bool
        switch type {
        case "application/json": isJSON = true
        case "application/x-www-form-urlencoded": isJSON = false
        case let type where type.hasPrefix("multipart/"):
            throw .unsupportedMediaType(
                "Send the event as application/x-www-form-urlencoded or application/json, not \(type.prefix(60)).")
        default: isJSON = firstByte == UInt8(ascii: "{")
        }
        guard firstByte != nil else { return fields }
        if isJSON {
            for (key, values) in try json(body) {
                fields[key, default: []].append(contentsOf: values)
            }
        } else {
            let pairs: [(String, String)]
            do throws(FormURLEncoded.ParseError) {
                pairs = try FormURLEncoded.parse(body, limits: .request)
            } catch {
                throw .badBody(error.message)
            }
            for (key, value) in pairs {
                fields[key, default: []].append(value)
            }
        }
        return fields
    }

    /// A JSON object: a scalar is one value, a list of scalars several, `null` none;
    /// a nested object is not a field of the push and is skipped.
    static func json(_ body: [UInt8]) throws(DecodeError) -> [(String, [String])] {
        let value: JSONValue
        do throws(JSONValue.ParseError) {
            value = try JSONValue.parse(body, limits: .ctiEvent)
        } catch {
            throw .badBody(error.message)
        }
        guard case .object(let object) = value else {
            throw .badBody("The body must be a JSON object, not \(value.typeName).")
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

import Foundation

/// A JSON document as a value, so that rules can look at every field and
/// report all broken ones at once instead of stopping at the first decoding error.
///
/// Parsed by ``parse(_:limits:)``, our own single-pass parser (`JSONParser.swift`):
/// strict RFC 8259, duplicate member names refused, and depth, value count and
/// string size bounded by the ``Limits`` of each kind of document.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses UTF-8 JSON in one linear pass.
    ///
    /// - Throws: ``ParseError`` saying what is wrong and at which byte.
    public static func parse(_ bytes: some Collection<UInt8>, limits: Limits = .document) throws(ParseError) -> JSONValue {
        let outcome: Result<JSONValue, ParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
            JSONParser.parse(buffer, limits: limits)
        }
        if let outcome { return try outcome.get() }
        return try Array(bytes).withUnsafeBufferPointer { JSONParser.parse($0, limits: limits) }.get()
    }

    /// Bounds on one document, so that a small hostile body cannot cost much work or memory.
    public struct Limits: Sendable, Equatable {
        /// Arrays and objects inside one another: `{}` is depth 1, `{"a": []}` depth 2.
        public var maxDepth: Int
        /// Values of any kind, containers included (member names are not counted).
        public var maxElements: Int
        /// Bytes of one string or member name once decoded (UTF-8).
        public var maxStringBytes: Int

        public init(maxDepth: Int, maxElements: Int, maxStringBytes: Int) {
            self.maxDepth = maxDepth
            self.maxElements = maxElements
            self.maxStringBytes = maxStringBytes
        }

        /// Bodies of the API: signals, drafts, back-office and call PATCH, manual calls.
        /// A signal is an object with one nested `contact` object; a draft wraps one in
        /// `answers` (depth 3). Strings may be long here so that field rules (in characters
        /// and bytes) name the field; the body limit bounds them anyway.
        public static let requestBody = Limits(maxDepth: 4, maxElements: 200, maxStringBytes: 2 << 20)

        /// A CTI event sent as JSON: a flat object whose values are scalars or lists of scalars.
        public static let ctiEvent = Limits(maxDepth: 3, maxElements: 200, maxStringBytes: 2 << 20)

        /// The city's config file: deeper and larger, but written by an operator.
        public static let config = Limits(maxDepth: 16, maxElements: 100_000, maxStringBytes: 1 << 20)

        /// Documents the service wrote itself (stored drafts, exports): only the depth
        /// is bounded, to keep the parser's recursion small.
        public static let document = Limits(maxDepth: 64, maxElements: .max, maxStringBytes: .max)
    }

    /// Why a document is not JSON we accept, and where: `offset` is the byte
    /// (from 0) where the problem was found, `field` the path to it when inside an object
    /// (`contact.email`, `categories[2]`).
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public enum Reason: Equatable, Sendable {
            case invalidUTF8
            case unexpectedEnd
            case unexpectedByte(UInt8)
            case trailingComma
            case trailingData
            case leadingZero
            case invalidNumber
            case numberOutOfRange
            case numberTooLong(Int)
            case controlCharacterInString
            case invalidEscape
            case loneSurrogate
            case duplicateKey(String)
            case tooDeep(Int)
            case tooManyValues(Int)
            case stringTooLong(Int)
        }

        public var reason: Reason
        public var offset: Int
        /// Path components from the innermost outwards (`["email", "contact"]`), filled while the error unwinds.
        var reversedPath: [String] = []

        public init(_ reason: Reason, at offset: Int) {
            self.reason = reason
            self.offset = offset
        }

        /// The dotted path of the member or item where the error is, "" at the top.
        public var field: String {
            var out = ""
            for part in reversedPath.reversed() {
                if part.hasPrefix("[") || out.isEmpty { out += part } else { out += "." + part }
            }
            return out
        }

        /// What is wrong and where, for instance `duplicate key "kind" at byte 57`.
        public var detail: String {
            let what: String =
                switch reason {
                case .invalidUTF8: "a bad byte sequence"
                case .unexpectedEnd: "the document ends too early"
                case .unexpectedByte(let byte):
                    (0x21...0x7E).contains(byte)
                        ? "unexpected character '\(Character(Unicode.Scalar(byte)))'"
                        : "unexpected byte 0x\(String(byte, radix: 16, uppercase: true))"
                case .trailingComma: "a trailing comma"
                case .trailingData: "more data after the document"
                case .leadingZero: "a number with a leading zero"
                case .invalidNumber: "a malformed number"
                case .numberOutOfRange: "a number too large for a double"
                case .numberTooLong(let n): "a number longer than \(n) characters"
                case .controlCharacterInString: "an unescaped control character in a string"
                case .invalidEscape: "an invalid escape in a string"
                case .loneSurrogate: "a lone UTF-16 surrogate escape"
                case .duplicateKey(let key): "duplicate key \(Self.quoted(key))"
                case .tooDeep(let n): "nested deeper than \(n) levels"
                case .tooManyValues(let n): "more than \(n) values"
                case .stringTooLong(let n): "a string longer than \(n) bytes"
                }
            return "\(what) at byte \(offset)"
        }

        /// The sentence a client reads in a 400, for instance
        /// `The body is not valid JSON: duplicate key "kind" at byte 57.`
        public var message: String {
            reason == .invalidUTF8 ? "The body is not valid UTF-8: \(detail)." : "The body is not valid JSON: \(detail)."
        }

        public var description: String { message }

        public static func == (a: ParseError, b: ParseError) -> Bool {
            a.reason == b.reason && a.offset == b.offset
        }

        /// A member name for a message: at most 40 characters, quotes and controls escaped.
        static func quoted(_ key: String) -> String {
            var out = "\""
            for scalar in key.unicodeScalars.prefix(40) {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u{\(String(scalar.value, radix: 16))}"
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + (key.unicodeScalars.count > 40 ? "…\"" : "\"")
        }
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

/// Output only: documents are read with ``JSONValue/parse(_:limits:)``, never through `Decodable`.
extension JSONValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let d):
            if d.rounded() == d, abs(d) < 9.0e15 { try container.encode(Int64(d)) } else { try container.encode(d) }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

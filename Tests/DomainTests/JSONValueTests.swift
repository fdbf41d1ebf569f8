import Domain
import Foundation
import Testing

/// `JSONValue.parse`: strict RFC 8259 (a JSONTestSuite-style table of documents that
/// must and must not parse), duplicate keys refused, the limits of each kind of body,
/// and the exact errors a client reads.
struct JSONValueTests {
    static func parse(_ text: String, limits: JSONValue.Limits = .document) throws(JSONValue.ParseError) -> JSONValue {
        try JSONValue.parse(Array(text.utf8), limits: limits)
    }

    static func error(_ bytes: [UInt8], limits: JSONValue.Limits = .document) -> JSONValue.ParseError? {
        do {
            _ = try JSONValue.parse(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static func error(_ text: String, limits: JSONValue.Limits = .document) -> JSONValue.ParseError? {
        error(Array(text.utf8), limits: limits)
    }

    @Test(arguments: [
        [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D] as [UInt8],  // {"a":"\xFF"}
        [0x22, 0xC3, 0x28, 0x22],  // a broken two-byte sequence
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // an encoded surrogate
        [0x22, 0xC0, 0xAF, 0x22],  // an overlong '/'
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // an overlong three-byte '/'
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xE2, 0x82, 0x22],  // a sequence cut short by the quote
        [0x22, 0x80, 0x22],  // a lone continuation byte
        [0xC3, 0xA9],  // a non-ASCII byte outside any string
    ])
    func invalidUTF8(_ bytes: [UInt8]) throws {
        let error = try #require(Self.error(bytes))
        #expect(error.reason == .invalidUTF8)
        #expect(error.offset == bytes.firstIndex { $0 >= 0x80 })
    }

    /// Valid documents, including the corners of the grammar (JSONTestSuite's y_ cases).
    @Test(arguments: [
        ("[]", JSONValue.array([])), ("{}", .object([:])), (" \t\r\n[ ] ", .array([])),
        ("0", .number(0)), ("-0", .number(-0.0)), ("-1", .number(-1)), ("1E2", .number(100)), ("1e+2", .number(100)),
        ("1.5e-3", .number(0.0015)), ("123456789012345", .number(123_456_789_012_345)),
        ("12345678901234567890", .number(12_345_678_901_234_567_890)), ("1e-400", .number(0)),
        ("\"\"", .string("")), (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{C}\n\r\t")),
        (#""\u0000""#, .string("\u{0}")), (#""\uD834\uDD1E""#, .string("𝄞")), (#""\u00E9""#, .string("é")),
        ("\"\u{7F}\"", .string("\u{7F}")), ("\"é🌊\"", .string("é🌊")),
        (#"{"a":[1,{"b":null}],"":true}"#, .object(["a": .array([.number(1), .object(["b": .null])]), "": .bool(true)])),
    ])
    func accepts(_ text: String, _ expected: JSONValue) throws {
        #expect(try Self.parse(text) == expected)
    }

    /// Invalid documents (JSONTestSuite's n_ cases), each with what the client reads.
    @Test(arguments: [
        ("", "the document ends too early at byte 0"),
        ("   ", "the document ends too early at byte 3"),
        ("[1,]", "a trailing comma at byte 2"),
        (#"{"a": 1,}"#, "a trailing comma at byte 7"),
        ("[1 2]", "unexpected character '2' at byte 3"),
        ("[,1]", "unexpected character ',' at byte 1"),
        ("01", "a number with a leading zero at byte 0"),
        ("-01", "a number with a leading zero at byte 1"),
        ("[.5]", "unexpected character '.' at byte 1"),
        ("[+1]", "unexpected character '+' at byte 1"),
        ("[1.]", "a malformed number at byte 1"),
        ("[1e]", "a malformed number at byte 1"),
        ("[-]", "unexpected character ']' at byte 2"),
        ("[0x10]", "unexpected character 'x' at byte 2"),
        ("[1e400]", "a number too large for a double at byte 1"),
        ("[NaN]", "unexpected character 'N' at byte 1"),
        ("[Infinity]", "unexpected character 'I' at byte 1"),
        ("[tru]", "unexpected character ']' at byte 4"),
        ("nul", "the document ends too early at byte 3"),
        ("{'a': 1}", "unexpected character ''' at byte 1"),
        ("{a: 1}", "unexpected character 'a' at byte 1"),
        (#"{"a" 1}"#, "unexpected character '1' at byte 5"),
        (#"{"a": 1 /* c */}"#, "unexpected character '/' at byte 8"),
        (#"{"a": 1} // c"#, "more data after the document at byte 9"),
        ("[1] [2]", "more data after the document at byte 4"),
        ("\"a\tb\"", "an unescaped control character in a string at byte 2"),
        (#""\x41""#, "an invalid escape in a string at byte 1"),
        (#""\u12""#, "an invalid escape in a string at byte 1"),
        (#""\ud800""#, "a lone UTF-16 surrogate escape at byte 1"),
        (#""\ud800\u0041""#, "a lone UTF-16 surrogate escape at byte 1"),
        (#""\udc00\ud800""#, "a lone UTF-16 surrogate escape at byte 1"),
        ("[\u{C}1]", "unexpected byte 0xC at byte 1"),
        ("\"abc", "the document ends too early at byte 4"),
        (#"{"a":1,"a":2}"#, "duplicate key \"a\" at byte 7"),
        (#"{"x":{"b":1,"c":2,"b":3}}"#, "duplicate key \"b\" at byte 18"),
        (#"{"\u0061":1,"a":2}"#, "duplicate key \"a\" at byte 12"),
    ])
    func refuses(_ text: String, _ detail: String) throws {
        let error = try #require(Self.error(text), "accepted \(text)")
        #expect(error.detail == detail)
        #expect(error.message == "The body is not valid JSON: \(detail).")
    }

    /// The issue's example: the client reads which key, and where.
    @Test func duplicateKeyMessageNamesKeyAndByte() throws {
        let body = #"{"kind": "report", "category": "overlast", "description": "x", "kind": "question"}"#
        let error = try #require(Self.error(body, limits: .requestBody))
        #expect(error.message == "The body is not valid JSON: duplicate key \"kind\" at byte 63.")
        #expect(error.field == "kind")
        let nested = try #require(Self.error(#"{"a": [{}, {"b": {"c": 1, "c": 2}}]}"#))
        #expect(nested.field == "a[1].b.c")
    }

    @Test func depthAtAndOverTheLimit() throws {
        let limits = JSONValue.Limits(maxDepth: 4, maxElements: 100, maxStringBytes: 100)
        #expect(try Self.parse("[[[[1]]]]", limits: limits) == .array([.array([.array([.array([.number(1)])])])]))
        #expect(try Self.parse(#"{"a":{"b":{"c":{"d":1}}}}"#, limits: limits)["a"] != nil)
        #expect(Self.error("[[[[[1]]]]]", limits: limits)?.detail == "nested deeper than 4 levels at byte 4")
        #expect(Self.error(#"{"a":{"b":{"c":{"d":{}}}}}"#, limits: limits)?.detail == "nested deeper than 4 levels at byte 20")
    }

    /// Issue 9, item 1: a few hundred brackets are refused at once, not after seconds.
    @Test func theIssuesNestedBodyIsRefusedAtOnce() throws {
        let body = "{\"x\":" + String(repeating: "[", count: 500) + (1...8000).map(String.init).joined(separator: ",")
            + String(repeating: "]", count: 500) + "}"
        let error = try #require(Self.error(body, limits: .requestBody))
        #expect(error.message == "The body is not valid JSON: nested deeper than 4 levels at byte 8.")
    }

    @Test func elementCountAtAndOverTheLimit() throws {
        let limits = JSONValue.Limits(maxDepth: 4, maxElements: 5, maxStringBytes: 100)
        #expect(try Self.parse("[1,2,3,4]", limits: limits) == .array([1, 2, 3, 4].map { .number($0) }))
        #expect(Self.error("[1,2,3,4,5]", limits: limits)?.detail == "more than 5 values at byte 9")
        #expect(Self.error(#"{"a":1,"b":2,"c":3,"d":4,"e":5}"#, limits: limits)?.detail == "more than 5 values at byte 29")
    }

    @Test func stringBytesAtAndOverTheLimit() throws {
        let limits = JSONValue.Limits(maxDepth: 4, maxElements: 5, maxStringBytes: 4)
        #expect(try Self.parse(#"["éé"]"#, limits: limits) == .array([.string("éé")]))
        #expect(try Self.parse(#"["\u00e9\u00e9"]"#, limits: limits) == .array([.string("éé")]))
        #expect(Self.error(#"["ééa"]"#, limits: limits)?.detail == "a string longer than 4 bytes at byte 1")
        #expect(Self.error(#"["\u00e9\u00e9a"]"#, limits: limits)?.detail == "a string longer than 4 bytes at byte 1")
        #expect(Self.error(#"{"abcde": 1}"#, limits: limits)?.detail == "a string longer than 4 bytes at byte 1")
    }

    @Test func overlongNumbersAreRefused() throws {
        let long = "0." + String(repeating: "1", count: 200)
        #expect(Self.error(long)?.detail == "a number longer than 100 characters at byte 0")
    }

    /// The presets: a signal body fits easily, the issue's attacks do not.
    @Test func presetsFitTheirDocuments() throws {
        let signal = #"{"kind":"report","category":"overlast","description":"x","contact":{"name":"An","email":"an@example.org","language":"nl"},"lat":51.2,"lon":2.9}"#
        #expect(try Self.parse(signal, limits: .requestBody)["contact"]?["name"] == .string("An"))
        let draft = #"{"answers":{"contact":{"name":"An"}},"language":"nl"}"#
        #expect(try Self.parse(draft, limits: .requestBody)["answers"] != nil)
        let flat = "[" + Array(repeating: "1", count: 300).joined(separator: ",") + "]"
        #expect(Self.error(flat, limits: .requestBody)?.reason == .tooManyValues(200))
        #expect(try Self.parse(#"{"user":["a","b"],"x":{"y":{}}}"#, limits: .ctiEvent)["user"] != nil)
        #expect(Self.error(#"{"x":{"y":{"z":{}}}}"#, limits: .ctiEvent)?.reason == .tooDeep(3))
    }

    /// A body `{"consent_forward": 1}` must not read as `true`, nor `{"experience_score": true}` as 1.
    @Test func booleanAndNumberDoNotCrossOver() throws {
        let value = try Self.parse(#"{"consent_forward": 1, "experience_score": true}"#)
        #expect(value["consent_forward"] == .number(1))
        #expect(value["experience_score"] == .bool(true))
        #expect(value["consent_forward"]?.typeName == "a number")
        #expect(value["experience_score"]?.typeName == "a boolean")
    }

    @Test func roundTripsThroughItsEncoding() throws {
        let text = #"{"a":[1,2.5,true,null,"x"],"b":{"c":false},"d":12345678901}"#
        let value = try Self.parse(text)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(value), as: UTF8.self) == text)
    }

    @Test func escapedTextAndAstralCharacters() throws {
        #expect(try Self.parse(#""a\u00e9\n\ud83c\udf0a""#) == .string("aé\n🌊"))
        #expect(try Self.parse("\"🌊\"") == .string("🌊"))
    }

    /// Whatever Foundation's decoder reads from a valid document, ours reads the same.
    @Test func agreesWithFoundationOnValidDocuments() throws {
        let text = #"{"a": [1, -2.5e3, 0.1, 1.7976931348623157e308, 5e-324], "b": "\u00fc\t\ud83d\ude00", "c": {"d": [true, false, null]}}"#
        let ours = try Self.parse(text)
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let numbers = (theirs["a"] as! [Any]).map { ($0 as! NSNumber).doubleValue }
        #expect(ours["a"] == .array(numbers.map { .number($0) }))
        #expect(ours["b"] == .string(theirs["b"] as! String))
    }
}

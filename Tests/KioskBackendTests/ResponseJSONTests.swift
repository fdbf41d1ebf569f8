import Domain
import Foundation
@testable import KioskBackend
import Testing

/// ``ResponseJSON`` writes the bytes Foundation's `JSONEncoder` writes with the service's options,
/// checked here against Foundation itself over generated values (debug builds also compare every
/// response the tests make), and leaves to Foundation what it does not handle.
struct ResponseJSONTests {
    static let foundation: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static func same<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let ours = try ResponseJSON.encode(value)
        let theirs = Array(try foundation.encode(value))
        #expect(String(decoding: ours, as: UTF8.self) == String(decoding: theirs, as: UTF8.self), sourceLocation: sourceLocation)
    }

    struct Leaves: Encodable {
        var text: String
        var optionalText: String?
        var flag: Bool
        var optionalFlag: Bool?
        var count: Int
        var optionalCount: Int?
        var big: Int64
        var unsigned: UInt64
        var small: Int8
        var ratio: Double
        var optionalRatio: Double?
        var single: Float
        var list: [String?]
        var table: [String: [Int]]
        var nested: [Leaves]
    }

    struct Hand: Encodable {
        enum K: String, CodingKey { case b, a, c, d }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encodeNil(forKey: .b)
            var nested = c.nestedContainer(keyedBy: K.self, forKey: .a)
            try nested.encode("x/y", forKey: .d)
            var list = c.nestedUnkeyedContainer(forKey: .c)
            try list.encode(1.5)
            try list.encodeNil()
            var inner = list.nestedUnkeyedContainer()
            try inner.encode(true)
            try c.encodeIfPresent(nil as String?, forKey: .d)
        }
    }

    struct Empty: Encodable {}

    static func text<G: RandomNumberGenerator>(_ g: inout G) -> String {
        let pool: [Unicode.Scalar] = (0..<0x80).compactMap(Unicode.Scalar.init)
            + ["é", "ß", "\u{85}", "\u{a0}", "\u{2028}", "\u{2029}", "\u{200B}", "\u{FEFF}", "€", "🙂", "\u{301}", "\u{10FFFF}"]
        return String(String.UnicodeScalarView((0..<Int.random(in: 0...24, using: &g)).map { _ in pool.randomElement(using: &g)! }))
    }

    static func double<G: RandomNumberGenerator>(_ g: inout G) -> Double {
        switch Int.random(in: 0..<6, using: &g) {
        case 0: return Double(Int.random(in: -1_000_000...1_000_000, using: &g))
        case 1: return Double.random(in: 50...52, using: &g)
        case 2: return Double.random(in: -1e-6...1e-6, using: &g)
        case 3: return Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &g) & ~(0x7FF << 52) | (UInt64.random(in: 1...0x7FE, using: &g) << 52))
        case 4: return [0, -0.0, 1e21, 1e-7, 0.1 + 0.2, 5e-324, .greatestFiniteMagnitude].randomElement(using: &g)!
        default: return Double.random(in: -1e16...1e16, using: &g)
        }
    }

    static func leaves<G: RandomNumberGenerator>(_ g: inout G, depth: Int = 0) -> Leaves {
        Leaves(
            text: text(&g), optionalText: Bool.random(using: &g) ? text(&g) : nil,
            flag: Bool.random(using: &g), optionalFlag: [true, false, nil].randomElement(using: &g)!,
            count: Int.random(in: Int.min...Int.max, using: &g), optionalCount: Bool.random(using: &g) ? 7 : nil,
            big: Int64.random(in: .min ... .max, using: &g), unsigned: UInt64.random(in: 0 ... .max, using: &g),
            small: Int8.random(in: .min ... .max, using: &g),
            ratio: double(&g), optionalRatio: Bool.random(using: &g) ? double(&g) : nil,
            single: Float(double(&g).truncatingRemainder(dividingBy: 1e30)),
            list: (0..<Int.random(in: 0...3, using: &g)).map { _ in Bool.random(using: &g) ? text(&g) : nil },
            table: Dictionary((0..<Int.random(in: 0...6, using: &g)).map { _ in (text(&g), [Int.random(in: -9...99, using: &g)]) },
                              uniquingKeysWith: { a, _ in a }),
            nested: depth < 2 ? (0..<Int.random(in: 0...2, using: &g)).map { _ in leaves(&g, depth: depth + 1) } : [])
    }

    @Test func generatedValuesMatchFoundation() throws {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { try Self.same(Self.leaves(&g)) }
    }

    @Test func everyByteOfAStringMatchesFoundation() throws {
        let all = String(String.UnicodeScalarView((0..<0x800).compactMap(Unicode.Scalar.init)))
        try Self.same(["all": all, "/": "a/b", "quote": "\"\\"])
        try Self.same(all)
    }

    @Test func handWrittenContainersAndEmptyValuesMatchFoundation() throws {
        try Self.same(Hand())
        try Self.same(Empty())
        try Self.same([Empty(), Empty()])
        try Self.same([String: Int]())
        try Self.same([Int]())
        try Self.same(["b": 1, "a10": 2, "a9": 3, "A": 4, "_": 5, "é": 6, "a_b": 7, "ab": 8])
        try Self.same([3: "x", 12: "y"])
        try Self.same(Optional<String>.none)
    }

    @Test func aSignalAsEveryRoleSeesItMatchesFoundation() throws {
        var g = SystemRandomNumberGenerator()
        for n in 0..<50 {
            var signal = RecordTests.fullSignal()
            signal.description = Self.text(&g) + "\n\nmedia_url: https://x.be/1.jpg"
            signal.lat = Self.double(&g)
            if n % 2 == 0 { signal.contact = nil; signal.answer = nil; signal.dueAt = nil }
            let view = SignalView(now: Date(), config: TestApp.config)
            for role in Role.allCases {
                let caller = Caller(role: role, name: "t", department: "mobiliteit")
                try Self.same(SignalResource(signal: signal, for: caller, view: view))
                try Self.same(Page(items: [SignalResource.created(signal, for: caller, view: view)], nextCursor: "abc"))
            }
        }
    }

    @Test func whatFoundationMustWriteIsRefused() {
        #expect(throws: ResponseJSON.Unsupported.self) { try ResponseJSON.encode(["at": Date()]) }
        #expect(throws: ResponseJSON.Unsupported.self) { try ResponseJSON.encode([URL(string: "https://x.be")!]) }
        #expect(throws: ResponseJSON.Unsupported.self) { try ResponseJSON.encode(Data([1, 2])) }
        #expect(throws: ResponseJSON.Unsupported.self) { try ResponseJSON.encode(Decimal(1)) }
        #expect(throws: ResponseJSON.Unsupported.self) { try ResponseJSON.encode([Double.nan]) }
        #expect(throws: ResponseJSON.Unsupported.self) { try ResponseJSON.encode(Twice()) }
    }

    struct Twice: Encodable {
        enum K: String, CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(1, forKey: .a)
            try c.encode(2, forKey: .a)
        }
    }
}

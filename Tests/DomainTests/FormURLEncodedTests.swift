import Domain
import Testing

/// `FormURLEncoded`: the one form reader (CTI pushes, Open311), its decoding and its bounds.
struct FormURLEncodedTests {
    static func pairs(_ text: String, limits: FormURLEncoded.Limits = .request) throws(FormURLEncoded.ParseError) -> [[String]] {
        try FormURLEncoded.parse(Array(text.utf8), limits: limits).map { [$0.0, $0.1] }
    }

    @Test func decodesPlusPercentAndRepeatsInOrder() throws {
        #expect(try Self.pairs("event=newCall&from=%2B32+59&user%5B%5D=An&user[]=Bert&&empty=&bare")
            == [["event", "newCall"], ["from", "+32 59"], ["user[]", "An"], ["user[]", "Bert"], ["empty", ""], ["bare", ""]])
        #expect(try Self.pairs("a=b=c&%C3%A9=%F0%9F%8C%8A") == [["a", "b=c"], ["é", "🌊"]])
        #expect(try FormURLEncoded.grouped(Array("u=1&v=2&u=3".utf8)) == ["u": ["1", "3"], "v": ["2"]])
    }

    @Test(arguments: [
        ("a=%2", "The form body has a '%' that is not followed by two hex digits, at byte 2."),
        ("a=1&b=%zz", "The form body has a '%' that is not followed by two hex digits, at byte 6."),
        ("a=1&b=%FF", "The form body is not valid UTF-8 once decoded, in the name or value at byte 6."),
        ("%C0%AF=1", "The form body is not valid UTF-8 once decoded, in the name or value at byte 0."),
    ])
    func refusesBadEncoding(_ text: String, _ message: String) {
        #expect(throws: (any Error).self) { try Self.pairs(text) }
        do {
            _ = try Self.pairs(text)
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func boundsPairsNamesAndValues() throws {
        let limits = FormURLEncoded.Limits(maxPairs: 3, maxNameBytes: 4, maxValueBytes: 6)
        #expect(try Self.pairs("a=1&b=2&c=3", limits: limits).count == 3)
        #expect(throws: FormURLEncoded.ParseError(.tooManyPairs(3), at: 12)) { try Self.pairs("a=1&b=2&c=3&d=4", limits: limits) }
        #expect(throws: FormURLEncoded.ParseError(.nameTooLong(4), at: 4)) { try Self.pairs("a=1&abcde=2", limits: limits) }
        #expect(throws: FormURLEncoded.ParseError(.valueTooLong(6), at: 2)) { try Self.pairs("a=%C3%A9%C3%A9%C3%A9a", limits: limits) }
        #expect(try Self.pairs("a=%C3%A9%C3%A9%C3%A9", limits: limits) == [["a", "ééé"]])
    }
}

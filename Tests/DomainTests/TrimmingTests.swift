import Domain
import Foundation
import Testing

/// `trimmingWhitespace()` cuts exactly what Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)`
/// cuts (it replaced it on every field of every request), checked against Foundation itself.
struct TrimmingTests {
    /// Every scalar Foundation counts as white space or a line break, found by asking it, and a few that it does not.
    static let space: [Unicode.Scalar] = (0...0x10FFFF).compactMap(Unicode.Scalar.init).filter {
        CharacterSet.whitespacesAndNewlines.contains($0)
    }
    static let other: [String] = ["a", "é", "e\u{301}", "\u{301}", "\u{200C}", "\u{FEFF}", "\u{180E}", "🙂", "👩‍👩‍👧", "\u{1}", "x y"]

    @Test func theSetIsUnicodesWhiteSpaceAndTheZeroWidthSpace() {
        #expect(Self.space.count == 26)
        for scalar in Self.space where scalar != "\u{200B}" {
            #expect(scalar.properties.isWhitespace, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func agreesWithFoundationOnEveryMix() {
        let pads = [""] + Self.space.map { String(Character($0)) } + [" \t\r\n", "\r\n", "\u{3000}\u{85}"]
        for core in Self.other + [""] {
            for pad in pads {
                for text in [pad + core + pad, pad + core, core + pad, pad + core + " " + core + pad, pad + core + pad + core] {
                    #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines),
                            "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
                    #expect(text.dropFirst(0).trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
                }
            }
        }
    }

    @Test func aCombiningMarkAfterASpaceLosesTheSpaceAsInFoundation() {
        let text = " \u{301}abc "
        #expect(text.trimmingWhitespace().unicodeScalars.first == "\u{301}")
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

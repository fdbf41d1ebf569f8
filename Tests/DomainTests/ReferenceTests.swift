import Domain
import TestSupport
import Testing

/// Signal references: `OP-XXXX-XXXX`, Crockford base 32, random and unique.
struct ReferenceTests {
    @Test func alphabetLeavesOutLettersReadAloudWrongly() {
        #expect(Reference.alphabet.count == 32)
        #expect(Set(Reference.alphabet).count == 32)
        for letter in "ILOU" { #expect(!Reference.alphabet.contains(letter)) }
    }

    @Test func shapeAndUniquenessOverManyDraws() {
        var generator = SystemRandomNumberGenerator()
        let draws = 20_000
        var seen: Set<String> = []
        var used: Set<Character> = []
        for _ in 0..<draws {
            let reference = Reference.make(using: &generator)
            #expect(reference.count == 12)
            #expect(reference.count <= 16, "docs/interface.md §4: at most 16 characters")
            #expect(reference.hasPrefix("OP-"))
            #expect(Array(reference)[7] == "-")
            #expect(Reference.isWellFormed(reference), "\(reference)")
            #expect(reference.allSatisfy { $0.isASCII && !$0.isWhitespace })
            seen.insert(reference)
            used.formUnion(reference.dropFirst(3).filter { $0 != "-" })
        }
        // 32^8 ≈ 1.1e12 references: a collision in 20,000 draws has odds of about 2e-4.
        #expect(seen.count == draws)
        #expect(used == Set(Reference.alphabet), "every character of the alphabet turns up")
    }

    @Test func sameSeedSameReference() {
        var a = SplitMix(seed: 42)
        var b = SplitMix(seed: 42)
        #expect(Reference.make(using: &a) == Reference.make(using: &b))
    }

    @Test(arguments: [
        ("op-abcd-efgh", "OP-ABCD-EFGH"),
        ("OP-O1IL-2345", "OP-0111-2345"),
        ("op-oooo-llll", "OP-0000-1111"),
        (" OP-7K3M - 9XQ2 ", "OP-7K3M-9XQ2"),
        ("OP-7K3M-9XQ2", "OP-7K3M-9XQ2"),
        ("XY-OOOO-IIII", "XY-OOOO-IIII"),
        ("0P-7K3M-9XQ2", "OP-7K3M-9XQ2"),
        ("op7k3m9xq2", "OP-7K3M-9XQ2"),
        ("OP 7K3M 9XQ2", "OP-7K3M-9XQ2"),
        ("OP\u{2013}7K3M\u{2013}9XQ2", "OP-7K3M-9XQ2"),
        ("0p-oi1l-ooo0", "OP-0111-0000"),
        ("OP-7K3M-9XQ22", "OP-7K3M-9XQ22"),
    ])
    func normalizesWhatAPersonTyped(_ typed: String, _ normal: String) {
        #expect(Reference.normalize(typed) == normal)
    }

    @Test(arguments: [
        ("OP-7K3M-9XQ2", true), ("OP-0000-ZZZZ", true),
        ("op-7k3m-9xq2", false), ("OP-7K3M-9XQU", false), ("OP-7K3M-9XQI", false), ("OP-7K3M9XQ2", false),
        ("OP-7K3M-9XQ22", false), ("XP-7K3M-9XQ2", false), ("OP-7K3M-9XQ2\n", false), ("", false),
    ])
    func wellFormed(_ text: String, _ expected: Bool) {
        #expect(Reference.isWellFormed(text) == expected)
    }

    @Test func normalizedTypingsOfAReferenceFindIt() {
        var generator = SplitMix(seed: 7)
        for _ in 0..<500 {
            let reference = Reference.make(using: &generator)
            let typed = reference.lowercased().replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "1", with: "l")
            #expect(Reference.normalize(typed) == reference)
        }
    }
}

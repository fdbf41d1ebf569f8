import Foundation

/// The single pass behind `Open311Redaction`: the text's scalars split once into
/// tokens, detectors that walk the tokens and look at most a bounded number of tokens
/// around each, and the output built once from the ranges found.
///
/// Every detector advances past what it looked at, or looks at a bounded window, so
/// the work is linear in the text's length (issue 9: 5,000 emoji used to cost seconds).
struct Open311TextScan {
    enum Kind {
        /// Letters and ASCII digits (and the combining marks after them).
        case word
        /// Whitespace.
        case space
        /// One ASCII punctuation mark or symbol.
        case punct
        /// Anything else (emoji, other symbols), a run of them.
        case other
    }

    struct Token {
        var kind: Kind
        var start: Int
        var end: Int
        var letters = 0
        var digits = 0
        var newline = false
        var length: Int { end - start }
    }

    private let s: [Unicode.Scalar]
    private var t: [Token] = []
    private let keep: Open311Redaction.Public
    private let folder = Folder()
    /// The reporter's name, folded: each word of it and all of them joined.
    private var nameWords: Set<String> = []
    /// The longest of `nameWords`, so longer tokens are not folded for nothing.
    private var longestName = 0
    /// The name's words of 3 letters or more, for spaced-out writing.
    private var spacedNames: [[Unicode.Scalar]] = []
    private var ranges: [Range<Int>] = []

    init(_ text: String, name: String?, keep: Open311Redaction.Public) {
        s = Array(text.unicodeScalars)
        self.keep = keep
        if let name {
            var parts: [String] = []
            var current = String.UnicodeScalarView()
            for c in name.unicodeScalars {
                if Self.isLetter(c) || c.isASCIIDigit {
                    folder.fold(c, into: &current)
                } else if !Self.isMark(c), !current.isEmpty {
                    parts.append(String(current))
                    current = String.UnicodeScalarView()
                }
            }
            if !current.isEmpty { parts.append(String(current)) }
            let words = parts.filter { $0.unicodeScalars.count >= 2 && !Open311Redaction.particles.contains($0) }
            nameWords = Set(words)
            if parts.count > 1 { nameWords.insert(parts.joined()) }
            longestName = nameWords.map(\.unicodeScalars.count).max() ?? 0
            spacedNames = words.filter { $0.unicodeScalars.count >= 3 }.map { Array($0.unicodeScalars) }
        }
        tokenize()
    }

    mutating func redacted() -> String {
        emails()
        numbers()
        ibans()
        names()
        salutations()
        return output()
    }

    // MARK: Tokens

    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        c.isASCII ? (c.value | 0x20) >= 0x61 && (c.value | 0x20) <= 0x7A : c.properties.isAlphabetic
    }

    static func isMark(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    static func isPunct(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x21 && c.value <= 0x7E && !c.isASCIIDigit && !isLetter(c)) || c == "\u{FF20}"
    }

    private mutating func tokenize() {
        t.reserveCapacity(s.count / 3)
        var i = 0
        while i < s.count {
            let c = s[i]
            let start = i
            if Self.isLetter(c) || c.isASCIIDigit {
                var token = Token(kind: .word, start: start, end: start)
                while i < s.count {
                    let d = s[i]
                    if d.isASCIIDigit { token.digits += 1 } else if Self.isLetter(d) { token.letters += 1 } else if !Self.isMark(d) { break }
                    i += 1
                }
                token.end = i
                t.append(token)
            } else if c.properties.isWhitespace {
                var newline = false
                while i < s.count, s[i].properties.isWhitespace {
                    if s[i] == "\n" || s[i] == "\r" || s[i] == "\u{85}" || s[i] == "\u{2028}" || s[i] == "\u{2029}" { newline = true }
                    i += 1
                }
                t.append(Token(kind: .space, start: start, end: i, newline: newline))
            } else if Self.isPunct(c) {
                i += 1
                t.append(Token(kind: .punct, start: start, end: i))
            } else {
                i += 1
                while i < s.count, !Self.isLetter(s[i]), !s[i].isASCIIDigit, !s[i].properties.isWhitespace, !Self.isPunct(s[i]) { i += 1 }
                t.append(Token(kind: .other, start: start, end: i))
            }
        }
    }

    private func isWord(_ i: Int) -> Bool { i >= 0 && i < t.count && t[i].kind == .word }
    /// Digits only.
    /// The first token at `from` or after it where `starts` holds: where the next run a scanner
    /// looks for may begin.
    private func first(from: Int, where starts: (Int) -> Bool) -> Int? {
        (from..<max(from, t.count)).first(where: starts)
    }

    private func isNumber(_ i: Int) -> Bool { isWord(i) && t[i].letters == 0 && t[i].digits == t[i].length }
    /// Whitespace within a line.
    private func isSpace(_ i: Int) -> Bool { i >= 0 && i < t.count && t[i].kind == .space && !t[i].newline }

    private func punct(_ i: Int) -> Unicode.Scalar? {
        i >= 0 && i < t.count && t[i].kind == .punct ? s[t[i].start] : nil
    }

    private func punct(_ i: Int, _ among: String) -> Bool {
        guard let p = punct(i) else { return false }
        return among.unicodeScalars.contains(p)
    }

    /// A word token, lower case and without accents. Only short words are ever compared.
    private func folded(_ i: Int) -> String {
        var out = String.UnicodeScalarView()
        for c in s[t[i].start..<t[i].end] { folder.fold(c, into: &out) }
        return String(out)
    }

    private func isWord(_ i: Int, in words: Set<String>, maxLength: Int = 12) -> Bool {
        isWord(i) && t[i].length <= maxLength && words.contains(folded(i))
    }

    private func text(_ r: Range<Int>) -> String {
        String(String.UnicodeScalarView(s[r]))
    }

    static let closing: [Unicode.Scalar: Unicode.Scalar] = ["(": ")", "[": "]", "{": "}", "<": ">"]
    static let opening: [Unicode.Scalar: Unicode.Scalar] = [")": "(", "]": "[", "}": "{", ">": "<"]

    // MARK: E-mail addresses

    /// After a word written for a symbol that starts at token `i`: `(at)`, `[ dot ]`, or
    /// the bare word between spaces (`jan at x dot be`).
    private func wordMarker(_ i: Int, _ words: Set<String>) -> Int? {
        if let open = punct(i), let close = Self.closing[open] {
            var j = i + 1
            if isSpace(j) { j += 1 }
            guard isWord(j, in: words) else { return nil }
            j += 1
            if isSpace(j) { j += 1 }
            return punct(j) == close ? j + 1 : nil
        }
        return isSpace(i - 1) && isSpace(i + 1) && isWord(i, in: words) ? i + 1 : nil
    }

    /// The first token of such a word marker that ends at token `k`.
    private func wordMarker(endingAt k: Int, _ words: Set<String>) -> Int? {
        if let close = punct(k), let open = Self.opening[close] {
            var j = k - 1
            if isSpace(j) { j -= 1 }
            guard isWord(j, in: words) else { return nil }
            j -= 1
            if isSpace(j) { j -= 1 }
            return punct(j) == open ? j : nil
        }
        return isSpace(k - 1) && isSpace(k + 1) && isWord(k, in: words) ? k : nil
    }

    private mutating func emails() {
        var i = 0
        while i < t.count {
            let plainAt = punct(i, "@\u{FF20}")
            guard let afterAt = plainAt ? i + 1 : wordMarker(i, Open311Redaction.atWords) else {
                i += 1
                continue
            }
            var plain = plainAt
            // The local part, backwards: words joined by . - _ + ' or by a written dot.
            var first = i - 1
            if isSpace(first) {
                first -= 1
                plain = false
            }
            guard isWord(first) else {
                i = afterAt
                continue
            }
            for _ in 0..<32 {
                let k = first - 1
                if punct(k, ".-_+'"), isWord(k - 1) {
                    first = k - 1
                    continue
                }
                var m = isSpace(k) ? k - 1 : k
                if let marker = wordMarker(endingAt: m, Open311Redaction.dotWords) {
                    m = marker - 1
                    if isSpace(m) { m -= 1 }
                    if isWord(m) {
                        first = m
                        plain = false
                        continue
                    }
                }
                break
            }
            // The domain, forwards: labels joined by - within a label and by dots.
            var label = afterAt
            if isSpace(label) {
                label += 1
                plain = false
            }
            guard isWord(label) else {
                i = afterAt
                continue
            }
            var end = label + 1
            var dots = 0
            for _ in 0..<32 {
                if punct(end, "-"), isWord(end + 1) {
                    end += 2
                    continue
                }
                if punct(end, "."), isWord(end + 1) {
                    dots += 1
                    label = end + 1
                    end += 2
                    continue
                }
                let k = isSpace(end) ? end + 1 : end
                if let after = wordMarker(k, Open311Redaction.dotWords) {
                    let m = isSpace(after) ? after + 1 : after
                    if isWord(m) {
                        dots += 1
                        plain = false
                        label = m
                        end = m + 1
                        continue
                    }
                }
                break
            }
            guard dots >= 1, t[label].digits == 0, t[label].letters >= 2 else {
                i = afterAt
                continue
            }
            let range = t[first].start..<t[end - 1].end
            if !(plain && keep.emails.contains(text(range).lowercased())) {
                ranges.append(range)
            }
            i = end
        }
    }

    // MARK: Phone numbers, national register numbers

    /// Runs of digit groups, each gap at most 3 characters of spaces, `(`, `)` and one of
    /// `. / -` (no space beside a dot, which ends a sentence). A run is personal data when
    /// it holds 9 or more digits once dates are set aside, or a national register number.
    private mutating func numbers() {
        var from = 0
        while let i = first(from: from, where: { isNumber($0) }) {
            var groups = [i]
            var gaps: [String] = []
            var j = i + 1
            while true {
                var k = j
                var length = 0
                var separators = 0
                var dot = false
                var space = false
                while k < t.count, length <= 3 {
                    if isSpace(k) {
                        space = true
                    } else if punct(k, "./-") {
                        separators += 1
                        if punct(k, ".") { dot = true }
                    } else if !punct(k, "()") {
                        break
                    }
                    length += t[k].length
                    k += 1
                }
                guard k > j, length <= 3, separators <= 1, !(dot && space), isNumber(k) else { break }
                gaps.append(text(t[j].start..<t[k].start))
                groups.append(k)
                j = k + 1
            }
            judge(groups, gaps)
            from = j
        }
    }

    private mutating func judge(_ groups: [Int], _ gaps: [String]) {
        let digits = groups.map { text(t[$0].start..<t[$0].end) }
        let lengths = digits.map(\.utf8.count)
        var date = Array(repeating: false, count: groups.count)
        var a = 0
        while a + 2 < groups.count {
            let sep = gaps[a]
            let alone = (a == 0 || gaps[a - 1] != sep) && (a + 2 >= gaps.count || gaps[a + 2] != sep)
            if ["/", ".", "-"].contains(sep), gaps[a + 1] == sep, alone, Self.isDate(digits[a], digits[a + 1], digits[a + 2], sep) {
                date[a] = true
                date[a + 1] = true
                date[a + 2] = true
                a += 3
            } else {
                a += 1
            }
        }
        // YY.MM.DD-NNN.CC, whatever the separators.
        let register = groups.count >= 5 && (0...(groups.count - 5)).contains { lengths[$0..<($0 + 5)].elementsEqual([2, 2, 2, 3, 2]) }
        let counted = zip(lengths, date).reduce(0) { $0 + ($1.1 ? 0 : $1.0) }
        guard register || counted >= 9 else { return }
        var start = t[groups[0]].start
        if punct(groups[0] - 1, "+(") { start = t[groups[0] - 1].start }
        var end = t[groups[groups.count - 1]].end
        let run = text(start..<end)
        if run.unicodeScalars.filter({ $0 == "(" }).count > run.unicodeScalars.filter({ $0 == ")" }).count,
           punct(groups[groups.count - 1] + 1, ")")
        {
            end += 1
        }
        if !register, keep.phoneDigits.contains(PersonalData.normalizePhone(run)) { return }
        ranges.append(start..<end)
    }

    /// 01/06/2024, 1.6.24, 2024-06-01: a real day and month.
    static func isDate(_ a: String, _ b: String, _ c: String, _ sep: String) -> Bool {
        func valid(day: String, month: String) -> Bool {
            guard let d = Int(day), let m = Int(month) else { return false }
            return (1...31).contains(d) && (1...12).contains(m)
        }
        if a.utf8.count <= 2, b.utf8.count <= 2, [2, 4].contains(c.utf8.count) { return valid(day: a, month: b) }
        if sep == "-", a.utf8.count == 4, b.utf8.count == 2, c.utf8.count == 2 { return valid(day: c, month: b) }
        return false
    }

    // MARK: IBANs

    /// Two letters, two check digits, then letters and digits: one word of 15 to 34, or
    /// groups of at most 4 after single spaces (only the second may be letters alone);
    /// at least 10 digits in all. The check digits are not verified: a mistyped IBAN is
    /// personal data too.
    private mutating func ibans() {
        var from = 0
        while let i = first(from: from, where: { isIBANStart($0) }) {
            var total = t[i].length
            var digits = t[i].digits
            var end = i + 1
            while total < 34, end + 1 < t.count, t[end].kind == .space, t[end].length == 1, s[t[end].start] == " ",
                  isWord(end + 1), t[end + 1].length <= 4, isASCIIAlphanumeric(t[end + 1]), total + t[end + 1].length <= 34,
                  t[end + 1].digits > 0 || end == i + 1  // letters only: a bank code, right after the country (GB82 WEST …)
            {
                total += t[end + 1].length
                digits += t[end + 1].digits
                end += 2
            }
            if (15...34).contains(total), digits >= 10 {
                ranges.append(t[i].start..<t[end - 1].end)
                from = end
            } else {
                from = i + 1
            }
        }
    }

    private func isASCIIAlphanumeric(_ token: Token) -> Bool {
        s[token.start..<token.end].allSatisfy { $0.isASCII && ($0.isASCIIDigit || Self.isLetter($0)) }
    }

    /// A word of 4 to 34 characters that starts as an IBAN: two letters, two digits.
    private func isIBANStart(_ i: Int) -> Bool {
        guard isWord(i), t[i].letters >= 2, t[i].length >= 4, t[i].length <= 34 else { return false }
        let token = t[i], a = token.start
        return isASCIIAlphanumeric(token) && Self.isLetter(s[a]) && Self.isLetter(s[a + 1]) && s[a + 2].isASCIIDigit && s[a + 3].isASCIIDigit
    }

    // MARK: The reporter's name

    private mutating func names() {
        guard !nameWords.isEmpty else { return }
        for i in t.indices where t[i].kind == .word && t[i].letters > 0 && t[i].length <= longestName * 3 {
            if nameWords.contains(folded(i)) { ranges.append(t[i].start..<t[i].end) }
        }
        // Spaced out: single letters apart, "J a n  P e e t e r s" or "J.A.N.".
        var from = 0
        while let i = first(from: from, where: { isSingleLetter($0) }) {
            var letters = [i]
            var j = i + 1
            while true {
                var k = j
                if punct(k, ".") { k += 1 }
                if isSpace(k) { k += 1 }
                guard k > j, isSingleLetter(k) else { break }
                letters.append(k)
                j = k + 1
            }
            if letters.count >= 3 { findSpaced(letters) }
            from = j
        }
    }

    private func isSingleLetter(_ i: Int) -> Bool { isWord(i) && t[i].letters == 1 && t[i].digits == 0 }

    private mutating func findSpaced(_ letters: [Int]) {
        var chars: [Unicode.Scalar] = []
        var owner: [Int] = []
        for (n, i) in letters.enumerated() {
            for c in folded(i).unicodeScalars {
                chars.append(c)
                owner.append(n)
            }
        }
        for word in spacedNames where word.count <= chars.count {
            for p in 0...(chars.count - word.count) where chars[p] == word[0] {
                if chars[p..<(p + word.count)].elementsEqual(word) {
                    ranges.append(t[letters[owner[p]]].start..<t[letters[owner[p + word.count - 1]]].end)
                }
            }
        }
    }

    // MARK: Salutations

    /// "Beste mevrouw Peeters," keeps "Beste " and loses the rest, up to , . ! : or the
    /// line's end, at most 60 characters (and the rest of the word the limit falls in).
    private mutating func salutations() {
        var i = 0
        while i < t.count {
            guard isWord(i, in: Open311Redaction.salutations), i + 1 < t.count, t[i + 1].kind == .space else {
                i += 1
                continue
            }
            let from = t[i + 1].end
            var to = from
            while to < s.count, to - from < 60, !",\n\r!.:".unicodeScalars.contains(s[to]) { to += 1 }
            guard to > from else {
                i += 1
                continue
            }
            var k = i + 2
            while k < t.count, t[k].end <= to { k += 1 }
            if k < t.count, t[k].start < to, t[k].kind == .word || t[k].kind == .other {
                to = t[k].end
                k += 1
            }
            ranges.append(from..<to)
            i = k
        }
    }

    // MARK: Output

    private func spacesOnly(_ r: Range<Int>) -> Bool {
        s[r].allSatisfy { $0.properties.isWhitespace && $0 != "\n" && $0 != "\r" }
    }

    /// Sorts and joins the ranges (overlapping, or apart by spaces only: "Jan Peeters" is
    /// one `[…]`), takes in brackets around one ("(Jan Peeters)"), and writes the text.
    private mutating func output() -> String {
        guard !ranges.isEmpty else { return String(String.UnicodeScalarView(s)) }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var joined: [Range<Int>] = []
        func add(_ r: Range<Int>) {
            if let last = joined.last, r.lowerBound <= last.upperBound || spacesOnly(last.upperBound..<r.lowerBound) {
                joined[joined.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                joined.append(r)
            }
        }
        for r in ranges { add(r) }
        var bracketed: [Range<Int>] = []
        var floor = 0
        for r in joined {
            var a = r.lowerBound - 1
            while a >= floor, s[a] == " " { a -= 1 }
            var b = r.upperBound
            while b < s.count, s[b] == " " { b += 1 }
            if a >= floor, b < s.count, let close = Self.closing[s[a]], s[b] == close {
                bracketed.append(a..<(b + 1))
            } else {
                bracketed.append(r)
            }
            floor = bracketed[bracketed.count - 1].upperBound
        }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(s.count)
        var at = 0
        for r in bracketed {
            out.append(contentsOf: s[at..<r.lowerBound])
            out.append(contentsOf: Open311Redaction.mark.unicodeScalars)
            at = r.upperBound
        }
        out.append(contentsOf: s[at...])
        return String(out)
    }
}

/// Case and accent folding of single scalars, remembered: ASCII directly, the rest
/// through Foundation once per distinct scalar.
private final class Folder {
    private var cache: [UInt32: String] = [:]

    func fold(_ c: Unicode.Scalar, into out: inout String.UnicodeScalarView) {
        if c.isASCII {
            out.append(c.value >= 0x41 && c.value <= 0x5A ? Unicode.Scalar(c.value | 0x20)! : c)
            return
        }
        if Open311TextScan.isMark(c) { return }
        if let known = cache[c.value] {
            out.append(contentsOf: known.unicodeScalars)
            return
        }
        let folded = String(Character(c)).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        cache[c.value] = folded
        out.append(contentsOf: folded.unicodeScalars)
    }
}

extension Unicode.Scalar {
    /// An ASCII digit.
    var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
}

extension StringProtocol {
    /// The text without leading and trailing white space and line breaks: the same characters as
    /// Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` (Unicode's White_Space
    /// property: U+0009–U+000D, U+0085 and the Z* categories; on Linux also U+200B, the zero-width
    /// space), cut at the same scalars, without bridging to `NSString`, which made the trim the
    /// most expensive step of reading a field.
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        let blank = { (c: Unicode.Scalar) in c.properties.isWhitespace || c == "\u{200B}" }
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let end = scalars.index(after: scalars.lastIndex(where: { !blank($0) })!)
        return String(decoding: utf8[first..<end], as: UTF8.self)
    }
}

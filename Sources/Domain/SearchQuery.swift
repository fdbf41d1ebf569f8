/// The back office's search words (`q=`, docs/interface.md §13) as an SQLite FTS5 query.
///
/// The user's text is never passed as FTS5 syntax: it is cut into words the way the index's
/// `unicode61` tokenizer cuts text (letters and digits; everything else separates), and each
/// word becomes a quoted prefix term, `"word"*`, all of which must match. A quote, `NEAR`,
/// `OR`, a column filter or a `*` in the input is therefore only a separator or a word.
/// https://www.sqlite.org/fts5.html#full_text_query_syntax
public enum SearchQuery {
    public static let maxBytes = 200
    public static let maxWords = 12

    public enum Refusal: Error, Equatable {
        case tooLong, noWords, tooManyWords

        public var message: String {
            switch self {
            case .tooLong: "must be at most \(SearchQuery.maxBytes) bytes"
            case .noWords: "must hold at least one word (letters or digits)"
            case .tooManyWords: "must hold at most \(SearchQuery.maxWords) words"
            }
        }
    }

    /// The words of `text`, lower-cased, as the tokenizer would cut them.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for ch in text {
            if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }

    /// The FTS5 MATCH expression for `text`. A leading "OP-" (a reference typed in part) is left
    /// out: the index holds references without it.
    public static func match(_ text: String) throws(Refusal) -> String {
        guard text.utf8.count <= maxBytes else { throw .tooLong }
        var words = words(text)
        if words.count > 1, words[0] == "op",
           text.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("op-") {
            words.removeFirst()
        }
        guard !words.isEmpty else { throw .noWords }
        guard words.count <= maxWords else { throw .tooManyWords }
        // Words hold only letters and digits, so no quote needs escaping; doubled anyway, as
        // FTS5's string syntax asks, should the word rule ever change.
        return words.map { "\"\($0.replacing("\"", with: "\"\""))\"*" }.joined(separator: " ")
    }
}

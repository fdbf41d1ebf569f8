/// A text in several languages. A config name may be one plain string (used for
/// every language) or a map of language code to string.
public struct LocalizedText: Sendable, Equatable, Codable {
    public private(set) var texts: [String: String]
    /// The text to use when a language is missing: Dutch, or the one plain string.
    public let fallback: String

    public init(plain: String) {
        self.texts = [:]
        self.fallback = plain
    }

    public init(_ texts: [String: String], fallbackLanguage: String = "nl") {
        self.texts = texts
        self.fallback = texts[fallbackLanguage] ?? texts.sorted { $0.key < $1.key }.first?.value ?? ""
    }

    public func text(_ language: String) -> String {
        texts[language] ?? fallback
    }

    /// The text in every given language, falling back where one is missing.
    public func resolved(_ languages: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: languages.map { ($0, text($0)) })
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(texts.isEmpty ? ["nl": fallback] : texts)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let s = try? container.decode(String.self) {
            self.init(plain: s)
        } else {
            self.init(try container.decode([String: String].self))
        }
    }
}

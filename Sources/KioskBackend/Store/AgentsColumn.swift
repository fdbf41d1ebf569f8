import Foundation

/// The `call.agents` column: the agents' names as a JSON list of strings.
///
/// Every exchange event reads and writes it, so the common case (names without
/// quotes, backslashes or control characters) is written and read by hand;
/// anything else goes through Foundation's JSON coders.
enum AgentsColumn {
    static func encode(_ agents: [String]) -> String {
        if agents.allSatisfy(isPlain) {
            return "[" + agents.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        }
        let data = (try? JSONEncoder().encode(agents)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [String] {
        if text == "[]" { return [] }
        if text.hasPrefix("[\""), text.hasSuffix("\"]"), !text.contains("\\") {
            let inner = text.dropFirst(2).dropLast(2)
            let names = inner.components(separatedBy: "\",\"")
            if names.allSatisfy(isPlain) { return names }
        }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    /// A name that needs no escaping in JSON.
    private static func isPlain(_ name: some StringProtocol) -> Bool {
        name.unicodeScalars.allSatisfy { $0 != "\"" && $0 != "\\" && $0.value >= 0x20 }
    }
}

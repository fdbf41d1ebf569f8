import Domain
import Foundation
import Testing

/// The bundled Ostend config, found from this file's place in the package.
enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // DomainTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let ostendPath = packageRoot.appendingPathComponent("config/ostend.json").path

    static let ostendBytes: [UInt8] = {
        guard let data = FileManager.default.contents(atPath: ostendPath) else {
            preconditionFailure("config/ostend.json is missing at \(ostendPath)")
        }
        return Array(data)
    }()

    /// Parsed once; a test that needs it to parse asserts that separately.
    static let ostend: CityConfig = {
        do {
            return try CityConfig.parse(ostendBytes, file: "config/ostend.json")
        } catch {
            preconditionFailure("config/ostend.json does not parse:\n\(error)")
        }
    }()

    static let brussels = TimeZone(identifier: "Europe/Brussels")!

    /// A JSON object written as JSON text, so a table reads like the request a client sends.
    static func object(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String: JSONValue] {
        guard case .object(let o)? = try? JSONValue.parse(Array(text.utf8)) else {
            Issue.record("not a JSON object: \(text)", sourceLocation: sourceLocation)
            return [:]
        }
        return o
    }

    /// An instant written as RFC 3339.
    static func instant(_ text: String) -> Date {
        guard let d = Timestamp.parse(text) else { preconditionFailure("bad timestamp \(text)") }
        return d
    }
}

import Domain
import Foundation
import Mustache

/// The message templates a city can edit (docs/interface.md §11), loaded and checked once at start-up.
///
/// Layout of the folder (`--templates-dir`, default the bundled `templates/`):
///
///     mail/layout.html.mustache                 the HTML frame every message shares
///     mail/{language}/footer.txt.mustache       O-punt's contact details under every message
///     mail/{language}/footer.html.mustache
///     mail/{language}/{kind}.subject.mustache   one per kind: acknowledgement, answer,
///     mail/{language}/{kind}.txt.mustache       forward, department, ombudsman
///     mail/{language}/{kind}.html.mustache
///
/// Each file is registered under its name without `.mustache` (`answer.txt`), so an HTML
/// template inherits the layout with `{{<layout.html}}` and includes `{{>footer.html}}`.
/// Subject and text files are rendered without HTML escaping; HTML files escape every
/// `{{value}}`. Dutch is required; a language of the config without a folder falls back
/// to Dutch, and ``fallbacks`` names it so start-up can say so.
public struct MailTemplates: Sendable {
    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// The language every city must have templates for, and the fallback.
    public static let required = "nl"
    static let parts = ["subject", "txt", "html"]
    static let shared = ["kind.txt", "footer.txt", "footer.html"]
    /// Partials used inside a sentence: their last line break is not part of the text.
    static let inline: Set<String> = ["kind.txt"]

    /// The templates of each language that has its own folder.
    let libraries: [String: MustacheLibrary]
    /// Languages of the config that have no folder and so get Dutch messages.
    public let fallbacks: [String]

    /// Loads `directory/mail` for `languages` (the config's); throws naming the first file
    /// that is missing or does not parse.
    public static func load(directory: String, languages: [String]) throws -> MailTemplates {
        let root = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent("mail", isDirectory: true)
        let layoutFile = root.appendingPathComponent("layout.html.mustache").path
        let layout = try template(at: layoutFile, text: false)
        var libraries: [String: MustacheLibrary] = [:]
        var fallbacks: [String] = []
        var wanted = [required]
        for language in languages where !wanted.contains(language) { wanted.append(language) }
        for language in wanted {
            let folder = root.appendingPathComponent(language, isDirectory: true)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                if language == required {
                    throw LoadError(description: "\(folder.path): missing; the Dutch mail templates are required (see templates/mail/nl in the package)")
                }
                fallbacks.append(language)
                continue
            }
            var library = MustacheLibrary()
            library.register(layout, named: "layout.html")
            let names = shared + MessageKind.allCases.flatMap { kind in parts.map { "\(kind.rawValue).\($0)" } }
            for name in names {
                let file = folder.appendingPathComponent("\(name).mustache").path
                library.register(
                    try template(at: file, text: !name.hasSuffix(".html"), inline: inline.contains(name)), named: name)
            }
            libraries[language] = library
        }
        return MailTemplates(libraries: libraries, fallbacks: fallbacks)
    }

    /// The package's own templates; a bundled template that does not load is a bug.
    public static func bundled(languages: [String]) -> MailTemplates {
        do {
            return try load(directory: ConfigLoader.bundledTemplatesPath, languages: languages)
        } catch {
            preconditionFailure("the bundled mail templates do not load: \(error)")
        }
    }

    /// The language a message in `language` is written in: its own, or Dutch.
    public func language(for language: String) -> String {
        libraries[language] == nil ? Self.required : language
    }

    /// Renders `kind`'s `part` (`subject`, `txt` or `html`) in `language` (already resolved).
    func render(_ kind: MessageKind, _ part: String, language: String, values: [String: Any]) -> String {
        let library = libraries[language] ?? libraries[Self.required]!
        return library.render(values, withTemplate: "\(kind.rawValue).\(part)") ?? ""
    }

    /// Reads and parses one file. Text files get the TEXT content type up front (nothing in
    /// them is HTML-escaped); an inline partial loses its last line break.
    private static func template(at path: String, text: Bool, inline: Bool = false) throws -> MustacheTemplate {
        do {
            return try MustacheFile.load(
                path, what: "mail template", pragma: text ? "{{% CONTENT_TYPE: TEXT}}" : nil, trimmingFinalNewlines: inline)
        } catch {
            throw LoadError(description: error.message)
        }
    }
}

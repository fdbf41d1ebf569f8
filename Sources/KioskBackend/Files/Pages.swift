import Domain
import Foundation
import Mustache

/// The pages (docs/interface.md §10), rendered once at start-up from Mustache templates so that
/// the head and the header are written once and the city's name and languages come from the config.
///
/// Layout of the folder (`Static/pages/` under `--static-dir`):
///
///     layout.html.mustache      the frame of every page: <head>, header, <main>; blocks a page fills
///     citizen.html.mustache     (and other files that are no page) parents that pages inherit
///     index.html.mustache       one per page of ``StaticFiles``, named after the file it serves
///
/// Each file is registered under its name without `.mustache`, so a page inherits with
/// `{{<layout.html}}`. Every `{{value}}` is HTML-escaped. The values: `city` (the Dutch name),
/// `languages` (the config's, space-separated) and `cityNames` (JSON: the name in every language),
/// which the pages' script reads from the `<html>` element.
public struct Pages: Sendable {
    public struct LoadError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// The file name of every page the service serves (``StaticFiles``).
    public static var files: [String] { StaticFiles.pageFiles }

    /// The rendered HTML by the file name a route serves (`index.html`).
    let html: [String: [UInt8]]

    /// The rendered page `file`; empty for a file that is no page (a bug in ``StaticFiles``).
    func bytes(_ file: String) -> [UInt8] { html[file] ?? [] }

    /// Renders `files` (`index.html`, …) from `directory/pages` with `config`'s values; throws naming
    /// the first template that is missing, does not parse, or does not make a page.
    public static func render(directory: URL, files: [String], config: CityConfig) throws -> Pages {
        let folder = directory.appendingPathComponent("pages", isDirectory: true)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".html.mustache") }.sorted()
        var library = MustacheLibrary()
        for name in names {
            library.register(try template(at: folder.appendingPathComponent(name).path), named: String(name.dropLast(".mustache".count)))
        }
        let values = values(config)
        var html: [String: [UInt8]] = [:]
        for file in files {
            let path = folder.appendingPathComponent(file + ".mustache").path
            guard names.contains(file + ".mustache") else {
                throw LoadError(description: "\(path): cannot read the page template (does it exist?)")
            }
            let page = library.render(values, withTemplate: file) ?? ""
            // A parent that is not there renders as nothing: what is left is no page.
            guard page.hasPrefix("<!doctype html>"), page.contains("</html>") else {
                throw LoadError(description: "\(path): does not render a whole page (does it inherit layout.html, and is that there?)")
            }
            html[file] = Array(page.utf8)
        }
        return Pages(html: html)
    }

    /// The package's own pages for `config`, from `directory`; a bundled page that does not render is a bug.
    static func rendered(directory: URL, config: CityConfig) -> Pages {
        do {
            return try render(directory: directory, files: files, config: config)
        } catch {
            preconditionFailure("the pages in \(directory.path) do not render: \(error)")
        }
    }

    /// What the templates may say: the Dutch name, the languages and the name in each of them.
    static func values(_ config: CityConfig) -> [String: Any] {
        let names = config.cityName.resolved(config.languages)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(names)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        return ["city": config.city, "languages": config.languages.joined(separator: " "), "cityNames": json]
    }

    private static func template(at path: String) throws -> MustacheTemplate {
        do {
            return try MustacheFile.load(path, what: "page template")
        } catch {
            throw LoadError(description: error.message)
        }
    }
}

import Domain
import Foundation
@testable import KioskBackend
import Testing

/// The pages rendered from `Static/pages/` (issue 14): the head and header written once, the city's
/// name and languages from the config, served with a page's headers.
struct PagesTests {
    static let staticDirectory = TestApp.packageRoot.appendingPathComponent("Static", isDirectory: true)

    static func html(_ pages: Pages, _ file: String) -> String { String(decoding: pages.bytes(file), as: UTF8.self) }

    @Test func everyPageNamesTheConfigsCityAndLanguages() throws {
        var config = TestApp.config
        config.city = "Brugge"
        config.cityNames = ["fr": "Bruges"]
        config.languages = ["nl", "fr"]
        let pages = try Pages.render(directory: Self.staticDirectory, files: Pages.files, config: config)
        #expect(Pages.files.count == 10)
        for file in Pages.files {
            let html = Self.html(pages, file)
            #expect(html.hasPrefix("<!doctype html>\n<html lang=\"nl\""), "\(file)")
            #expect(html.contains(" — O-punt Brugge</title>"), "\(file)")
            #expect(html.contains(#"data-languages="nl fr""#), "\(file)")
            #expect(html.contains(#"data-city-names="{&quot;fr&quot;:&quot;Bruges&quot;,&quot;nl&quot;:&quot;Brugge&quot;}""#), "\(file)")
            #expect(!html.contains("Oostende") && !html.contains("Ostend") && !html.contains("{{"), "\(file)")
        }
        #expect(Self.html(pages, "index.html").contains(#"<span data-i18n="app.city">Stad Brugge</span>"#))
        #expect(Self.html(pages, "kiosk.html").contains(#"<html lang="nl" class="kiosk-root" "#))
        #expect(Self.html(pages, "status.html").contains(#"<meta name="robots" content="noindex">"#))
        #expect(Self.html(pages, "backoffice.html").contains(#"<body class="staff staff-wide backoffice-page">"#))
    }

    @Test func aPageIsServedAsRenderedWithAPagesHeaders() async throws {
        let app = try TestApp()
        for (path, file, cache) in [("/", "index.html", "no-cache"), ("/status/MLD-2026-000001", "status.html", "no-store")] {
            let response = await app.get(path)
            #expect(response.status == 200)
            #expect(response.body == TestApp.pages.bytes(file))
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.header("Cache-Control") == cache)
        }
    }

    @Test func aBrokenTemplateIsNamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pages-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("pages"), withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("pages/index.html.mustache")
        try Data("{{#open}}\n".utf8).write(to: file)
        #expect(throws: Pages.LoadError.self) {
            try Pages.render(directory: folder, files: ["index.html"], config: TestApp.config)
        }
        do {
            _ = try Pages.render(directory: folder, files: ["index.html"], config: TestApp.config)
        } catch {
            #expect("\(error)".hasPrefix("\(file.path):"))
            #expect("\(error)".contains("does not parse"))
        }
    }
}

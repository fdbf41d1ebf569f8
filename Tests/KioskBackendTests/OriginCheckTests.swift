import Domain
import Foundation
@testable import KioskBackend
import Testing

/// Which `Origin` a token-less write may come from (issue 9, item 11).
struct OriginCheckTests {
    static let check: OriginCheck = {
        var config = TestApp.config
        config.publicURL = "https://meldingen.oostende.be"
        config.corsOrigins = ["https://www.oostende.be"]
        return OriginCheck(config: config)
    }()

    @Test(arguments: [
        // public_url and cors_origins, in any case and with the default port spelt out
        ("https://meldingen.oostende.be", "anything", true),
        ("HTTPS://Meldingen.Oostende.be:443", nil, true),
        ("https://www.oostende.be", "127.0.0.1:8080", true),
        // the address the browser connected to, when it is one no DNS answer can fake
        ("http://127.0.0.1:8080", "127.0.0.1:8080", true),
        ("http://localhost:8080", "localhost:8080", true),
        ("http://[::1]:8080", "[::1]:8080", true),
        ("http://192.168.1.5", "192.168.1.5:80", true),
        // another site, or a name that only matches Host (DNS rebinding)
        ("https://evil.example", "127.0.0.1:8080", false),
        ("http://evil.example:8080", "evil.example:8080", false),
        ("http://127.0.0.1:8081", "127.0.0.1:8080", false),
        ("http://www.oostende.be", nil, false),
        ("https://meldingen.oostende.be.evil.example", nil, false),
        ("null", "127.0.0.1:8080", false),
        ("http://127.0.0.1:8080/path", "127.0.0.1:8080", false),
        ("", nil, false),
    ] as [(String, String?, Bool)])
    func origins(origin: String, host: String?, allowed: Bool) {
        #expect(Self.check.isAllowed(origin: origin, host: host) == allowed)
    }

    @Test func aTokenLessPostFromAnotherSiteIsRefusedBeforeAnythingIsStored() async throws {
        let app = try TestApp()
        let body = #"{"kind": "report", "category": "overlast/zwerfvuil", "description": "Zwerfvuil"}"#
        let refused = await app.post("/api/v1/signals", body: body, headers: ["Origin": "https://evil.example", "Host": "127.0.0.1:8080"])
        #expect(refused.status == 403)
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(try await app.signalCount() == 0)
        let own = await app.post("/api/v1/signals", body: body, headers: ["Origin": "http://127.0.0.1:8080", "Host": "127.0.0.1:8080"])
        #expect(own.status == 201)
        let kiosk = try app.token(.kiosk, site: "stadhuis")
        let withToken = await app.post("/api/v1/signals", token: kiosk, body: body, headers: ["Origin": "https://evil.example"])
        #expect(withToken.status == 201)
    }
}

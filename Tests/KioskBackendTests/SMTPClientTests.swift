import Foundation
@testable import KioskBackend
import Testing

/// The libcurl client without a server: settings from the environment, set-up errors, and the
/// log-safe text of a failed send (a real libcurl call to a closed loopback port).
struct SMTPClientTests {
    /// A loopback port nothing listens on: bound, then closed again.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                guard bind(fd, sa, length) == 0, getsockname(fd, sa, &length) == 0 else { throw CocoaError(.fileNoSuchFile) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func settingsComeFromTheEnvironment() {
        let s = SMTPClient.Settings(
            url: "smtp://relay:25",
            environment: ["KIOSK_SMTP_USER": "opunt", "KIOSK_SMTP_PASSWORD": "geheim", "KIOSK_SMTP_CA_FILE": "/etc/ca.pem"])
        #expect(s.username == "opunt" && s.password == "geheim" && s.caFile == "/etc/ca.pem")
        let none = SMTPClient.Settings(url: "smtp://relay:25", environment: ["KIOSK_SMTP_USER": "", "KIOSK_SMTP_CA_FILE": ""])
        #expect(none.username == nil && none.caFile == nil, "empty means not set")
        #expect(none.connectTimeoutSeconds == 10 && none.timeoutSeconds == 60)
    }

    @Test func anUnreadableCAFileStopsStartUp() {
        let settings = SMTPClient.Settings(url: "smtp://relay:25", environment: ["KIOSK_SMTP_CA_FILE": "/nonexistent/ca.pem"])
        #expect(throws: SMTPClient.SetupError.self) { _ = try SMTPClient(settings: settings) }
        do {
            let client = try SMTPClient(settings: settings)
            client.stop()
        } catch {
            #expect("\(error)" == "KIOSK_SMTP_CA_FILE names /nonexistent/ca.pem, which is not a readable file")
        }
    }

    @Test func aRefusedConnectionIsALogSafeError() throws {
        let client = try SMTPClient(settings: .init(url: "smtp://127.0.0.1:\(try Self.closedPort())", environment: [:]))
        defer { client.stop() }
        #expect(throws: MailDeliveryError(summary: "could not connect to the SMTP server")) {
            try client.send(from: "o-punt@oostende.be", to: "an@voorbeeld.be", message: Array("Subject: x\r\n\r\nx\r\n".utf8))
        }
    }

    @Test func afterAbortNothingIsSent() throws {
        let client = try SMTPClient(settings: .init(url: "smtp://127.0.0.1:\(try Self.closedPort())", environment: [:]))
        defer { client.stop() }
        client.abort()
        #expect(throws: MailDeliveryError(summary: "not sent: the service is stopping")) {
            try client.send(from: "o-punt@oostende.be", to: "an@voorbeeld.be", message: [])
        }
    }

    @Test(arguments: [
        ("an@voorbeeld.be", true), ("", false), ("an", false), ("an@", false), ("a b@voorbeeld.be", false),
        ("an@voorbeeld.be\r\nRCPT TO:<x@y.be>", false), ("<an@voorbeeld.be>", false), ("a@b@c", false),
    ])
    func envelopeAddresses(address: String, plain: Bool) {
        #expect(MailAddress.isPlain(address) == plain)
    }
}

import Testing

@testable import Domain

struct NetworkTests {
    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1"), ("::1", "::/64"), ("2001:db8:1:2::9", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"), ("::ffff:192.0.2.1", "192.0.2.1"),
    ])
    func clientKey(address: String, key: String) {
        #expect(IPAddress(address)?.clientKey == key)
    }

    @Test(arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4x", "2001:db8::1::2", "localhost", " ", "1.2.3.4/8"])
    func notAnAddress(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func networksContainTheirAddressesOnly() throws {
        let v4 = try #require(CIDR("10.1.0.0/16"))
        #expect(v4.contains(IPAddress("10.1.255.7")!))
        #expect(!v4.contains(IPAddress("10.2.0.1")!))
        #expect(!v4.contains(IPAddress("2001:db8::1")!))
        let host = try #require(CIDR("192.0.2.5"))
        #expect(host.prefixLength == 32 && host.contains(IPAddress("192.0.2.5")!) && !host.contains(IPAddress("192.0.2.6")!))
        let v6 = try #require(CIDR("2001:db8::/33"))
        #expect(v6.contains(IPAddress("2001:db8:7fff::1")!))
        #expect(!v6.contains(IPAddress("2001:db8:8000::1")!))
        #expect(CIDR("10.0.0.0/33") == nil && CIDR("10.0.0.0/") == nil && CIDR("10.0.0.0/-1") == nil && CIDR("::/129") == nil)
        #expect(CIDR("10.9.9.9/8")?.description == "10.0.0.0/8")
    }

    @Test func theClientIsTheRightMostUntrustedForwardedAddress() {
        let proxies = TrustedProxies([CIDR("127.0.0.1")!, CIDR("10.0.0.0/8")!])
        // Untrusted peer: its header is the client's own claim.
        #expect(proxies.client(peer: "192.0.2.1", forwardedFor: "198.51.100.1") == "192.0.2.1")
        // Trusted peer: the right-most entry it appended.
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: "203.0.113.9, 198.51.100.1") == "198.51.100.1")
        // Chained proxies are skipped.
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: "198.51.100.1, 10.0.0.2") == "198.51.100.1")
        // A garbage entry stops the walk; no header leaves the peer.
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: "evil, 10.0.0.3") == "10.0.0.3")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: nil) == "127.0.0.1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: "2001:db8::5") == "2001:db8::5")
    }
}

import Foundation
@testable import KioskBackend
import Testing

/// The QR code of the status link (libqrencode through `CQRencode`) and its SVG.
/// A live test decodes the served SVG with zbarimg; these check the matrix's fixed
/// structure and that the SVG draws exactly the matrix inside a 4-module quiet zone.
struct QRCodeTests {
    static let link = "https://meldingen.oostende.be/status/K7QX4M2P?key=ABCDEFGHJK23456789MN"

    /// The 7 × 7 finder pattern: a dark ring, a light ring, a dark 3 × 3 centre.
    static func isFinder(_ code: QRCode, x: Int, y: Int) -> Bool {
        for dy in 0..<7 {
            for dx in 0..<7 {
                let ring = max(abs(dx - 3), abs(dy - 3))
                if code.modules[y + dy][x + dx] != (ring != 2) { return false }
            }
        }
        return true
    }

    @Test func aShortTextIsVersion1WithItsFinderAndTimingPatterns() throws {
        let code = try #require(QRCode("HELLO"))
        #expect(code.width == 21)
        #expect(Self.isFinder(code, x: 0, y: 0))
        #expect(Self.isFinder(code, x: 14, y: 0))
        #expect(Self.isFinder(code, x: 0, y: 14))
        // Row and column 6 between the finders alternate, dark first.
        #expect((8...12).map { code.modules[6][$0] } == [true, false, true, false, true])
        #expect((8...12).map { code.modules[$0][6] } == [true, false, true, false, true])
        // The dark module beside the lower-left finder (ISO/IEC 18004, 7.9.1).
        #expect(code.modules[code.width - 8][8])
    }

    @Test func theStatusLinkFitsAVersionAPhoneReadsFromAReceipt() throws {
        let code = try #require(QRCode(Self.link))
        // 70 bytes at level M need version 5 (37 modules): 30 mm on the receipt is 0.6 mm a module.
        #expect(code.width == 37)
        #expect(Self.isFinder(code, x: code.width - 7, y: 0))
        #expect(QRCode(Self.link) == code, "the same text gives the same matrix")
    }

    @Test func refusesWhatItCannotEncode() {
        #expect(QRCode("") == nil)
        #expect(QRCode("a\u{0}b") == nil)
        #expect(QRCode(String(repeating: "x", count: 3000)) == nil, "longer than version 40 holds at level M")
    }

    /// Reads the SVG's path back into a matrix of the SVG's full side.
    static func drawn(_ svg: String) throws -> (side: Int, dark: Set<[Int]>) {
        let viewBox = try #require(svg.firstMatch(of: #/viewBox="0 0 (\d+) (\d+)"/#))
        let side = try #require(Int(viewBox.1))
        #expect(Int(viewBox.2) == side)
        let d = try #require(svg.firstMatch(of: #/<path fill="#000" d="([^"]*)"/#)).1
        var dark = Set<[Int]>()
        for run in d.matches(of: #/M(\d+) (\d+)h(\d+)v1h-(\d+)z/#) {
            let x = Int(run.1)!, y = Int(run.2)!, n = Int(run.3)!
            #expect(Int(run.4)! == n)
            for i in 0..<n { dark.insert([x + i, y]) }
        }
        return (side, dark)
    }

    @Test func theSVGDrawsTheMatrixInsideAQuietZoneOnWhite() throws {
        let code = try #require(QRCode(Self.link))
        let svg = code.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("shape-rendering=\"crispEdges\""))
        #expect(svg.contains("<rect width=\"45\" height=\"45\" fill=\"#fff\"/>"), "a white square under everything")
        let (side, dark) = try Self.drawn(svg)
        #expect(side == code.width + 8)
        var expected = Set<[Int]>()
        for y in 0..<code.width {
            for x in 0..<code.width where code.modules[y][x] { expected.insert([x + 4, y + 4]) }
        }
        #expect(dark == expected)
        // Nothing dark in the quiet zone.
        #expect(dark.allSatisfy { $0[0] >= 4 && $0[1] >= 4 && $0[0] < side - 4 && $0[1] < side - 4 })
    }
}

import CQRencode

/// A QR code's module matrix, made by libqrencode.
///
/// Each module is dark or light; `modules[y][x]`. The quiet zone is not part of the
/// matrix: ``svg(quietZone:)`` adds it.
struct QRCode: Equatable, Sendable {
    /// Modules per side.
    let width: Int
    let modules: [[Bool]]

    /// Encodes `text` (as 8-bit data, case kept) at error correction level M, in the smallest version that holds it.
    ///
    /// libqrencode's manual: "QRcode_encodeString … returns an instance of QRcode class. The
    /// version of the result QRcode may be larger than the designated version. On error, NULL
    /// is returned, and errno is set" — and each byte of `data` is one module, "the least
    /// significant bit … 1=black/0=white". The result is ours to free with QRcode_free.
    init?(_ text: String) {
        guard !text.isEmpty, !text.utf8.contains(0) else { return nil }
        guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = UnsafeBufferPointer(start: code.pointee.data, count: width * width)
        self.width = width
        self.modules = (0..<width).map { y in (0..<width).map { x in data[y * width + x] & 1 == 1 } }
    }

    /// An SVG of the code: one dark path on a white square, `quietZone` light modules around it
    /// (the standard asks for 4), `crispEdges` so a printer draws exact squares.
    func svg(quietZone: Int = 4, moduleSize: Int = 8) -> String {
        let side = width + 2 * quietZone
        var path = ""
        for (y, row) in modules.enumerated() {
            var x = 0
            while x < width {
                guard row[x] else { x += 1; continue }
                // One horizontal run of dark modules per path segment keeps the file small.
                var end = x
                while end < width && row[end] { end += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(end - x)v1h-\(end - x)z"
                x = end
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side * moduleSize)" \
            height="\(side * moduleSize)" shape-rendering="crispEdges" role="img">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>

            """
    }
}

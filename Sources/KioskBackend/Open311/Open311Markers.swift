/// Open311 fields that a signal has no column for, kept in the text it has.
///
/// `media_url` is the last line of the description (`media_url: https://…`), so the
/// back office sees the photo link where it reads the report; an `address_id` with
/// no address text is kept as the address `address_id: 12345`. Both are split out
/// again when the request is read back through Open311.
enum Open311Markers {
    static let mediaURL = "media_url: "
    static let addressID = "address_id: "

    static func joinMediaURL(_ description: String, _ url: String?) -> String {
        guard let url else { return description }
        return description + "\n\n" + mediaURL + url
    }

    static func splitMediaURL(_ description: String) -> (String, String?) {
        // The last "\n\nmedia_url: ", found over the UTF-8 bytes (it is ASCII): Foundation's
        // backwards `range(of:)` bridged every description of every signal read to NSString.
        let bytes = description.utf8
        guard let start = bytes.lastRange(of: mediaMarker) else { return (description, nil) }
        let url = description[start.upperBound...]
        guard !url.isEmpty, !url.contains(where: \.isWhitespace), url.hasPrefix("http") else { return (description, nil) }
        return (String(description[..<start.lowerBound]), String(url))
    }

    private static let mediaMarker = Array(("\n\n" + mediaURL).utf8)

    static func splitAddressID(_ address: String?) -> (String?, String?) {
        guard let address, address.hasPrefix(addressID) else { return (address, nil) }
        return (nil, String(address.dropFirst(addressID.count)))
    }
}

extension String.UTF8View {
    /// Where `needle` occurs last, or nil.
    func lastRange(of needle: [UInt8]) -> Range<String.Index>? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var end = endIndex
        while true {
            guard let start = index(end, offsetBy: -needle.count, limitedBy: startIndex) else { return nil }
            if self[start..<end].elementsEqual(needle) { return start..<end }
            end = index(before: end)
        }
    }
}

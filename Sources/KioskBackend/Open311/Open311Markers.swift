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
        guard let r = description.range(of: "\n\n" + mediaURL, options: .backwards) else { return (description, nil) }
        let url = description[r.upperBound...]
        guard !url.isEmpty, !url.contains(where: \.isWhitespace), url.hasPrefix("http") else { return (description, nil) }
        return (String(description[..<r.lowerBound]), String(url))
    }

    static func splitAddressID(_ address: String?) -> (String?, String?) {
        guard let address, address.hasPrefix(addressID) else { return (address, nil) }
        return (nil, String(address.dropFirst(addressID.count)))
    }
}

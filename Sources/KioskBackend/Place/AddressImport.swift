import Domain
import Foundation
import GRDB

/// `kiosk-backend addresses import FILE` (docs/interface.md §14): loads the city's addresses from
/// a plain CSV or from the address register's download, replacing those held before.
///
/// The file is read line by line (a line may hold at most ``maxLineBytes``), each row checked and
/// inserted inside one transaction; any bad row, reported with its line number, rolls the whole
/// import back, so the table is never half-loaded.
public enum AddressImport {
    public enum Format: String, CaseIterable, Sendable {
        /// `street,house_number,box,postcode,municipality,lat,lon,district` (box and district optional).
        case csv
        /// The "Adressen" CSV of Flanders' address register (Adressenregister): `;`-separated
        /// columns named `STRAATNM`, `HUISNR`, `BUSNR`, `POSTCODE`, `GEMEENTE`, `X`, `Y`, with
        /// X and Y in Belgian Lambert 72 (EPSG:31370) metres; other columns are ignored.
        case adressenregister
    }

    public static let maxLineBytes = 4096

    /// Whether no address is held (the config's file is then loaded at start-up).
    public static func isEmpty(_ db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM address LIMIT 1)") == 0
    }
    /// Bad rows listed before the import stops looking.
    public static let maxReported = 20

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var file: String
        public var problems: [String]
        public var description: String {
            "Nothing was imported from \(file):\n" + problems.joined(separator: "\n")
        }
    }

    /// One address as stored.
    struct Address {
        var street: String
        var houseNumber: String
        var box: String?
        var postcode: String
        var municipality: String
        var point: GeoPoint
        var district: String?
    }

    /// Imports `path` into `db`, replacing every address there; answers how many were loaded.
    public static func run(path: String, format: Format, config: CityConfig, db: Database) throws -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(file: path, problems: ["the file cannot be opened"])
        }
        defer { try? handle.close() }
        try db.execute(sql: "DELETE FROM address")
        let insert = try db.makeStatement(sql: """
            INSERT INTO address (street, house_number, box, postcode, municipality, lat, lon, district, search_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var problems: [String] = []
        var columns: [String: Int]?
        var separator: UInt8 = format == .csv ? UInt8(ascii: ",") : UInt8(ascii: ";")
        var count = 0
        var lineNumber = 0
        var reader = LineReader(handle: handle, maxLineBytes: maxLineBytes)
        lines: while let line = try reader.next() {
            lineNumber += 1
            let bytes: [UInt8]
            switch line {
            case .tooLong:
                problems.append("line \(lineNumber): longer than \(maxLineBytes) bytes")
                if problems.count >= maxReported { break lines }
                continue
            case .line(let b): bytes = b
            }
            // Blank lines and lines starting with '#' (a note such as "this is a sample") are skipped.
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) || bytes.first == UInt8(ascii: "#") { continue }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                problems.append("line \(lineNumber): not UTF-8")
                if problems.count >= maxReported { break lines }
                continue
            }
            var fields: [String]
            switch splitCSV(text, separator: separator) {
            case .success(let f): fields = f
            case .failure(let message):
                problems.append("line \(lineNumber): \(message.text)")
                if problems.count >= maxReported { break lines }
                continue
            }
            guard let header = columns else {
                if format == .adressenregister && !text.contains(";") && text.contains(",") {
                    separator = UInt8(ascii: ",")
                    if case .success(let f) = splitCSV(text, separator: separator) { fields = f }
                }
                switch readHeader(fields, format: format) {
                case .success(let map): columns = map
                case .failure(let message):
                    throw Failure(file: path, problems: ["line \(lineNumber): \(message.text)"])
                }
                continue
            }
            switch address(fields, header: header, format: format, config: config) {
            case .failure(let message):
                problems.append("line \(lineNumber): \(message.text)")
                if problems.count >= maxReported { break lines }
            case .success(let a):
                guard problems.isEmpty else { continue }  // nothing more goes in once a row failed
                let key = AddressKey.of(
                    street: a.street, houseNumber: a.houseNumber, box: a.box, postcode: a.postcode, municipality: a.municipality)
                try insert.execute(arguments: [
                    a.street, a.houseNumber, a.box, a.postcode, a.municipality, a.point.lat, a.point.lon, a.district, key,
                ])
                count += 1
            }
        }
        if columns == nil { problems.append("the file has no header line") }
        if !problems.isEmpty {
            if problems.count >= maxReported { problems.append("(stopped after \(maxReported) problems)") }
            throw Failure(file: path, problems: problems)
        }
        return count
    }

    static let csvColumns = ["street", "house_number", "box", "postcode", "municipality", "lat", "lon", "district"]
    static let csvRequired = ["street", "house_number", "postcode", "municipality", "lat", "lon"]
    static let registerRequired = ["STRAATNM", "HUISNR", "POSTCODE", "GEMEENTE", "X", "Y"]

    static func readHeader(_ fields: [String], format: Format) -> Result<[String: Int], Message> {
        var map: [String: Int] = [:]
        for (i, name) in fields.enumerated() {
            var n = name.trimmingCharacters(in: .whitespaces)
            if i == 0, n.hasPrefix("\u{FEFF}") { n.removeFirst() }
            map[format == .csv ? n.lowercased() : n.uppercased()] = i
        }
        let required = format == .csv ? csvRequired : registerRequired
        let missing = required.filter { map[$0] == nil }
        if !missing.isEmpty {
            return .failure(Message("the header lacks \(missing.joined(separator: ", ")) (a \(format.rawValue) file starts with a line naming its columns: \((format == .csv ? csvColumns : registerRequired + ["BUSNR"]).joined(separator: format == .csv ? "," : ";")))"))
        }
        if format == .csv, let unknown = map.keys.sorted().first(where: { !csvColumns.contains($0) }) {
            return .failure(Message("unknown column \"\(unknown.prefix(40))\" (the columns are \(csvColumns.joined(separator: ",")))"))
        }
        return .success(map)
    }

    struct Message: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    static func address(_ fields: [String], header: [String: Int], format: Format, config: CityConfig) -> Result<Address, Message> {
        func field(_ name: String) -> String? {
            guard let i = header[name], i < fields.count else { return nil }
            let v = fields[i].trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : v
        }
        let names = format == .csv
            ? (street: "street", number: "house_number", box: "box", postcode: "postcode", municipality: "municipality")
            : (street: "STRAATNM", number: "HUISNR", box: "BUSNR", postcode: "POSTCODE", municipality: "GEMEENTE")
        guard let street = field(names.street), street.count <= 200 else { return .failure(Message("\(names.street): required, at most 200 characters")) }
        guard let number = field(names.number), number.count <= 20 else { return .failure(Message("\(names.number): required, at most 20 characters")) }
        let box = field(names.box)
        if let box, box.count > 20 { return .failure(Message("\(names.box): at most 20 characters")) }
        guard let postcode = field(names.postcode), postcode.count <= 10, postcode.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            return .failure(Message("\(names.postcode): required, letters and digits, at most 10"))
        }
        guard let municipality = field(names.municipality), municipality.count <= 100 else {
            return .failure(Message("\(names.municipality): required, at most 100 characters"))
        }
        let point: GeoPoint
        if format == .csv {
            guard let lat = field("lat").flatMap(Double.init), lat.isFinite, (-90...90).contains(lat) else {
                return .failure(Message("lat: must be a number from -90 to 90"))
            }
            guard let lon = field("lon").flatMap(Double.init), lon.isFinite, (-180...180).contains(lon) else {
                return .failure(Message("lon: must be a number from -180 to 180"))
            }
            point = GeoPoint(lon: lon, lat: lat)
        } else {
            // Lambert 72 covers Belgium: easting and northing within 0..300 km.
            guard let x = field("X").map({ $0.replacingOccurrences(of: ",", with: ".") }).flatMap(Double.init), (0...300_000).contains(x) else {
                return .failure(Message("X: must be a Lambert 72 easting in metres (0 to 300000)"))
            }
            guard let y = field("Y").map({ $0.replacingOccurrences(of: ",", with: ".") }).flatMap(Double.init), (0...300_000).contains(y) else {
                return .failure(Message("Y: must be a Lambert 72 northing in metres (0 to 300000)"))
            }
            point = Lambert72.toWGS84(x: x, y: y)
        }
        var district: String?
        if format == .csv, let d = field("district") {
            guard config.district(d) != nil else {
                return .failure(Message("district: unknown district \"\(d.prefix(63))\" (known: \(config.districts.map(\.key).joined(separator: ", ")))"))
            }
            district = d
        } else {
            district = config.district(at: point)?.key
        }
        return .success(Address(
            street: street, houseNumber: number, box: box, postcode: postcode, municipality: municipality, point: point, district: district))
    }

    /// Splits one CSV line (RFC 4180 quoting, `""` for a quote; no line breaks inside a field).
    static func splitCSV(_ line: String, separator: UInt8) -> Result<[String], Message> {
        var fields: [String] = []
        var current: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        var bytes = Array(line.utf8)
        if bytes.last == 0x0D { bytes.removeLast() }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { current.append(0x22); i += 1 } else { quoted = false }
                } else {
                    current.append(b)
                }
            } else if b == 0x22 && current.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if b == separator {
                fields.append(String(decoding: current, as: UTF8.self))
                current = []
                wasQuoted = false
            } else if wasQuoted {
                return .failure(Message("text after a closing quote"))
            } else {
                current.append(b)
            }
            i += 1
        }
        if quoted { return .failure(Message("a quote is not closed (a field may not span lines)")) }
        fields.append(String(decoding: current, as: UTF8.self))
        return .success(fields)
    }
}

/// Reads a file line by line in 64 KiB chunks, never holding more than one line of at most
/// `maxLineBytes` (a longer one is skipped to its end and reported).
struct LineReader {
    enum Line { case line([UInt8]), tooLong }

    let handle: FileHandle
    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false

    init(handle: FileHandle, maxLineBytes: Int) {
        self.handle = handle
        self.maxLineBytes = maxLineBytes
    }

    mutating func next() throws -> Line? {
        var line: [UInt8] = []
        var tooLong = false
        while true {
            if position >= buffer.count {
                if finished { break }
                let chunk = try handle.read(upToCount: 64 << 10) ?? Data()
                if chunk.isEmpty { finished = true; break }
                buffer = Array(chunk)
                position = 0
            }
            if let nl = buffer[position...].firstIndex(of: 0x0A) {
                if !tooLong { line.append(contentsOf: buffer[position..<nl]) }
                position = nl + 1
                if line.count > maxLineBytes { tooLong = true }
                return tooLong ? .tooLong : .line(line)
            }
            if !tooLong { line.append(contentsOf: buffer[position...]) }
            position = buffer.count
            if line.count > maxLineBytes { tooLong = true; line = [] }
        }
        if tooLong { return .tooLong }
        return line.isEmpty && finished ? nil : .line(line)
    }
}

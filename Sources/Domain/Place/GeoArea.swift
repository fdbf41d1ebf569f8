import Foundation

/// A point on the map in degrees (WGS 84): `lon` east, `lat` north, as GeoJSON orders them.
/// Encoded as `{"lat": …, "lon": …}`, the names the interface gives a point.
public struct GeoPoint: Sendable, Equatable, Encodable {
    public var lon: Double
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    /// The great-circle distance to `other` in metres (haversine, mean Earth radius 6,371,008.8 m):
    /// within a city the error against the ellipsoid is well under a metre in a hundred.
    public func distance(to other: GeoPoint) -> Double {
        let r = 6_371_008.8
        let rad = Double.pi / 180
        let dLat = (other.lat - lat) * rad
        let dLon = (other.lon - lon) * rad
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat * rad) * cos(other.lat * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, sqrt(a)))
    }
}

/// A district's area from the config (`districts[].area`, docs/interface.md §14): a GeoJSON
/// `Polygon` or `MultiPolygon` (RFC 7946 §3.1.6–3.1.7), positions as `[lon, lat]`.
///
/// A polygon is its outer ring followed by its holes. ``contains(_:)`` uses the even-odd rule
/// over every ring of a polygon (so a hole takes its part away whatever the rings' winding),
/// and a point on any ring's edge or vertex counts as inside: an address on the street that
/// bounds two districts belongs to the first of them in config order, never to none.
public struct GeoArea: Sendable, Equatable {
    /// Polygons; each is a list of closed rings (first position repeated last), outer ring first.
    public var polygons: [[[GeoPoint]]]

    public init(polygons: [[[GeoPoint]]]) {
        self.polygons = polygons
    }

    /// The most positions one area may hold: a district traced from the city's GIS rarely needs
    /// more than a few thousand, and each test of a point costs time linear in them.
    public static let maxPositions = 20_000

    /// Whether `point` lies inside the area, on its boundary included.
    public func contains(_ point: GeoPoint) -> Bool {
        polygons.contains { Self.polygon($0, contains: point) }
    }

    static func polygon(_ rings: [[GeoPoint]], contains p: GeoPoint) -> Bool {
        var inside = false
        for ring in rings {
            guard ring.count >= 2 else { continue }
            for i in 1..<ring.count {
                let a = ring[i - 1]
                let b = ring[i]
                if onSegment(p, a, b) { return true }
                // Even-odd crossing: the edge straddles the horizontal line through p (half-open,
                // so a vertex on that line is counted once) and crosses it east of p.
                if (a.lat > p.lat) != (b.lat > p.lat) {
                    let x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat)
                    if p.lon < x { inside.toggle() }
                }
            }
        }
        return inside
    }

    /// Whether p lies on the segment a–b, within a tolerance of about a millimetre.
    static func onSegment(_ p: GeoPoint, _ a: GeoPoint, _ b: GeoPoint) -> Bool {
        let eps = 1e-8
        guard p.lon >= min(a.lon, b.lon) - eps, p.lon <= max(a.lon, b.lon) + eps,
              p.lat >= min(a.lat, b.lat) - eps, p.lat <= max(a.lat, b.lat) + eps
        else { return false }
        let cross = (b.lon - a.lon) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lon - a.lon)
        let length = max(abs(b.lon - a.lon), abs(b.lat - a.lat))
        return abs(cross) <= eps * max(length, eps)
    }

    /// Why a GeoJSON value is not an area we accept; `path` is relative to the area
    /// (`coordinates[0][3]`), empty for the area itself.
    public struct Problem: Error, Equatable, Sendable {
        public var path: String
        public var message: String

        public init(path: String, message: String) {
            self.path = path
            self.message = message
        }
    }

    /// Reads a GeoJSON `Polygon` or `MultiPolygon` object, checking that every ring is closed,
    /// has at least four positions, every position is `[lon, lat]` in range, and the whole area
    /// holds at most ``maxPositions`` positions. Answers every problem found.
    public static func parse(_ value: JSONValue) -> (area: GeoArea?, problems: [Problem]) {
        guard case .object(let object) = value else {
            return (nil, [Problem(path: "", message: "must be a GeoJSON object {\"type\": \"Polygon\" or \"MultiPolygon\", \"coordinates\": [...]}")])
        }
        var problems: [Problem] = []
        for key in object.keys.sorted() where !["type", "coordinates"].contains(key) {
            problems.append(Problem(path: key, message: "is not a member of a GeoJSON Polygon or MultiPolygon"))
        }
        let type = object["type"]?.stringValue
        guard type == "Polygon" || type == "MultiPolygon" else {
            problems.append(Problem(path: "type", message: "must be \"Polygon\" or \"MultiPolygon\""))
            return (nil, problems)
        }
        guard case .array(let coordinates)? = object["coordinates"] else {
            problems.append(Problem(path: "coordinates", message: "is required: a list of rings of [lon, lat] positions"))
            return (nil, problems)
        }
        var count = 0
        var polygons: [[[GeoPoint]]] = []
        let polygonValues: [(String, JSONValue)] =
            type == "Polygon"
            ? [("coordinates", .array(coordinates))]
            : coordinates.enumerated().map { ("coordinates[\($0.offset)]", $0.element) }
        if polygonValues.isEmpty { problems.append(Problem(path: "coordinates", message: "must hold at least one polygon")) }
        for (path, polygonValue) in polygonValues {
            guard case .array(let ringValues) = polygonValue, !ringValues.isEmpty else {
                problems.append(Problem(path: path, message: "must be a list of rings (the outer ring, then any holes)"))
                continue
            }
            var rings: [[GeoPoint]] = []
            for (r, ringValue) in ringValues.enumerated() {
                let ringPath = "\(path)[\(r)]"
                guard case .array(let positions) = ringValue else {
                    problems.append(Problem(path: ringPath, message: "must be a list of [lon, lat] positions"))
                    continue
                }
                count += positions.count
                if count > maxPositions {
                    return (nil, problems + [Problem(path: ringPath, message: "the area holds more than \(maxPositions) positions; simplify it")])
                }
                var ring: [GeoPoint] = []
                var ok = true
                for (i, position) in positions.enumerated() {
                    guard case .array(let pair) = position, pair.count == 2 || pair.count == 3,
                          case .number(let lon) = pair[0], case .number(let lat) = pair[1],
                          (-180...180).contains(lon), (-90...90).contains(lat)
                    else {
                        problems.append(Problem(path: "\(ringPath)[\(i)]", message: "must be a position [lon, lat] with -180 ≤ lon ≤ 180 and -90 ≤ lat ≤ 90"))
                        ok = false
                        continue
                    }
                    ring.append(GeoPoint(lon: lon, lat: lat))
                }
                guard ok else { continue }
                if ring.count < 4 {
                    problems.append(Problem(path: ringPath, message: "a ring needs at least 4 positions (a triangle and its first position again)"))
                } else if ring.first != ring.last {
                    problems.append(Problem(path: ringPath, message: "a ring must be closed: its last position must repeat its first"))
                } else {
                    rings.append(ring)
                }
            }
            polygons.append(rings)
        }
        return problems.isEmpty ? (GeoArea(polygons: polygons), []) : (nil, problems)
    }
}

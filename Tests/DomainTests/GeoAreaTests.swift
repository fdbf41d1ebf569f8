import Domain
import Foundation
import Testing

/// Point in polygon for `districts[].area` (docs/interface.md §14): even-odd over every ring,
/// holes, multipolygons, and a point on an edge or vertex counting as inside.
struct GeoAreaTests {
    static func area(_ json: String) throws -> GeoArea {
        let value = try JSONValue.parse(Array(json.utf8))
        let parsed = GeoArea.parse(value)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        return try #require(parsed.area)
    }

    /// A 10 × 10 square with a 2 × 2 hole in its middle (4..6), and a second square far east.
    static let squareWithHole = """
        {"type": "MultiPolygon", "coordinates": [
          [[[0,0],[10,0],[10,10],[0,10],[0,0]], [[4,4],[6,4],[6,6],[4,6],[4,4]]],
          [[[20,0],[22,0],[22,2],[20,2],[20,0]]]
        ]}
        """

    @Test(arguments: [
        // (lon, lat, inside, why)
        (1.0, 1.0, true, "inside the outer ring"),
        (5.0, 5.0, false, "inside the hole"),
        (4.0, 5.0, true, "on the hole's edge"),
        (4.0, 4.0, true, "on the hole's vertex"),
        (0.0, 5.0, true, "on the outer west edge"),
        (10.0, 10.0, true, "on the outer north-east vertex"),
        (5.0, 0.0, true, "on the outer south edge"),
        (10.000001, 5.0, false, "just east of the outer ring"),
        (21.0, 1.0, true, "inside the second polygon"),
        (22.0, 1.0, true, "on the second polygon's edge"),
        (15.0, 1.0, false, "between the polygons"),
        (5.0, 4.0, true, "on the hole's south edge, where the ray runs along an edge"),
        (-1.0, 4.0, false, "west of everything, on the line of the hole's bottom edge"),
    ])
    func pointsAgainstASquareWithAHoleAndASecondPolygon(lon: Double, lat: Double, inside: Bool, why: String) throws {
        let area = try Self.area(Self.squareWithHole)
        #expect(area.contains(GeoPoint(lon: lon, lat: lat)) == inside, "\(why)")
    }

    @Test func aConcavePolygonIsHandledByTheCrossingCount() throws {
        // A "U": the notch between the arms (x 2..8, y 3..10) is outside.
        let u = try Self.area("""
            {"type": "Polygon", "coordinates": [[[0,0],[10,0],[10,10],[8,10],[8,3],[2,3],[2,10],[0,10],[0,0]]]}
            """)
        #expect(u.contains(GeoPoint(lon: 1, lat: 9)))
        #expect(u.contains(GeoPoint(lon: 9, lat: 9)))
        #expect(!u.contains(GeoPoint(lon: 5, lat: 9)))
        #expect(u.contains(GeoPoint(lon: 5, lat: 3)), "on the notch's bottom edge")
        #expect(u.contains(GeoPoint(lon: 8, lat: 10)), "a vertex")
    }

    @Test func windingDoesNotMatterForHoles() throws {
        // The hole wound the same way as the outer ring: even-odd still takes it away.
        let a = try Self.area("""
            {"type": "Polygon", "coordinates": [[[0,0],[0,10],[10,10],[10,0],[0,0]], [[4,4],[4,6],[6,6],[6,4],[4,4]]]}
            """)
        #expect(!a.contains(GeoPoint(lon: 5, lat: 5)))
        #expect(a.contains(GeoPoint(lon: 2, lat: 2)))
    }

    @Test(arguments: [
        (#"{"type": "Point", "coordinates": [1, 2]}"#, "type", "must be \"Polygon\" or \"MultiPolygon\""),
        (#"{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1]]]}"#, "coordinates[0]",
         "a ring must be closed: its last position must repeat its first"),
        (#"{"type": "Polygon", "coordinates": [[[0,0],[1,0],[0,0]]]}"#, "coordinates[0]",
         "a ring needs at least 4 positions (a triangle and its first position again)"),
        (#"{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,"x"],[0,0]]]}"#, "coordinates[0][2]",
         "must be a position [lon, lat] with -180 ≤ lon ≤ 180 and -90 ≤ lat ≤ 90"),
        (#"{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,91],[0,0]]]}"#, "coordinates[0][2]",
         "must be a position [lon, lat] with -180 ≤ lon ≤ 180 and -90 ≤ lat ≤ 90"),
        (#"{"type": "Polygon", "coordinates": []}"#, "coordinates", "must be a list of rings (the outer ring, then any holes)"),
        (#"{"type": "MultiPolygon", "coordinates": []}"#, "coordinates", "must hold at least one polygon"),
        (#"{"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]], "bbox": [0,0,1,1]}"#, "bbox",
         "is not a member of a GeoJSON Polygon or MultiPolygon"),
    ])
    func brokenAreasSayWhatAndWhere(json: String, path: String, message: String) throws {
        let parsed = GeoArea.parse(try JSONValue.parse(Array(json.utf8)))
        #expect(parsed.area == nil)
        #expect(parsed.problems.first == GeoArea.Problem(path: path, message: message))
    }

    @Test func anAreaOverTheBoundIsRefused() throws {
        let n = GeoArea.maxPositions + 1
        let ring = (0..<(n - 1)).map { i in "[\(Double(i) / Double(n)),\(i % 2)]" } + ["[0,0]"]
        let json = #"{"type": "Polygon", "coordinates": [["# + ring.joined(separator: ",") + "]]}"
        let parsed = GeoArea.parse(try JSONValue.parse(Array(json.utf8)))
        #expect(parsed.area == nil)
        #expect(parsed.problems.last?.message == "the area holds more than \(GeoArea.maxPositions) positions; simplify it")
    }

    @Test func distanceIsHaversine() {
        // One degree of latitude is 111.195 km on the mean sphere (2π × 6,371,008.8 m / 360).
        let d = GeoPoint(lon: 2.92, lat: 51.0).distance(to: GeoPoint(lon: 2.92, lat: 52.0))
        #expect(abs(d - 2 * Double.pi * 6_371_008.8 / 360) < 0.01)
        #expect(GeoPoint(lon: 2.92, lat: 51.23).distance(to: GeoPoint(lon: 2.92, lat: 51.23)) == 0)
    }
}

/// The normalised search key of addresses (docs/interface.md §14).
struct AddressKeyTests {
    @Test(arguments: [
        ("Kapellestraat 12", "kapellestraat 12"),
        ("KAPELLESTR. 12", "kapellestraat 12"),
        ("kapellestr 12", "kapellestraat 12"),
        ("Torhoutsestwg 5", "torhoutsesteenweg 5"),
        ("Leopold II-ln. 3", "leopold ii laan 3"),
        ("Wapenpl.", "wapenplein"),
        ("str. van Iseghem", "straat van iseghem"),
        ("str", "str"),
        ("Rögierlaan", "rogierlaan"),
        ("  Sint-Sébastiaanstraat , 4 ", "sint sebastiaanstraat 4"),
        ("Straße", "strasse"),
    ])
    func normalises(input: String, key: String) {
        #expect(AddressKey.normalize(input) == key)
    }

    @Test func aStoredKeyHoldsNumberBoxMunicipalityAndPostcode() {
        #expect(
            AddressKey.of(street: "Kapellestraat", houseNumber: "12A", box: "3", postcode: "8400", municipality: "Oostende")
                == "kapellestraat 12a bus 3 oostende 8400")
    }

    @Test func longInputIsCutBeforeWork() {
        let long = String(repeating: "straat ", count: 10_000)
        #expect(AddressKey.normalize(long).utf8.count <= AddressKey.maxBytes * 2)
    }
}

/// Lambert 72 (EPSG:31370) to WGS 84, against coordinates PROJ 9 gave for three points
/// (`pyproj.Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)`).
struct Lambert72Tests {
    @Test(arguments: [
        (48486.537, 213943.822, 2.9155, 51.2265),  // Ostend, city hall
        (148799.08, 170688.564, 4.3517, 50.8466),  // Brussels, Grote Markt
        (230084.314, 143868.13, 5.5, 50.6),  // near Liège
    ])
    func agreesWithPROJWithinAMetre(x: Double, y: Double, lon: Double, lat: Double) {
        let p = Lambert72.toWGS84(x: x, y: y)
        let metres = p.distance(to: GeoPoint(lon: lon, lat: lat))
        #expect(metres < 1.0, "\(p) is \(metres) m from (\(lon), \(lat))")
    }
}

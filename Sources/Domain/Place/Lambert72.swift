import Foundation

/// Belgian Lambert 72 (EPSG:31370) to WGS 84 longitude and latitude, for the coordinates of
/// Flanders' address register (docs/interface.md §14).
///
/// The projection is Lambert Conic Conformal (2SP) on the International 1924 ellipsoid of the
/// Belge 1972 datum (EPSG guidance note 7-2, §1.3.1.1, inverted); the datum shift to WGS 84 is
/// the seven-parameter Helmert transformation PROJ uses for EPSG:31370 (position-vector
/// convention: -106.8686 m, 52.2978 m, -103.7239 m, 0.3366″, -0.457″, 1.8422″, -1.2747 ppm),
/// good to about a metre: well within what a pin on a street needs.
public enum Lambert72 {
    static let a = 6_378_388.0
    static let f = 1 / 297.0
    static let e2 = 2 * f - f * f
    static let e = e2.squareRoot()
    static let deg = Double.pi / 180
    static let lat1 = 51.16666723333333 * deg
    static let lat2 = 49.8333339 * deg
    static let lon0 = 4.367486666666666 * deg
    static let falseEasting = 150_000.013
    static let falseNorthing = 5_400_088.438

    static func m(_ phi: Double) -> Double { cos(phi) / (1 - e2 * sin(phi) * sin(phi)).squareRoot() }
    static func t(_ phi: Double) -> Double {
        tan(Double.pi / 4 - phi / 2) / pow((1 - e * sin(phi)) / (1 + e * sin(phi)), e / 2)
    }
    static let n = (log(m(lat1)) - log(m(lat2))) / (log(t(lat1)) - log(t(lat2)))
    static let bigF = m(lat1) / (n * pow(t(lat1), n))
    /// ρ at the latitude of origin, 90°: t(90°) is 0, so ρ0 is 0.
    static let rho0 = 0.0

    /// WGS 84 longitude and latitude of a Lambert 72 easting `x` and northing `y` in metres.
    public static func toWGS84(x: Double, y: Double) -> GeoPoint {
        let dx = x - falseEasting
        let dy = rho0 - (y - falseNorthing)
        let rho = (n >= 0 ? 1.0 : -1.0) * (dx * dx + dy * dy).squareRoot()
        let tt = pow(rho / (a * bigF), 1 / n)
        let theta = atan2(dx, dy)
        var phi = Double.pi / 2 - 2 * atan(tt)
        for _ in 0..<10 {
            phi = Double.pi / 2 - 2 * atan(tt * pow((1 - e * sin(phi)) / (1 + e * sin(phi)), e / 2))
        }
        let lambda = theta / n + lon0
        return helmertToWGS84(phi: phi, lambda: lambda)
    }

    /// Belge 1972 geodetic → geocentric → Helmert (position vector) → WGS 84 geodetic.
    static func helmertToWGS84(phi: Double, lambda: Double) -> GeoPoint {
        let nu = a / (1 - e2 * sin(phi) * sin(phi)).squareRoot()
        let x = nu * cos(phi) * cos(lambda)
        let y = nu * cos(phi) * sin(lambda)
        let z = nu * (1 - e2) * sin(phi)
        let sec = Double.pi / (180 * 3600)
        let (tx, ty, tz) = (-106.8686, 52.2978, -103.7239)
        let (rx, ry, rz) = (0.3366 * sec, -0.457 * sec, 1.8422 * sec)
        let s = 1 + -1.2747e-6
        let x2 = tx + s * (x - rz * y + ry * z)
        let y2 = ty + s * (rz * x + y - rx * z)
        let z2 = tz + s * (-ry * x + rx * y + z)
        // Geocentric → geodetic on WGS 84 (iterated; converges to sub-millimetre in a few steps).
        let wa = 6_378_137.0
        let wf = 1 / 298.257223563
        let we2 = 2 * wf - wf * wf
        let p = (x2 * x2 + y2 * y2).squareRoot()
        var lat = atan2(z2, p * (1 - we2))
        for _ in 0..<10 {
            let wnu = wa / (1 - we2 * sin(lat) * sin(lat)).squareRoot()
            lat = atan2(z2 + we2 * wnu * sin(lat), p)
        }
        return GeoPoint(lon: atan2(y2, x2) / deg, lat: lat / deg)
    }
}

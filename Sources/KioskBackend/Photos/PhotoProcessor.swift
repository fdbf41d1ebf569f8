import CVips
import Dispatch
import Foundation

/// The two kinds of image the service takes (docs/interface.md §14), known by their first bytes.
enum PhotoFormat: String, Sendable {
    case jpeg, png

    var mediaType: String { self == .jpeg ? "image/jpeg" : "image/png" }
    var fileExtension: String { self == .jpeg ? "jpg" : "png" }

    /// The format the bytes start with: JPEG's SOI marker `FF D8 FF`, or PNG's eight-byte signature.
    /// A renamed PDF (`%PDF`) or anything else is nil, whatever its `Content-Type` says.
    static func sniff(_ bytes: [UInt8]) -> PhotoFormat? {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        return nil
    }
}

/// A photo as stored: turned upright, without metadata, re-encoded, with a thumbnail.
struct ProcessedPhoto: Sendable {
    var format: PhotoFormat
    var image: [UInt8]
    var thumbnail: [UInt8]
    var width: Int
    var height: Int
}

/// Why an upload's bytes were not taken.
enum PhotoProcessingError: Error, Equatable {
    /// Not a JPEG or PNG by its first bytes (415).
    case notAnImage
    /// It starts like one but libvips cannot read it (422).
    case unreadable
    /// More pixels than ``PhotoProcessor/maxPixels`` (413): a small file can unpack into gigabytes.
    case tooManyPixels(width: Int, height: Int)
}

/// Decodes, turns upright (EXIF orientation), strips every metadata block (EXIF with its GPS
/// position, XMP, IPTC, ICC) and re-encodes a photo with libvips, and makes its thumbnail.
///
/// One photo at a time, on a queue of its own: decoding a 10 MB photo takes a core for a
/// while, and the request threads and Swift's cooperative pool stay free for everyone else
/// (bench/photos.sh measures that). libvips runs single-threaded with its operation cache off,
/// so a photo costs one core and its memory is released when it is done.
final class PhotoProcessor: Sendable {
    /// The longest side a stored photo keeps: enough to see a broken paving stone.
    static let maxSide = 2560
    /// The longest side of the back office's thumbnail.
    static let thumbnailSide = 320
    /// The most pixels a photo may have before it is decoded (a 50-megapixel camera is above any phone's).
    static let maxPixels = 50_000_000
    static let jpegQuality: Int32 = 85

    private let queue = DispatchQueue(label: "kiosk-backend.photos")

    /// libvips is started once per process (https://www.libvips.org/API/current/libvips-vips.html#vips-init).
    private static let started: Bool = {
        guard vips_init("kiosk-backend") == 0 else { return false }
        vips_concurrency_set(1)
        vips_cache_set_max(0)
        return true
    }()

    init() {
        precondition(Self.started, "libvips failed to start")
    }

    /// Processes `bytes` off the caller's thread, one photo at a time.
    func process(_ bytes: [UInt8]) async throws -> ProcessedPhoto {
        guard let format = PhotoFormat.sniff(bytes) else { throw PhotoProcessingError.notAnImage }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try Self.processNow(bytes, format: format) })
            }
        }
    }

    static func processNow(_ bytes: [UInt8], format: PhotoFormat) throws -> ProcessedPhoto {
        defer { vips_error_clear() }
        // libvips reads the buffer lazily, so it must outlive every image made from it: all the
        // work happens inside this closure.
        return try bytes.withUnsafeBytes { raw -> ProcessedPhoto in
            guard let loaded = CVips_new_from_buffer(raw.baseAddress, raw.count) else { throw PhotoProcessingError.unreadable }
            defer { g_object_unref(loaded) }
            let width = Int(vips_image_get_width(loaded))
            let height = Int(vips_image_get_height(loaded))
            guard width > 0, height > 0 else { throw PhotoProcessingError.unreadable }
            guard width * height <= maxPixels else { throw PhotoProcessingError.tooManyPixels(width: width, height: height) }

            var upright: UnsafeMutablePointer<VipsImage>?
            guard CVips_autorot(loaded, &upright) == 0, let upright else { throw PhotoProcessingError.unreadable }
            defer { g_object_unref(upright) }
            var fitted: UnsafeMutablePointer<VipsImage>?
            guard CVips_shrink_to_fit(upright, &fitted, Int32(maxSide), Int32(maxSide)) == 0, let fitted else {
                throw PhotoProcessingError.unreadable
            }
            defer { g_object_unref(fitted) }
            var thumb: UnsafeMutablePointer<VipsImage>?
            guard CVips_shrink_to_fit(upright, &thumb, Int32(thumbnailSide), Int32(thumbnailSide)) == 0, let thumb else {
                throw PhotoProcessingError.unreadable
            }
            defer { g_object_unref(thumb) }
            let image = try encode(fitted, format)
            let thumbnail = try encode(thumb, .jpeg)
            return ProcessedPhoto(
                format: format, image: image, thumbnail: thumbnail,
                width: Int(vips_image_get_width(fitted)), height: Int(vips_image_get_height(fitted)))
        }
    }

    /// Encodes without metadata; the buffer libvips allocates is copied and freed with g_free.
    static func encode(_ image: UnsafeMutablePointer<VipsImage>, _ format: PhotoFormat) throws -> [UInt8] {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let status = format == .jpeg
            ? CVips_jpeg_stripped(image, &buffer, &length, jpegQuality)
            : CVips_png_stripped(image, &buffer, &length)
        guard status == 0, let buffer else { throw PhotoProcessingError.unreadable }
        defer { g_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }
}

import Foundation
import GRDB

/// The photo files, in a folder beside the SQLite file (`kiosk.sqlite.photos/`), each named by a
/// random id that says nothing about the signal: `ID.jpg` or `ID.png`, and `ID.thumb.jpg`.
///
/// Files are written before the row that names them is committed, and removed only by
/// ``sweep(_:)``, which deletes the files no row names any more: a failed insert, a purge or an
/// erasure leaves files that the next sweep takes away, and a row never names a missing file.
public struct PhotoFiles: Sendable {
    public let directory: URL

    public init(databasePath: String) {
        directory = URL(fileURLWithPath: databasePath + ".photos")
    }

    /// A new random id: 26 characters of lower-case base32, 130 bits.
    static func newId() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return String((0..<26).map { _ in alphabet[Int(generator.next() % 32)] })
    }

    static func isWellFormedId(_ id: String) -> Bool {
        id.utf8.count == 26 && id.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x32...0x37).contains($0) }
    }

    func url(_ fileId: String, ext: String, thumbnail: Bool) -> URL {
        directory.appendingPathComponent(thumbnail ? "\(fileId).thumb.jpg" : "\(fileId).\(ext)")
    }

    /// Writes both files of a photo (each to a temporary name, then renamed into place).
    func write(_ photo: ProcessedPhoto, fileId: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (bytes, thumbnail) in [(photo.image, false), (photo.thumbnail, true)] {
            let target = url(fileId, ext: photo.format.fileExtension, thumbnail: thumbnail)
            try Data(bytes).write(to: target, options: [.atomic])
        }
    }

    func read(_ fileId: String, ext: String, thumbnail: Bool) throws -> [UInt8] {
        Array(try Data(contentsOf: url(fileId, ext: ext, thumbnail: thumbnail)))
    }

    /// Removes both files of a photo whose row was never committed.
    func remove(_ fileId: String, ext: String) {
        for thumbnail in [false, true] { try? FileManager.default.removeItem(at: url(fileId, ext: ext, thumbnail: thumbnail)) }
    }

    /// Deletes every file in the folder that no `photo` row names; answers how many went.
    /// Files younger than `grace` are left: an upload writes its files before its row commits.
    @discardableResult
    public func sweep(_ db: Database, grace: TimeInterval = 600, now: Date = Date()) throws -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return 0 }
        let kept = Set(try String.fetchAll(db, sql: "SELECT file_id FROM photo"))
        var removed = 0
        for name in names {
            let id = String(name.prefix { $0 != "." })
            guard !kept.contains(id) else { continue }
            let path = directory.appendingPathComponent(name).path
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            guard now.timeIntervalSince(modified) >= grace else { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            removed += 1
        }
        return removed
    }

    /// The file ids every `photo` row names.
    public func referenced(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT file_id FROM photo"))
    }

    /// Deletes the files of the photos that were in `before` and whose rows are gone from `db`
    /// (after a purge or an erasure committed); answers how many photos went.
    @discardableResult
    public func removeDropped(before: Set<String>, db: Database) throws -> Int {
        let dropped = before.subtracting(try referenced(db))
        guard !dropped.isEmpty, let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return 0 }
        for name in names where dropped.contains(String(name.prefix { $0 != "." })) {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
        return dropped.count
    }

    /// Copies the files the rows of `db` name into the photo folder of `backupPath` (a backup's).
    public func copy(rowsOf db: Database, toBackupAt backupPath: String) throws -> Int {
        let target = PhotoFiles(databasePath: backupPath)
        let rows = try Row.fetchAll(db, sql: "SELECT file_id, media_type FROM photo")
        guard !rows.isEmpty else { return 0 }
        try FileManager.default.createDirectory(at: target.directory, withIntermediateDirectories: true)
        for row in rows {
            let fileId: String = row["file_id"]
            let ext = (row["media_type"] as String) == "image/png" ? "png" : "jpg"
            for thumbnail in [false, true] {
                try FileManager.default.copyItem(
                    at: url(fileId, ext: ext, thumbnail: thumbnail), to: target.url(fileId, ext: ext, thumbnail: thumbnail))
            }
        }
        return rows.count
    }
}

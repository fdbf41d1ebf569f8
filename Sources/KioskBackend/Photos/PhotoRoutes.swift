import Domain
import Foundation
import GRDB

/// A signal's photos (docs/interface.md §14): upload by the reporter (`X-Status-Key`) or a role
/// that may see the signal's personal data, read back by those roles, and a public copy for
/// Open311's `media_url` only when the reporter agreed (`photos_public`).
enum PhotoRoutes {
    static let maxPerSignal = 3
    static let maxBytes = 10 << 20
    static let mediaTypes = ["image/jpeg", "image/png"]

    static func routes(_ env: AppEnvironment, processor: PhotoProcessor, publicReads: RateLimiter) -> [Route] {
        let files = env.photoFiles
        return [
            Route("POST", "/api/v1/signals/{reference}/photos", authenticated: false, bodyLimit: maxBytes) { ctx in
                let signal = try await uploadTarget(ctx, env: env)
                let mediaType = ctx.request.header("content-type")?.split(separator: ";", maxSplits: 1).first
                    .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
                guard mediaTypes.contains(mediaType) else {
                    throw Problem.unsupportedMediaType(
                        "Send the photo as image/jpeg or image/png; got \(mediaType.isEmpty ? "no Content-Type" : String(mediaType.prefix(60))).")
                }
                guard PhotoFormat.sniff(ctx.request.body) != nil else {
                    throw Problem.unsupportedMediaType("The body is not a JPEG or PNG image (its first bytes say otherwise).")
                }
                let existing = try await env.store.read { db in try count(signalId: signal.id, db: db) }
                if existing >= maxPerSignal { throw tooMany }
                let processed: ProcessedPhoto
                do {
                    processed = try await processor.process(ctx.request.body)
                } catch let error as PhotoProcessingError {
                    throw problem(error)
                }
                let publicId = PhotoFiles.newId()
                let fileId = PhotoFiles.newId()
                try files.write(processed, fileId: fileId)
                let actor = ctx.caller.role == nil ? "reporter" : ctx.caller.name
                let now = env.now()
                do {
                    try await env.store.write { db in
                        // Counted again inside the write: two uploads racing cannot make four.
                        if try count(signalId: signal.id, db: db) >= maxPerSignal { throw tooMany }
                        try db.execute(
                            sql: """
                                INSERT INTO photo (signal_id, public_id, file_id, media_type, bytes, width, height, created_at, created_by)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                signal.id, publicId, fileId, processed.format.mediaType, processed.image.count,
                                processed.width, processed.height, Millis.from(now), actor,
                            ])
                        try db.execute(
                            sql: "INSERT INTO signal_change (signal_id, at, actor, field, old_value, new_value) VALUES (?, ?, ?, 'photo', NULL, ?)",
                            arguments: [signal.id, Millis.from(now), actor, publicId])
                    }
                } catch {
                    files.remove(fileId, ext: processed.format.fileExtension)
                    throw error
                }
                var response = HTTPResponse.json(
                    PhotoResource(id: publicId, mediaType: processed.format.mediaType, bytes: processed.image.count,
                                  width: processed.width, height: processed.height, reference: signal.reference),
                    status: 201)
                response.setHeader("Location", "/api/v1/signals/\(signal.reference)/photos/\(publicId)")
                return response
            },
            Route("GET", "/api/v1/signals/{reference}/photos") { ctx in
                let signal = try await readable(ctx, env: env)
                let items = try await env.store.read { db in
                    try Row.fetchAll(db, sql: "SELECT * FROM photo WHERE signal_id = ? ORDER BY id", arguments: [signal.id])
                        .map { PhotoResource(row: $0, reference: signal.reference) }
                }
                return .json(Page(items: items, nextCursor: nil))
            },
            Route("GET", "/api/v1/signals/{reference}/photos/{id}") { ctx in
                try await image(ctx, env: env, files: files, thumbnail: false)
            },
            Route("GET", "/api/v1/signals/{reference}/photos/{id}/thumbnail") { ctx in
                try await image(ctx, env: env, files: files, thumbnail: true)
            },
            // The public, metadata-free copy Open311's media_url points to; only with the reporter's consent.
            Route("GET", "/api/v1/photos/{id}", authenticated: false, personalData: false) { ctx in
                if let retry = publicReads.check(ctx.request.clientAddress) { throw Problem.tooManyRequests(retryAfter: retry) }
                let id = ctx.parameter("id")
                guard PhotoFiles.isWellFormedId(id) else { throw publicNotFound }
                let file = try await env.store.read { db in
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT photo.file_id, photo.media_type FROM photo JOIN signal ON signal.id = photo.signal_id
                            WHERE photo.public_id = ? AND signal.photos_public = 1 AND signal.personal_data_removed_at IS NULL
                            """, arguments: [id]
                    ).map(StoredFile.init)
                }
                guard let file else { throw publicNotFound }
                return try fileResponse(file, files: files, thumbnail: false, cache: "public, max-age=3600")
            },
        ]
    }

    static let tooMany = Problem(
        status: 413, title: "Too many photos", detail: "A signal takes at most \(maxPerSignal) photos.")
    static let publicNotFound = Problem.notFound("No public photo with this id.")

    static func problem(_ error: PhotoProcessingError) -> Problem {
        switch error {
        case .notAnImage:
            return Problem.unsupportedMediaType("The body is not a JPEG or PNG image (its first bytes say otherwise).")
        case .unreadable:
            return Problem(status: 422, title: "Unreadable image", detail: "The image could not be decoded; send a JPEG or PNG photo.")
        case .tooManyPixels(let w, let h):
            return Problem(
                status: 413, title: "Image too large",
                detail: "The image is \(w) × \(h) pixels; at most \(PhotoProcessor.maxPixels / 1_000_000) megapixels are taken.")
        }
    }

    /// What an upload needs to know of its signal.
    struct Target: Sendable {
        var id: Int64
        var reference: String
        var signal: Signal
        var personalDataRemoved: Bool
    }

    static func find(_ ctx: RequestContext, env: AppEnvironment) async throws -> Target? {
        let reference = Reference.normalize(String(ctx.parameter("reference").prefix(24)))
        guard Reference.isWellFormed(reference) else { return nil }
        return try await env.store.read { db -> Target? in
            guard let record = try SignalQueries.find(reference: reference, db: db), let id = record.id else { return nil }
            let removed = try Bool.fetchOne(
                db, sql: "SELECT personal_data_removed_at IS NOT NULL FROM signal WHERE id = ?", arguments: [id]) ?? false
            return Target(id: id, reference: record.signal.reference, signal: record.signal, personalDataRemoved: removed)
        }
    }

    /// The signal an upload is for, if the caller may add to it: the reporter with the signal's
    /// status key, or a role that may see its personal data. A wrong key and an unknown reference
    /// get the same 404, as on the status page.
    static func uploadTarget(_ ctx: RequestContext, env: AppEnvironment) async throws -> Target {
        let notFound = Problem.notFound("No signal with this reference and key.")
        let key = ctx.request.header("x-status-key")
        if ctx.caller.role == nil && key == nil {
            throw Problem.unauthorized("Send the reporter's X-Status-Key (from the receipt) or a bearer token.")
        }
        let target = try await find(ctx, env: env)
        if ctx.caller.role != nil {
            guard let target else { throw Problem.notFound("No signal with reference \(ctx.parameter("reference").prefix(40)).") }
            guard PersonalDataPolicy.mayShow(target.signal.personalDataFacts, to: ctx.caller) else {
                throw Problem.forbidden("This token may not see this signal's personal data, so it may not add photos to it.")
            }
            return try open(target)
        }
        guard let target, let stored = target.signal.statusKey, ConstantTime.equals(key ?? "", stored) else { throw notFound }
        return try open(target)
    }

    static func open(_ target: Target) throws -> Target {
        if target.personalDataRemoved {
            throw Problem.conflict("This signal's personal data was removed; it takes no photos any more.")
        }
        return target
    }

    /// The signal whose photos the caller may see: roles that may see its personal data.
    static func readable(_ ctx: RequestContext, env: AppEnvironment) async throws -> Target {
        guard let role = ctx.caller.role else { throw Problem.unauthorized() }
        _ = role
        guard let target = try await find(ctx, env: env) else {
            throw Problem.notFound("No signal with reference \(ctx.parameter("reference").prefix(40)).")
        }
        guard PersonalDataPolicy.mayShow(target.signal.personalDataFacts, to: ctx.caller) else {
            throw Problem.forbidden("This token may not see this signal's personal data, photos included.")
        }
        return target
    }

    static func image(_ ctx: RequestContext, env: AppEnvironment, files: PhotoFiles, thumbnail: Bool) async throws -> HTTPResponse {
        let target = try await readable(ctx, env: env)
        let id = ctx.parameter("id")
        let missing = Problem.notFound("This signal has no photo with this id.")
        guard PhotoFiles.isWellFormedId(id) else { throw missing }
        let file = try await env.store.read { db in
            try Row.fetchOne(
                db, sql: "SELECT file_id, media_type FROM photo WHERE public_id = ? AND signal_id = ?", arguments: [id, target.id]
            ).map(StoredFile.init)
        }
        guard let file else { throw missing }
        return try fileResponse(file, files: files, thumbnail: thumbnail, cache: "no-store")
    }

    /// Where a photo's bytes are.
    struct StoredFile: Sendable {
        var fileId: String
        var mediaType: String
        init(row: Row) {
            fileId = row["file_id"]
            mediaType = row["media_type"]
        }
    }

    static func fileResponse(_ file: StoredFile, files: PhotoFiles, thumbnail: Bool, cache: String) throws -> HTTPResponse {
        let ext = file.mediaType == "image/png" ? "png" : "jpg"
        let bytes = try files.read(file.fileId, ext: ext, thumbnail: thumbnail)
        return HTTPResponse(
            status: 200,
            headers: [("Content-Type", thumbnail ? "image/jpeg" : file.mediaType), ("Cache-Control", cache)],
            body: bytes)
    }

    static func count(signalId: Int64, db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM photo WHERE signal_id = ?", arguments: [signalId]) ?? 0
    }
}

/// `{"id", "reference", "media_type", "bytes", "width", "height", "url", "thumbnail_url"}`.
struct PhotoResource: Encodable, Sendable {
    var id: String
    var reference: String
    var mediaType: String
    var bytes: Int
    var width: Int
    var height: Int
    var url: String
    var thumbnailURL: String
    /// Left out where not known (the answer to an upload).
    var createdAt: String?

    init(id: String, mediaType: String, bytes: Int, width: Int, height: Int, reference: String, createdAt: String? = nil) {
        self.id = id
        self.mediaType = mediaType
        self.bytes = bytes
        self.width = width
        self.height = height
        self.reference = reference
        self.url = "/api/v1/signals/\(reference)/photos/\(id)"
        self.thumbnailURL = "/api/v1/signals/\(reference)/photos/\(id)/thumbnail"
        self.createdAt = createdAt
    }

    init(row: Row, reference: String) {
        self.init(
            id: row["public_id"], mediaType: row["media_type"], bytes: row["bytes"], width: row["width"], height: row["height"],
            reference: reference, createdAt: Timestamp.format(Millis.date(row["created_at"])))
    }

    enum CodingKeys: String, CodingKey {
        case id, reference, bytes, width, height, url
        case mediaType = "media_type"
        case thumbnailURL = "thumbnail_url"
        case createdAt = "created_at"
    }
}

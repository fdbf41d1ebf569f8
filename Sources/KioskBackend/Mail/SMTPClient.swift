import CCurl
import Foundation
import Synchronization

/// Sends mail through libcurl's SMTP (https://curl.se/libcurl/c/smtp-mail.html): STARTTLS when
/// the server offers it on `smtp://`, TLS from the start on `smtps://`, a login when the
/// environment names one. Owns one curl easy handle, used by one thread at a time; libcurl
/// keeps the connection open between messages while the server allows it.
final class SMTPClient: MailSender, @unchecked Sendable {
    struct Settings: Sendable, Equatable {
        /// `smtp://host:port` or `smtps://host:port` (the config's `mail.smtp_url`).
        var url: String
        /// `KIOSK_SMTP_USER` and `KIOSK_SMTP_PASSWORD`: never in the config file.
        var username: String?
        var password: String?
        /// `KIOSK_SMTP_CA_FILE`: a PEM file of the CA that signed a relay's certificate (a city's
        /// own CA); without it, the system's trusted CAs. Certificates are always verified.
        var caFile: String?
        var connectTimeoutSeconds = 10
        var timeoutSeconds = 60

        init(url: String, environment: [String: String]) {
            self.url = url
            username = environment["KIOSK_SMTP_USER"].flatMap { $0.isEmpty ? nil : $0 }
            password = environment["KIOSK_SMTP_PASSWORD"]
            caFile = environment["KIOSK_SMTP_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// `curl_global_init` must run once before any other libcurl call
    /// (https://curl.se/libcurl/c/curl_global_init.html).
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    let settings: Settings
    private var handle: UnsafeMutableRawPointer?
    private let aborting = Mutex(false)

    init(settings: Settings) throws {
        if let caFile = settings.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw SetupError(description: "KIOSK_SMTP_CA_FILE names \(caFile), which is not a readable file")
        }
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw SetupError(description: "libcurl could not be initialised")
        }
        self.settings = settings
        self.handle = handle
    }

    deinit {
        assert(handle == nil, "SMTPClient.stop() was not called")
    }

    /// Frees the curl handle (closing the connection); idempotent.
    func stop() {
        if let handle {
            curl_easy_cleanup(handle)
            self.handle = nil
        }
    }

    func abort() {
        aborting.withLock { $0 = true }
    }

    fileprivate var isAborting: Bool { aborting.withLock { $0 } }

    func send(from: String, to: String, message: [UInt8]) throws(MailDeliveryError) {
        guard let handle, !aborting.withLock({ $0 }) else { throw MailDeliveryError(summary: "not sent: the service is stopping") }
        // Options of an earlier message must not leak into this one; the connection stays cached.
        curl_easy_reset(handle)
        let upload = Upload(message)
        // libcurl does not copy the list: it is freed after the transfer.
        let recipients = curl_slist_append(nil, "<\(to)>")
        defer { curl_slist_free_all(recipients) }
        let result: CURLcode = withExtendedLifetime(upload) {
            var ok = true
            func set(_ code: CURLcode) { ok = ok && code == CURLE_OK }
            set(CCurl_setopt_string(handle, CURLOPT_URL, settings.url))
            set(CCurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"))
            // STARTTLS when offered; with a login the connection must be encrypted (the password
            // never crosses the network in the clear), so then TLS is required.
            let tls = settings.username == nil ? CURLUSESSL_TRY : CURLUSESSL_ALL
            set(CCurl_setopt_long(handle, CURLOPT_USE_SSL, Int(tls.rawValue)))
            if let caFile = settings.caFile { set(CCurl_setopt_string(handle, CURLOPT_CAINFO, caFile)) }
            if let username = settings.username {
                set(CCurl_setopt_string(handle, CURLOPT_USERNAME, username))
                set(CCurl_setopt_string(handle, CURLOPT_PASSWORD, settings.password ?? ""))
            }
            set(CCurl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(from)>"))
            set(CCurl_setopt_pointer(handle, CURLOPT_MAIL_RCPT, recipients))
            set(CCurl_setopt_long(handle, CURLOPT_UPLOAD, 1))
            set(CCurl_setopt_read_function(handle, readMessage))
            set(CCurl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque()))
            set(CCurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, settings.connectTimeoutSeconds))
            set(CCurl_setopt_long(handle, CURLOPT_TIMEOUT, settings.timeoutSeconds))
            // No SIGALRM for timeouts: this runs on a thread of a multi-threaded process
            // (https://curl.se/libcurl/c/CURLOPT_NOSIGNAL.html).
            set(CCurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
            set(CCurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0))
            set(CCurl_setopt_xferinfo_function(handle, checkAbort))
            set(CCurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(self).toOpaque()))
            guard ok else { return CURLE_BAD_FUNCTION_ARGUMENT }
            return curl_easy_perform(handle)
        }
        guard result == CURLE_OK else {
            var reply = 0
            _ = CCurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &reply)
            throw Self.error(result, reply: reply)
        }
    }

    /// A log-safe summary: libcurl's fixed text for the code (`curl_easy_strerror`, never the
    /// error buffer, which can quote the server's reply and so an address) and the reply code.
    static func error(_ code: CURLcode, reply: Int) -> MailDeliveryError {
        let what: String
        switch code {
        case CURLE_COULDNT_CONNECT: what = "could not connect to the SMTP server"
        case CURLE_COULDNT_RESOLVE_HOST: what = "could not resolve the SMTP server's host name"
        case CURLE_OPERATION_TIMEDOUT: what = "the SMTP server did not answer in time"
        case CURLE_LOGIN_DENIED: what = "the SMTP server refused the login (KIOSK_SMTP_USER, KIOSK_SMTP_PASSWORD)"
        case CURLE_USE_SSL_FAILED: what = "the SMTP server does not offer STARTTLS, which a login requires"
        case CURLE_PEER_FAILED_VERIFICATION: what = "the SMTP server's certificate is not trusted (KIOSK_SMTP_CA_FILE)"
        case CURLE_SSL_CONNECT_ERROR: what = "the TLS handshake with the SMTP server failed"
        case CURLE_ABORTED_BY_CALLBACK: what = "not sent: the service is stopping"
        default: what = String(cString: curl_easy_strerror(code))
        }
        return MailDeliveryError(summary: reply > 0 ? "\(what) (SMTP reply \(reply))" : what)
    }
}

/// The message libcurl reads while uploading, and how far it got.
private final class Upload {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// CURLOPT_READFUNCTION: copies the next part of the message into libcurl's buffer; 0 ends it
/// (https://curl.se/libcurl/c/CURLOPT_READFUNCTION.html). `userdata` is the `Upload`.
private let readMessage: curl_read_callback = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let upload = Unmanaged<Upload>.fromOpaque(userdata).takeUnretainedValue()
    let n = min(size * count, upload.bytes.count - upload.offset)
    guard n > 0 else { return 0 }
    upload.bytes.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: n)
    }
    upload.offset += n
    return n
}

/// CURLOPT_XFERINFOFUNCTION: non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK
/// (https://curl.se/libcurl/c/CURLOPT_XFERINFOFUNCTION.html). `client` is the `SMTPClient`.
private let checkAbort: curl_xferinfo_callback = { client, _, _, _, _ in
    guard let client else { return 0 }
    return Unmanaged<SMTPClient>.fromOpaque(client).takeUnretainedValue().isAborting ? 1 : 0
}

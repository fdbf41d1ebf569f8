import ArgumentParser
import Dispatch
import Domain
import Foundation
import KioskBackend
import Logging

#if canImport(Glibc)
import Glibc
#endif

@main
struct KioskBackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-backend",
        abstract: "Intake service for a city's citizen signals: kiosks, desks, website form, 0800 line.",
        discussion: """
            Start the service with 'kiosk-backend serve'. Without flags it uses the bundled
            Ostend config, the database data/kiosk.sqlite and port 8080, and on its first start
            writes a first admin token to data/first-admin-token (readable by its owner only).
            Make tokens for desks and agents with 'kiosk-backend token create', and enrol a kiosk
            with a one-time code from 'kiosk-backend kiosk enrol-code'.
            """,
        subcommands: [
            Serve.self, TokenCommand.self, KioskCommand.self, Purge.self, ExportPerson.self, Backup.self, AddressesCommand.self,
        ],
        defaultSubcommand: nil
    )
}

/// The database a subcommand works on (`--db`), opened one way: migrated, logging under the
/// service's label, closed when the subcommand's work is done.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite database file (created on first start).")
    var db: String = "data/kiosk.sqlite"

    /// Opens the database, hands it to `work` and closes it again, also when `work` throws.
    func withStore<T>(_ work: (Store) throws -> T) throws -> T {
        let store = try Store(path: db, logger: Logger(label: "kiosk-backend"))
        defer { try? store.close() }
        return try work(store)
    }

    /// The photo files the database's rows name, kept beside it.
    var photos: PhotoFiles { PhotoFiles(databasePath: db) }
}

/// The city's config (`--config`), read one way: a file that breaks a rule stops the subcommand
/// with exit code 78 and one line per problem (file, path inside it, rule), as it stops `serve`.
struct ConfigOptions: ParsableArguments {
    @Option(help: "The city's config file (JSON). Default: the bundled Ostend config.")
    var config: String?

    /// The file read: `--config`, else the bundled Ostend config.
    var path: String { config ?? ConfigLoader.bundledConfigPath }

    func load() throws -> CityConfig {
        do {
            return try ConfigLoader.load(path)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the service.",
        discussion: "Stops cleanly on SIGTERM or Ctrl-C: finishes the requests in flight, then closes the database.")

    @OptionGroup var config: ConfigOptions

    @OptionGroup var store: StoreOptions

    @Option(help: "TCP port; 0 picks a free one.")
    var port: UInt16 = 8080

    @Option(help: "Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for every network.")
    var host: String = "127.0.0.1"

    @Option(help: "Folder with the pages (Static/). Default: the one beside the config.")
    var staticDir: String?

    @Option(help: "Folder whose mail/ holds the message templates. Default: the one beside the config (templates/).")
    var templatesDir: String?

    @Option(help: "Worker threads (default: one per core).")
    var threads: Int?

    @Option(help: "full: a confirmed signal survives a power cut. normal: faster, survives a crash only.")
    var durability: Store.Durability = .full

    @Option(help: "The lowest level logged.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if let threads, !(1...64).contains(threads) {
            throw ValidationError("--threads must be 1 to 64")
        }
    }

    func run() throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "kiosk-backend")
        let cityConfig = try config.load()
        // A missing or broken template stops start-up naming the file, as a broken config does.
        let templates: MailTemplates
        do {
            templates = try MailTemplates.load(
                directory: templatesDir ?? ConfigLoader.bundledTemplatesPath, languages: cityConfig.languages)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        for language in templates.fallbacks {
            logger.notice("mail templates: none for this language, its messages go out in Dutch", metadata: ["mail.language": "\(language)"])
        }

        // The pages are rendered once, now: a template that does not parse stops start-up the same way.
        let staticDirectory = staticDir ?? ConfigLoader.bundledStaticPath
        let pages: Pages
        do {
            pages = try Pages.render(
                directory: URL(fileURLWithPath: staticDirectory, isDirectory: true), files: Pages.files, config: cityConfig)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }

        var options = HTTPServer.Options()
        options.host = host
        options.port = port
        if let threads { options.threads = threads }
        let service = try Service(
            config: cityConfig, databasePath: store.db,
            staticDirectory: staticDirectory, options: options,
            durability: durability, logger: logger, templates: templates, pages: pages)

        // The config's address file (the bundled sample for Ostend) fills an empty address table.
        if let file = cityConfig.addresses.file,
           try service.store.readNow({ db in try AddressImport.isEmpty(db) })
        {
            let path = file.hasPrefix("/") ? file : URL(fileURLWithPath: config.path).deletingLastPathComponent().appendingPathComponent(file).path
            let format = AddressImport.Format(rawValue: cityConfig.addresses.format) ?? .csv
            do {
                let n = try service.store.writeNow { db in try AddressImport.run(path: path, format: format, config: cityConfig, db: db) }
                logger.notice("addresses loaded from the config's file", metadata: ["addresses.count": "\(n)"])
            } catch let failure as AddressImport.Failure {
                FileHandle.standardError.write(Data("\(failure)\n".utf8))
                throw ExitCode(78)  // EX_CONFIG
            }
        }

        let tokens = Tokens(store: service.store)
        var firstAdmin: String?
        let firstAdminFile = FirstAdminTokenFile(databasePath: store.db)
        if try !tokens.hasActiveAdmin() {
            let secret = try tokens.create(role: .admin, name: "first-admin", site: nil, config: cityConfig)
            do {
                try firstAdminFile.write(secret)
            } catch {
                // A token nobody can read is no use and must not linger: take it back and stop.
                _ = try? tokens.revoke("first-admin")
                FileHandle.standardError.write(Data("cannot write the first admin token to \(firstAdminFile.path): \(error)\n".utf8))
                throw ExitCode(73)  // EX_CANTCREAT
            }
            firstAdmin = secret
        }

        // Signals are handled by a dispatch source, not an async-unsafe C handler.
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let stopRequested = DispatchSemaphore(value: 0)
        let sources = [SIGTERM, SIGINT].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stopRequested.signal() }
            source.resume()
            return source
        }

        try service.start()
        let base = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(service.server.port)"
        var banner = """
            kiosk-backend for \(cityConfig.city) is running.
              Website form:  \(base)/
              Kiosk:         \(base)/kiosk   (enrol a device once at \(base)/kiosk/enroll with a code from 'kiosk-backend kiosk enrol-code')
              Desk:          \(base)/desk
              Agent console: \(base)/agent
              Back office:   \(base)/backoffice
              Reports:       \(base)/reports
              API document:  \(base)/openapi.json
              Health:        \(base)/healthz
            """
        if let firstAdmin {
            // Standard output often ends up in a service log: the token itself is shown only on a terminal.
            banner += "\n\nFirst start: an admin token was created and written to \(firstAdminFile.path) (readable by its owner only)."
            if isatty(STDOUT_FILENO) == 1 {
                banner += " It is:\n  \(firstAdmin)\n"
            } else {
                banner += "\n"
            }
            banner += "Keep it safe and delete the file once it is stored elsewhere.\n"
            banner += "Make tokens for staff with: kiosk-backend token create --role ROLE --name NAME [--site SITE] --db \(store.db)\n"
            banner += "Enrol a kiosk with: kiosk-backend kiosk enrol-code --site SITE --name NAME --db \(store.db)\n"
        }
        print(banner)
        fflush(nil)
        logger.notice("listening", metadata: ["url": "\(base)"])

        // The dispatch sources must outlive the wait: an optimised build frees them
        // (and with them the SIGTERM handler) once they are no longer used.
        withExtendedLifetime(sources) { stopRequested.wait() }
        logger.notice("stopping: finishing requests in flight")
        service.stop()
        logger.notice("stopped")
    }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke bearer tokens for devices and staff.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it (one line). Only its hash is stored: copy it now.",
            discussion: """
                Roles: kiosk and desk (need --site), agent (0800 line), staff (city employee in the field),
                coordinator (O-punt back office), admin, open311 (partner apps), pbx (telephone exchange),
                department (a city department's inbox; needs --department).
                The site and department keys are checked against the config (--config).
                """)

        @Option(help: "The token's role.")
        var role: Role

        @Option(help: "Who or what holds it, e.g. 'kiosk stadhuis 1' or 'An Peeters'. Shown in the history.")
        var name: String

        @Option(help: "Site key for kiosk and desk tokens, e.g. stadhuis.")
        var site: String?

        @Option(help: "Department key for department tokens, e.g. wegen.")
        var department: String?

        @OptionGroup var config: ConfigOptions

        @OptionGroup var store: StoreOptions

        func run() throws {
            let cityConfig = try config.load()
            let secret = try store.withStore { s in
                try ValidationError.from(Tokens.TokenError.self) {
                    try Tokens(store: s).create(role: role, name: name, site: site, department: department, config: cityConfig)
                }
            }
            print(secret)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var store: StoreOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            let infos = try store.withStore { s in try Tokens(store: s).list() }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(infos), as: UTF8.self))
                return
            }
            print("ID  ROLE         SITE          CREATED               REVOKED               NAME")
            for t in infos {
                let cols = [
                    String(t.id).padding(toLength: 3, withPad: " ", startingAt: 0),
                    t.role.padding(toLength: 12, withPad: " ", startingAt: 0),
                    (t.site ?? t.department ?? "-").padding(toLength: 13, withPad: " ", startingAt: 0),
                    t.createdAt.padding(toLength: 21, withPad: " ", startingAt: 0),
                    (t.revokedAt ?? "-").padding(toLength: 21, withPad: " ", startingAt: 0),
                    t.name,
                ]
                print(cols.joined(separator: " "))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id or name. It stops working at once.")

        @Argument(help: "The token's id or name, as 'token list' shows it.")
        var token: String

        @OptionGroup var store: StoreOptions

        func run() throws {
            let n = try store.withStore { s in
                try ValidationError.from(Tokens.TokenError.self) { try Tokens(store: s).revoke(token) }
            }
            print("Revoked \(n) token\(n == 1 ? "" : "s").")
        }
    }
}

struct KioskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Enrol kiosk devices.",
        subcommands: [EnrolCode.self])

    struct EnrolCode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enrol-code",
            abstract: "Print a one-time code (one line) that enrols one kiosk; valid 15 minutes.",
            discussion: """
                On the device, open /kiosk/enroll and type the code. The device gets its own kiosk token,
                bound to --site and named --name ('token list' shows it, 'token revoke' ends it).
                The token never appears in a URL; only a hash of the code is stored.
                The site key is checked against the config (--config).
                """)

        @Option(help: "Site key of the kiosk, e.g. stadhuis.")
        var site: String

        @Option(help: "Name of the device, e.g. 'kiosk stadhuis 1'. Shown in the history.")
        var name: String

        @OptionGroup var config: ConfigOptions

        @OptionGroup var store: StoreOptions

        func run() throws {
            let cityConfig = try config.load()
            let code = try store.withStore { s in
                try ValidationError.from(Tokens.TokenError.self) {
                    try Enrolment(store: s).createCode(site: site, name: name, config: cityConfig)
                }
            }
            print(code)
        }
    }
}

struct Purge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Remove personal data older than the config's retention_days (the service also does this daily).",
        discussion: """
            Removes contact details of signals closed longer ago than retention_days, caller numbers of
            calls older than that, expired drafts and day-old idempotency answers. The history records that
            it happened, not the data. Report figures do not change. Prints a JSON summary.
            """)

    @OptionGroup var config: ConfigOptions

    @OptionGroup var store: StoreOptions

    func run() throws {
        let retentionDays = try config.load().retentionDays
        let files = store.photos
        let summary = try store.withStore { s in
            let before = try s.readNow { db in try files.referenced(db) }
            let summary = try s.writeNow { db in try Retention.purge(db, retentionDays: retentionDays, now: Date()) }
            try s.readNow { db in _ = try files.removeDropped(before: before, db: db) }
            return summary
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(summary), as: UTF8.self))
    }
}

struct ExportPerson: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-person",
        abstract: "Print all personal data held on one person as JSON (an access request); --erase removes it.")

    @Option(help: "The person's e-mail address.")
    var email: String?

    @Option(help: "The person's phone number (any notation: 059 12 34 56, +32 59 12 34 56).")
    var phone: String?

    @Flag(help: "After printing, remove the person's contact details and caller numbers.")
    var erase = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (email == nil) != (phone == nil) else { throw ValidationError("give exactly one of --email or --phone") }
    }

    func run() throws {
        let subject: PersonalData.Subject = email.map { .email($0) } ?? .phone(phone!)
        let files = store.photos
        try store.withStore { s in
            let document = try s.readNow { db in try PersonalData.export(db, subject, photos: files) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
            if erase {
                let before = try s.readNow { db in try files.referenced(db) }
                let n = try s.writeNow { db in try PersonalData.erase(db, subject, now: Date()) }
                try s.readNow { db in _ = try files.removeDropped(before: before, db: db) }
                FileHandle.standardError.write(Data("Erased the personal data in \(n) record\(n == 1 ? "" : "s").\n".utf8))
            }
        }
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to FILE, also while the service runs (SQLite online backup).")

    @Argument(help: "The new backup file.")
    var file: String

    @OptionGroup var store: StoreOptions

    func run() throws {
        guard FileManager.default.fileExists(atPath: store.db) else {
            throw ValidationError("no database at \(store.db)")
        }
        let photos = try store.withStore { s in
            try ValidationError.from(Store.BackupError.self) { try s.backup(to: file) }
        }
        print("Backed up \(store.db) to \(file)\(photos > 0 ? " and \(photos) photo\(photos == 1 ? "" : "s") to \(file).photos" : "").")
    }
}

struct AddressesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addresses",
        abstract: "The address register behind the address suggestions (docs/interface.md §14).",
        subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the addresses with those in FILE: all rows or none (bad rows are listed by line number).",
            discussion: "The config's district areas (--config) place each address in its district.")

        @Argument(help: "A CSV file of addresses.")
        var file: String

        @Option(help: "csv (street,house_number,box,postcode,municipality,lat,lon,district) or adressenregister (Flanders' register, Lambert 72).")
        var format: AddressImport.Format = .csv

        @OptionGroup var config: ConfigOptions

        @OptionGroup var store: StoreOptions

        func run() throws {
            let cityConfig = try config.load()
            do {
                let n = try store.withStore { s in
                    try s.writeNow { db in try AddressImport.run(path: file, format: format, config: cityConfig, db: db) }
                }
                print("Imported \(n) address\(n == 1 ? "" : "es") from \(file).")
            } catch let failure as AddressImport.Failure {
                FileHandle.standardError.write(Data("\(failure)\n".utf8))
                throw ExitCode(65)  // EX_DATAERR
            }
        }
    }
}

extension AddressImport.Format: ExpressibleByArgument {}

extension ValidationError {
    /// Runs `work`; an `E` it throws is the user's mistake, said in its own words (exit 64 with usage).
    static func from<T, E: Error & CustomStringConvertible>(_ type: E.Type, _ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as E {
            throw ValidationError(error.description)
        }
    }
}

// The command line's closed choices: the argument parser checks them and lists them in --help.
extension Role: ExpressibleByArgument {}
extension Store.Durability: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}

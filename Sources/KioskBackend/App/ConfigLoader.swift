import Domain
import Foundation

/// Reads the config file and finds the bundled defaults.
public enum ConfigLoader {
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func load(_ path: String) throws -> CityConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "\(path): cannot read the config file (does it exist?)")
        }
        return try CityConfig.parse(Array(data), file: path)
    }

    /// The package folder: the current directory when it holds `config/`, otherwise
    /// the folder three levels above the executable (`.build/debug/kiosk-backend`).
    public static var packageRoot: URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if FileManager.default.fileExists(atPath: cwd.appendingPathComponent("config/ostend.json").path) {
            return cwd
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("config/ostend.json").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return cwd
    }

    public static var bundledConfigPath: String { packageRoot.appendingPathComponent("config/ostend.json").path }
    public static var bundledStaticPath: String { packageRoot.appendingPathComponent("Static").path }
    /// The folder whose `mail/` holds the message templates (``MailTemplates``).
    public static var bundledTemplatesPath: String { packageRoot.appendingPathComponent("templates").path }
}

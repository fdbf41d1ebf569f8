import Foundation
import Mustache

/// One Mustache template read from a file and parsed, for the mail templates and the pages alike,
/// so that every error names the file and a parse error its line and column in that file.
enum MustacheFile {
    /// Why a file gave no template, in a sentence that starts with its path.
    struct Failure: Error {
        let message: String
    }

    /// `what` names the template in messages ("mail template"); `pragma`, a line such as
    /// `{{% CONTENT_TYPE: TEXT}}`, goes before the file's text and is not counted in line numbers;
    /// `trimmingFinalNewlines` drops the file's last line breaks (a template used inside a sentence).
    static func load(
        _ path: String, what: String, pragma: String? = nil, trimmingFinalNewlines: Bool = false
    ) throws(Failure) -> MustacheTemplate {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(message: "\(path): cannot read the \(what) (does it exist?)")
        }
        guard var source = String(data: data, encoding: .utf8) else {
            throw Failure(message: "\(path): the \(what) is not UTF-8")
        }
        if trimmingFinalNewlines { while source.last?.isNewline == true { source.removeLast() } }
        do {
            return try MustacheTemplate(string: pragma.map { $0 + "\n" + source } ?? source)
        } catch let error as MustacheTemplate.ParserError {
            let line = max(1, error.context.lineNumber - (pragma == nil ? 0 : 1))
            throw Failure(message: "\(path):\(line):\(error.context.columnNumber): the \(what) does not parse (\(error.error))")
        } catch {
            throw Failure(message: "\(path): the \(what) does not parse (\(error))")
        }
    }
}
